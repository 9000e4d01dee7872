/**
 * Remembered secrets for the desktop app, encrypted with Electron's safeStorage (the OS
 * keychain: Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) and kept as
 * ciphertext in the config directory. Refused where safeStorage would only obfuscate: on
 * Linux without a keyring its backend is `basic_text`, which is plaintext in all but name.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContractError } from '../../preload/contract.js';
import { writeFileAtomic } from '../core/atomicFile.js';
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

export class SafeStorageVault implements SecretVault {
  private readonly path: string;
  readonly canRemember: boolean;

  constructor(
    private readonly safeStorage: SafeStorageLike,
    configDir: string,
    platform: NodeJS.Platform = process.platform,
  ) {
    this.path = join(configDir, 'secrets.json');
    this.canRemember = safeStorageUsable(safeStorage, platform);
  }

  private async readAll(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
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
    const all = await this.readAll();
    all[key] = this.safeStorage.encryptString(secret).toString('base64');
    await writeFileAtomic(this.path, JSON.stringify(all, null, 2), 0o600);
  }

  async delete(key: string): Promise<void> {
    const all = await this.readAll();
    if (!(key in all)) return;
    delete all[key];
    await writeFileAtomic(this.path, JSON.stringify(all, null, 2), 0o600);
  }
}
