// Host details read from the lab's real libvirtd over VirtDeck's own SSH layer: CPU, memory,
// versions, and the verdict on hardware virtualization and KVM against what the lab reports.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection, type SshEndpoint, type SshHooks } from '../../main/connection/sshConnection.js';
import { readHostDetails } from '../../main/libvirt/hostDetails.js';
import { VirshSession } from '../../main/libvirt/virshSession.js';
import { HostKeyTrust } from '../../main/services/hosts/hostKeyTrust.js';
import { labKnownHostsPath, readLabHosts, type LabHost } from '../lab/index.js';

const hosts = await readLabHosts();
const byName = new Map(hosts.map((host) => [host.name, host]));

function endpoint(host: LabHost): SshEndpoint {
  const auth: SshEndpoint['auth'] =
    host.auth === 'key'
      ? { method: 'key', keyFile: host.keyFile ?? '' }
      : host.auth === 'password'
        ? { method: 'password', password: host.password ?? '' }
        : { method: 'keyboard-interactive' };
  return { host: host.address, port: host.port, username: host.user, auth };
}

let dir: string;
const open: SshConnection[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vd-details-it-'));
});
afterAll(async () => {
  for (const connection of open) connection.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Trusts exactly the lab's known_hosts; any other key is refused without asking anyone. */
function labHooks(host: LabHost): SshHooks {
  const trust = new HostKeyTrust({ configDir: join(dir, host.name), userKnownHosts: labKnownHostsPath(), ask: async () => 'reject' });
  return {
    checkHostKey: async (target, key) => (await trust.check(HostKeyTrust.describe(target.host, target.port, key))).ok,
    answerPrompts: async (_target, _name, _instructions, prompts) => prompts.map(() => host.password ?? ''),
  };
}

async function connect(host: LabHost): Promise<SshConnection> {
  const jump = host.jumpHost ? byName.get(host.jumpHost) : undefined;
  const connection = await SshConnection.connect(endpoint(host), jump ? [endpoint(jump)] : [], labHooks(host));
  open.push(connection);
  return connection;
}

describe('host details from every lab host with libvirt running', () => {
  for (const host of hosts.filter((h) => h.libvirtRunning)) {
    it(`${host.name}: KVM ${host.kvm ? 'usable' : 'not usable'}, CPU, memory and versions`, async () => {
      const session = await VirshSession.start(await connect(host), host.libvirtUri);
      try {
        const details = await readHostDetails(session, host.name);
        expect(details.hostId).toBe(host.name);
        expect(details.kvmUsable).toBe(host.kvm);
        if (host.kvm) {
          expect(['vmx', 'svm']).toContain(details.hardwareVirtualization);
          expect(details.missing).toEqual([]);
        } else {
          expect(details.missing.length).toBeGreaterThan(0);
        }
        expect(details.memoryKiB).toBeGreaterThan(0);
        expect(details.logicalCpus).toBeGreaterThan(0);
        expect(details.cpuModel).toBeTruthy();
        expect(details.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/);
        expect(details.hypervisorType).toBe('QEMU');
      } finally {
        session.dispose();
      }
    });
  }
});
