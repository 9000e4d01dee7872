/**
 * The hosts every installation starts with: this computer (local libvirt through a locally
 * spawned virsh, when virsh is installed) and the demo hypervisor (libvirt's test driver,
 * loaded from a node file of ours, alive as long as its one virsh session).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildTestDriverNode, type TestDriverNode } from '../../libvirt/testDriverNode.js';

export const LOCAL_HOST_ID = 'local';
export const DEMO_HOST_ID = 'demo';

/** Resolves true when a `virsh` can be run on this computer. */
export function virshInstalled(virshPath = 'virsh'): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(virshPath, ['--version'], { timeout: 10_000 }, (error) => resolve(!error));
  });
}

const GiB = 1024 * 1024;

/**
 * What the demo hypervisor holds: machines in every state libvirt knows (so a newcomer sees
 * what each looks like), a NAT network and a storage pool. libvirt's test driver loads it from
 * a node file; its state then lives as long as the one virsh session that loaded it.
 */
export const DEMO_NODE: TestDriverNode = {
  cpus: { sockets: 2, cores: 8, threads: 2, mhz: 2600 },
  memoryKiB: 128 * GiB,
  domains: [
    { name: 'web-frontend', vcpus: 2, memoryKiB: 2 * GiB, state: 'running', nics: [{ network: 'default', mac: '52:54:00:de:00:01' }] },
    { name: 'database', vcpus: 4, memoryKiB: 8 * GiB, state: 'running', nics: [{ network: 'default', mac: '52:54:00:de:00:02' }] },
    { name: 'build-runner', vcpus: 4, memoryKiB: 4 * GiB, state: 'paused' },
    { name: 'windows-desktop', vcpus: 2, memoryKiB: 4 * GiB, state: 'shutoff' },
    { name: 'mail-relay', vcpus: 1, memoryKiB: 1 * GiB, state: 'shutting-down' },
    { name: 'legacy-erp', vcpus: 2, memoryKiB: 2 * GiB, state: 'crashed', description: 'Kept after a crash for inspection (on_crash=preserve).' },
    { name: 'laptop-image', vcpus: 2, memoryKiB: 2 * GiB, state: 'pm-suspended' },
    { name: 'xen-appliance', vcpus: 1, memoryKiB: GiB / 2, state: 'blocked' },
    { name: 'half-migrated', vcpus: 1, memoryKiB: GiB, state: 'no-state' },
  ],
  networks: [{ name: 'default', bridge: 'virbr0', address: '192.168.122.1', forward: 'nat' }],
  pools: [{ name: 'default', path: '/var/lib/libvirt/images', capacityBytes: 500 * 1024 ** 3, allocationBytes: 120 * 1024 ** 3 }],
};

/** Writes the demo's node file (ours, rewritten at every start) and returns its test:// URI. */
export async function writeDemoNode(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'demo-hypervisor.xml');
  await writeFile(file, buildTestDriverNode(DEMO_NODE), { mode: 0o600 });
  return `test://${file}`;
}
