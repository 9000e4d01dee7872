import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostKeyTrust, type PresentedKey } from '../../main/services/hosts/hostKeyTrust.js';

function presented(host: string, blob: string): PresentedKey {
  const keyBase64 = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from(blob)]).toString('base64');
  return { host, port: 22, keyType: 'ssh-ed25519', keyBase64, fingerprint: `SHA256:${blob}` };
}

describe('HostKeyTrust', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vd-trust-'));
    await writeFile(join(dir, 'user_known_hosts'), '');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('two concurrent "accept for good" both land in the app known_hosts', async () => {
    const trust = new HostKeyTrust({ configDir: join(dir, 'config'), userKnownHosts: join(dir, 'user_known_hosts'), ask: async () => 'always' });
    const keys = Array.from({ length: 6 }, (_, index) => presented(`198.18.0.${index + 10}`, `key-${index}`));
    const results = await Promise.all(keys.map((key) => trust.check(key)));
    expect(results.every((result) => result.ok)).toBe(true);
    const lines = (await readFile(join(dir, 'config', 'known_hosts'), 'utf8')).split('\n').filter(Boolean);
    expect(lines.sort()).toEqual(keys.map((key) => `${key.host} ssh-ed25519 ${key.keyBase64}`).sort());
    // A second store on the same files (a later window, a test) sees every one as trusted.
    const again = new HostKeyTrust({ configDir: join(dir, 'config'), userKnownHosts: join(dir, 'user_known_hosts') });
    for (const key of keys) expect((await again.verdict(key)).kind).toBe('trusted');
  });

  it('a "forget" racing an "accept for good" of another host keeps the accepted key', async () => {
    const config = join(dir, 'config');
    const first = presented('198.18.0.20', 'first');
    const second = presented('198.18.0.21', 'second');
    const trust = new HostKeyTrust({ configDir: config, userKnownHosts: join(dir, 'user_known_hosts'), ask: async () => 'always' });
    await trust.check(first);
    await Promise.all([trust.forget(first.host, 22), trust.check(second)]);
    const text = await readFile(join(config, 'known_hosts'), 'utf8');
    expect(text).toContain(second.keyBase64);
    expect(text).not.toContain(first.keyBase64);
  });

  it('names the key types both files hold for the host, and those accepted once', async () => {
    await writeFile(join(dir, 'user'), '198.18.0.10 ecdsa-sha2-nistp256 AAAA\n[198.18.0.10]:2222 ssh-rsa BBBB\n@revoked 198.18.0.10 ssh-dss CCCC\n');
    const trust = new HostKeyTrust({ configDir: join(dir, 'config'), userKnownHosts: join(dir, 'user'), ask: async () => 'once' });
    expect(await trust.knownKeyTypes('198.18.0.10', 22)).toEqual(['ecdsa-sha2-nistp256']);
    expect(await trust.knownKeyTypes('198.18.0.10', 2222)).toEqual(['ssh-rsa']);
    expect(await trust.knownKeyTypes('fe80::1', 22)).toEqual([]);
    await trust.check(presented('fe80::1', 'v6'));
    expect(await trust.knownKeyTypes('fe80::1', 22)).toEqual(['ssh-ed25519']);
  });
});
