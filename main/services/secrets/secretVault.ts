/**
 * Where remembered passwords and passphrases live. Never in plaintext: the desktop app keeps
 * them encrypted with Electron's safeStorage (and refuses when its backend is basic_text);
 * web mode keeps nothing. Secrets typed during a run are held in memory for reconnects only.
 */
export interface SecretVault {
  /** Whether secrets can be remembered across runs here. */
  readonly canRemember: boolean;
  get(key: string): Promise<string | undefined>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every secret whose key matches (all of a removed host's secrets). */
  deleteWhere(matches: (key: string) => boolean): Promise<void>;
}

/** Web mode, and any platform without a real keychain: remembers nothing on disk. */
export const noVault: SecretVault = {
  canRemember: false,
  get: async () => undefined,
  set: async () => undefined,
  delete: async () => undefined,
  deleteWhere: async () => undefined,
};
