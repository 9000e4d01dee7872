// A host with two host keys (the lab's lab1: ed25519 and ecdsa) and a known_hosts holding only
// the ecdsa one: VirtDeck asks the server for the known type first, as OpenSSH orders
// HostKeyAlgorithms, and connects as trusted instead of calling the key "changed".
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection, SshFailure, type SshHooks } from '../../main/connection/sshConnection.js';
import { HostKeyTrust, type PresentedKey } from '../../main/services/hosts/hostKeyTrust.js';
import type { HostProfile } from '../../preload/contract.js';
import { readLabHosts, type LabHost } from '../lab/index.js';
import { labProfileFields, startLabApp } from '../support/labApp.js';

const hosts = await readLabHosts();
const lab1 = hosts.find((host) => host.name === 'lab1')!;
const ecdsaLine = lab1.extraHostKeys.find((line) => line.startsWith('ecdsa-sha2-'));

let dir: string;
let userKnownHosts: string;

beforeAll(async () => {
  if (!ecdsaLine) throw new Error('lab1 has no ecdsa host key: bring the lab up again (npm run lab:up -- --restart)');
  dir = await mkdtemp(join(tmpdir(), 'vd-hostkeytypes-'));
  userKnownHosts = join(dir, 'known_hosts');
  await writeFile(userKnownHosts, `${lab1.address} ${ecdsaLine}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function keyAuth(host: LabHost) {
  return { host: host.address, port: host.port, username: host.user, auth: { method: 'key' as const, keyFile: host.keyFile ?? '' } };
}

describe('known_hosts holds another key type than the server prefers', () => {
  it('the connection layer asks for the known type and the key is trusted, without a question', async () => {
    const asked: PresentedKey[] = [];
    const shown: string[] = [];
    const trust = new HostKeyTrust({ configDir: join(dir, 'layer'), userKnownHosts, ask: async (key) => (asked.push(key), 'reject') });
    const hooks: SshHooks = {
      checkHostKey: async (target, blob) => {
        const key = HostKeyTrust.describe(target.host, target.port, blob);
        shown.push(key.keyType);
        return (await trust.check(key)).ok;
      },
      knownHostKeyTypes: (target) => trust.knownKeyTypes(target.host, target.port),
    };
    const connection = await SshConnection.connect(keyAuth(lab1), [], hooks);
    connection.dispose();
    expect(shown).toEqual(['ecdsa-sha2-nistp256']);
    expect(asked).toEqual([]);
  });

  it('without that preference the server shows its ed25519 key, which looks changed (the case this guards)', async () => {
    const trust = new HostKeyTrust({ configDir: join(dir, 'control'), userKnownHosts, ask: async () => 'reject' });
    const verdicts: string[] = [];
    const hooks: SshHooks = {
      checkHostKey: async (target, blob) => {
        const result = await trust.check(HostKeyTrust.describe(target.host, target.port, blob));
        verdicts.push(result.verdict.kind);
        return result.ok;
      },
    };
    const error = await SshConnection.connect(keyAuth(lab1), [], hooks).catch((e: unknown) => e);
    expect((error as SshFailure).kind).toBe('host-key-rejected');
    expect(verdicts).toEqual(['changed']);
  });

  it('a host profile connects as trusted with no question and no "changed" status', async () => {
    const { app, watch, close } = await startLabApp({ userKnownHosts });
    try {
      const profile = (await app.registry.call('profiles.create', { fields: await labProfileFields('lab1', { label: 'lab1-ecdsa' }) })) as HostProfile;
      await watch.waitForStatus(profile.id, ['connected', 'host-key-changed', 'awaiting-user']);
      expect((await watch.host(profile.id))?.status).toBe('connected');
      expect(watch.of('prompt.opened')).toEqual([]);
    } finally {
      await close();
    }
  });
});
