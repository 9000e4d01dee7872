/**
 * Remembered secrets for the desktop app, encrypted with Electron's safeStorage (the OS
 * keychain: Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) and kept as
 * ciphertext in the config directory. Refused where safeStorage would only obfuscate: on
 * Linux without a keyring its backend is `basic_text`, which is plaintext in all but name.
 *
 * Every change is a read-modify-write of one file, so changes run in that file's queue (two
 * "remember" at once both land). A file that cannot be parsed is moved aside, never
 * overwritten: its secrets may still be recovered by hand.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContractError } from '../../preload/contract.js';
import { moveAside, writeFileAtomic } from '../core/atomicFile.js';
import { fileQueue, type SerialQueue } from '../core/serialQueue.js';
import type { SecretVault } from '../services/secrets/secretVault.js';

/** The part of Electron's safeStorage we use (a parameter, so it is testable without Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export function safeStorageUsable(safeStorage: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    return backend !== 'basic_text' && backend !== 'unknown';
  }
  return true;
}

type Ciphertexts = Record<string, string>;

function parseCiphertexts(text: string): Ciphertexts | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return Object.values(value).every((entry) => typeof entry === 'string') ? (value as Ciphertexts) : undefined;
  } catch {
    return undefined;
  }
}

export class SafeStorageVault implements SecretVault {
  private readonly path: string;
  private readonly writes: SerialQueue;
  readonly canRemember: boolean;

  constructor(
    private readonly safeStorage: SafeStorageLike,
    configDir: string,
    platform: NodeJS.Platform = process.platform,
  ) {
    this.path = join(configDir, 'secrets.json');
    this.writes = fileQueue(this.path);
    this.canRemember = safeStorageUsable(safeStorage, platform);
  }

  /** The stored ciphertexts; an unparsable file is moved aside (in the queue, so only once). */
  private readAll(): Promise<Ciphertexts> {
    return this.writes.run(() => this.readUnqueued());
  }

  private async readUnqueued(): Promise<Ciphertexts> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const parsed = parseCiphertexts(text);
    if (parsed) return parsed;
    await moveAside(this.path);
    return {};
  }

  private change(edit: (all: Ciphertexts) => boolean): Promise<void> {
    return this.writes.run(async () => {
      const all = await this.readUnqueued();
      if (edit(all)) await writeFileAtomic(this.path, JSON.stringify(all, null, 2), 0o600);
    });
  }

  async get(key: string): Promise<string | undefined> {
    if (!this.canRemember) return undefined;
    const encrypted = (await this.readAll())[key];
    if (!encrypted) return undefined;
    try {
      return this.safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      return undefined;
    }
  }

  async set(key: string, secret: string): Promise<void> {
    if (!this.canRemember) {
      throw new ContractError('secret-storage-unavailable', 'This system has no secure keychain; the secret was not stored.');
    }
    const encrypted = this.safeStorage.encryptString(secret).toString('base64');
    await this.change((all) => {
      all[key] = encrypted;
      return true;
    });
  }

  delete(key: string): Promise<void> {
    return this.deleteWhere((candidate) => candidate === key);
  }

  deleteWhere(matches: (key: string) => boolean): Promise<void> {
    return this.change((all) => {
      const doomed = Object.keys(all).filter(matches);
      for (const key of doomed) delete all[key];
      return doomed.length > 0;
    });
  }
}
