import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeStorageVault, safeStorageUsable, type SafeStorageLike } from '../../main/electron/safeStorageVault.js';

// A stand-in for Electron's safeStorage: reversible, but visibly not plaintext.
function fakeSafeStorage(backend: string, available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(`enc:${Buffer.from(plain).reverse().toString('hex')}`),
    decryptString: (encrypted) => Buffer.from(encrypted.toString().slice(4), 'hex').reverse().toString(),
    getSelectedStorageBackend: () => backend,
  };
}

describe('SafeStorageVault', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vd-vault-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses basic_text (plaintext) and an unavailable backend on Linux', () => {
    expect(safeStorageUsable(fakeSafeStorage('basic_text'), 'linux')).toBe(false);
    expect(safeStorageUsable(fakeSafeStorage('gnome_libsecret', false), 'linux')).toBe(false);
    expect(safeStorageUsable(fakeSafeStorage('gnome_libsecret'), 'linux')).toBe(true);
    expect(safeStorageUsable(fakeSafeStorage('unknown'), 'darwin')).toBe(true);
  });

  it('stores only ciphertext and reads the secret back', async () => {
    const vault = new SafeStorageVault(fakeSafeStorage('kwallet5'), dir, 'linux');
    await vault.set('host-1', 'hunter2 pässwörd');
    const onDisk = await readFile(join(dir, 'secrets.json'), 'utf8');
    expect(onDisk).not.toContain('hunter2');
    expect(await vault.get('host-1')).toBe('hunter2 pässwörd');
    await vault.delete('host-1');
    expect(await vault.get('host-1')).toBeUndefined();
  });

  it('says no, with a typed error, where it cannot remember', async () => {
    const vault = new SafeStorageVault(fakeSafeStorage('basic_text'), dir, 'linux');
    expect(vault.canRemember).toBe(false);
    await expect(vault.set('h', 'secret')).rejects.toMatchObject({ code: 'secret-storage-unavailable' });
  });

  it('serialises writes: concurrent sets and deletes all land', async () => {
    const vault = new SafeStorageVault(fakeSafeStorage('kwallet5'), dir, 'linux');
    await vault.set('gone', 'x');
    await Promise.all([...Array.from({ length: 8 }, (_, index) => vault.set(`password:${index}`, `secret-${index}`)), vault.delete('gone')]);
    for (let index = 0; index < 8; index += 1) expect(await vault.get(`password:${index}`)).toBe(`secret-${index}`);
    expect(await vault.get('gone')).toBeUndefined();
  });

  it('moves a corrupt secrets file aside instead of overwriting it', async () => {
    await writeFile(join(dir, 'secrets.json'), '{ "password:a": "enc:', { mode: 0o600 });
    const vault = new SafeStorageVault(fakeSafeStorage('kwallet5'), dir, 'linux');
    expect(await vault.get('password:a')).toBeUndefined();
    await vault.set('password:b', 'new');
    const files = await readdir(dir);
    const aside = files.find((name) => name.startsWith('secrets.json.unreadable-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, aside!), 'utf8')).toBe('{ "password:a": "enc:');
    expect(await vault.get('password:b')).toBe('new');
  });

  it('deleteWhere removes every key a predicate names', async () => {
    const vault = new SafeStorageVault(fakeSafeStorage('kwallet5'), dir, 'linux');
    await vault.set('password:p1', 'a');
    await vault.set('passphrase:p1:~/.ssh/id', 'b');
    await vault.set('password:p2', 'c');
    await vault.deleteWhere((key) => key === 'password:p1' || key.startsWith('passphrase:p1:'));
    expect(await vault.get('password:p1')).toBeUndefined();
    expect(await vault.get('passphrase:p1:~/.ssh/id')).toBeUndefined();
    expect(await vault.get('password:p2')).toBe('c');
  });
});
