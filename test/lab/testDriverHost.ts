// Test-driver hosts: sshd and nothing else. Their virsh serves libvirt's test driver from a node
// file that lives on the host itself (written into the host's private /var/lib/libvirt as root,
// never a path of this machine), so an app connecting over real SSH runs a real virsh on real XML
// without a libvirtd: fifty of them fit on two cores.
import { createHash } from 'node:crypto';
import { buildTestDriverNode, type TestDriverDomain, type TestDriverNode } from '../../main/libvirt/testDriverNode.js';
import type { VmState } from '../../preload/contract.js';
import { runInHost } from './hostNamespace.js';
import { labVmName, TEST_NODE_PATH } from './plan.js';
import { requireRuntimeHost } from './runtime.js';

const MiB = 1024;

/** A stable UUID per VM, so every read of the same host names the same domains. */
function vmUuid(hostName: string, index: number): string {
  const h = createHash('sha256').update(`virtdeck-lab-vm:${hostName}:${index}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Mostly shut off, every tenth running, every 25th paused: a fleet's usual mix. */
function vmState(index: number): VmState {
  if (index % 25 === 0) return 'paused';
  if (index % 10 === 0) return 'running';
  return 'shutoff';
}

export function testDriverNodeFor(hostName: string, vms: number): TestDriverNode {
  const domains: TestDriverDomain[] = Array.from({ length: vms }, (_, i) => ({
    name: labVmName(hostName, i + 1),
    uuid: vmUuid(hostName, i + 1),
    vcpus: 1 + (i % 2),
    memoryKiB: (64 + (i % 5) * 16) * MiB,
    state: vmState(i + 1),
  }));
  return {
    cpus: { sockets: 2, cores: 16, threads: 2, mhz: 2400 },
    memoryKiB: 512 * 1024 * MiB,
    domains,
    networks: [{ name: 'default', bridge: 'virbr0', address: '192.168.122.1', forward: 'nat' }],
    pools: [{ name: 'default', path: '/var/lib/libvirt/images', capacityBytes: 2 * 1024 ** 4, allocationBytes: 300 * 1024 ** 3 }],
  };
}

/** Writes (atomically, readable by the lab user) the node file into the host with `vms` domains. */
export async function writeTestDriverNodeInHost(holderPid: number, hostName: string, vms: number): Promise<void> {
  const script = 'umask 022 && cat > "$1.tmp" && mv "$1.tmp" "$1"';
  const result = await runInHost(holderPid, ['sh', '-c', script, 'sh', TEST_NODE_PATH], {
    input: buildTestDriverNode(testDriverNodeFor(hostName, vms)),
  });
  if (result.code !== 0) throw new Error(`writing the test-driver node file on ${hostName}: ${result.stderr.trim()}`);
}

export async function writeTestDriverNode(hostName: string, vms: number): Promise<void> {
  const host = await requireRuntimeHost(hostName);
  await writeTestDriverNodeInHost(host.holderPid, hostName, vms);
}
