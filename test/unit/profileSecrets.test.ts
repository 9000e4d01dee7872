// Removing a host profile deletes what was remembered for it (its password, the passphrases
// of its key files and its jump hosts' key files), and nothing of another profile's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../main/app.js';
import type { SecretVault } from '../../main/services/secrets/secretVault.js';
import type { HostProfile, HostProfileFields } from '../../preload/contract.js';

/** A vault in memory: the removal logic is what is under test, not the keychain. */
class MemoryVault implements SecretVault {
  readonly canRemember = true;
  readonly entries = new Map<string, string>();
  async get(key: string) {
    return this.entries.get(key);
  }
  async set(key: string, secret: string) {
    this.entries.set(key, secret);
  }
  async delete(key: string) {
    this.entries.delete(key);
  }
  async deleteWhere(matches: (key: string) => boolean) {
    for (const key of [...this.entries.keys()]) if (matches(key)) this.entries.delete(key);
  }
}

const fields = (label: string): HostProfileFields => ({
  label,
  // Nothing listens on port 1 of loopback: the host fails at once and only waits to retry.
  address: '127.0.0.1',
  port: 1,
  user: 'admin',
  auth: 'key',
  keyFile: '~/.ssh/id_ed25519',
  jumpHosts: [{ address: '127.0.0.1', port: 1, user: 'hop', auth: 'key', keyFile: '~/.ssh/hop' }],
  uri: 'qemu:///system',
  sudo: false,
  folder: '',
  tags: [],
  rememberSecret: true,
});

describe('removing a host profile', () => {
  let dir: string;
  let app: App;
  const vault = new MemoryVault();
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vd-profile-secrets-'));
    app = await createApp(
      { mode: 'electron', configDir: dir, versions: {}, systemLocale: 'en-US', secretVault: vault, userKnownHosts: join(dir, 'none') },
      { includeLocal: false, includeDemo: false, retry: { baseMs: 60_000, capMs: 60_000 } },
    );
  });
  afterEach(async () => {
    await app.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes its remembered password and passphrases, and keeps the other profiles’', async () => {
    const doomed = (await app.registry.call('profiles.create', { fields: fields('doomed') })) as HostProfile;
    const kept = (await app.registry.call('profiles.create', { fields: fields('kept') })) as HostProfile;
    for (const profile of [doomed, kept]) {
      await vault.set(`password:${profile.id}`, 'pw');
      await vault.set(`passphrase:${profile.id}:~/.ssh/id_ed25519`, 'pp');
      await vault.set(`passphrase:${profile.id}:~/.ssh/hop`, 'hop');
      // A key file the profile named before an edit.
      await vault.set(`passphrase:${profile.id}:~/.ssh/old`, 'old');
    }
    await app.registry.call('profiles.remove', { id: doomed.id });
    expect([...vault.entries.keys()].filter((key) => key.includes(doomed.id))).toEqual([]);
    expect([...vault.entries.keys()].filter((key) => key.includes(kept.id))).toHaveLength(4);
  });
});
