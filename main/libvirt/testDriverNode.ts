/**
 * The node file of libvirt's test driver (`test:///path/node.xml`): a whole hypervisor — CPU,
 * memory, domains in any state, networks, pools — loaded by every virsh that connects to it.
 * The demo hypervisor and the scale lab's test-driver hosts are built from it. Domain states are
 * set with the driver's own namespace (`<test:runstate>`, virDomainState numbers).
 */
import type { VmState } from '../../preload/contract.js';

export const TEST_DRIVER_NS = 'http://libvirt.org/schemas/domain/test/1.0';

const STATE_CODES: Record<VmState, number> = {
  'no-state': 0,
  running: 1,
  blocked: 2,
  paused: 3,
  'shutting-down': 4,
  shutoff: 5,
  crashed: 6,
  'pm-suspended': 7,
};

export interface TestDriverDomain {
  name: string;
  uuid?: string;
  vcpus: number;
  memoryKiB: number;
  state: VmState;
  /** Network names the domain has a NIC on, with its MAC. */
  nics?: { network: string; mac: string }[];
  description?: string;
}

export interface TestDriverNetwork {
  name: string;
  bridge: string;
  /** IPv4 address of the host side, /24, DHCP over .2–.254. */
  address: string;
  forward: 'nat' | 'route' | 'isolated';
}

export interface TestDriverPool {
  name: string;
  path: string;
  capacityBytes: number;
  allocationBytes: number;
}

export interface TestDriverNode {
  cpus: { sockets: number; cores: number; threads: number; mhz: number };
  memoryKiB: number;
  domains: readonly TestDriverDomain[];
  networks?: readonly TestDriverNetwork[];
  pools?: readonly TestDriverPool[];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

function domainXml(domain: TestDriverDomain): string {
  const nics = (domain.nics ?? [])
    .map((nic) => `<interface type='network'><source network='${escapeXml(nic.network)}'/><mac address='${escapeXml(nic.mac)}'/></interface>`)
    .join('');
  return [
    `<domain type='test'>`,
    `<name>${escapeXml(domain.name)}</name>`,
    domain.uuid ? `<uuid>${escapeXml(domain.uuid)}</uuid>` : '',
    domain.description ? `<description>${escapeXml(domain.description)}</description>` : '',
    `<memory unit='KiB'>${domain.memoryKiB}</memory>`,
    `<currentMemory unit='KiB'>${domain.memoryKiB}</currentMemory>`,
    `<vcpu>${domain.vcpus}</vcpu>`,
    `<os><type arch='x86_64'>hvm</type></os>`,
    `<devices>${nics}</devices>`,
    `<test:runstate>${STATE_CODES[domain.state]}</test:runstate>`,
    `</domain>`,
  ].join('');
}

function networkXml(network: TestDriverNetwork): string {
  const prefix = network.address.split('.').slice(0, 3).join('.');
  const forward = network.forward === 'isolated' ? '' : `<forward mode='${network.forward}'/>`;
  return [
    `<network><name>${escapeXml(network.name)}</name>${forward}`,
    `<bridge name='${escapeXml(network.bridge)}' stp='on' delay='0'/>`,
    `<ip address='${network.address}' netmask='255.255.255.0'><dhcp><range start='${prefix}.2' end='${prefix}.254'/></dhcp></ip>`,
    `</network>`,
  ].join('');
}

function poolXml(pool: TestDriverPool): string {
  return [
    `<pool type='dir'><name>${escapeXml(pool.name)}</name>`,
    `<capacity unit='bytes'>${pool.capacityBytes}</capacity>`,
    `<allocation unit='bytes'>${pool.allocationBytes}</allocation>`,
    `<available unit='bytes'>${pool.capacityBytes - pool.allocationBytes}</available>`,
    `<source/><target><path>${escapeXml(pool.path)}</path></target>`,
    `</pool>`,
  ].join('');
}

/** One domain per line, so a large file stays readable and diffable. */
export function buildTestDriverNode(node: TestDriverNode): string {
  const { cpus } = node;
  const total = cpus.sockets * cpus.cores * cpus.threads;
  return [
    `<node xmlns:test='${TEST_DRIVER_NS}'>`,
    `<cpu><nodes>1</nodes><sockets>${cpus.sockets}</sockets><cores>${cpus.cores}</cores><threads>${cpus.threads}</threads><active>${total}</active><mhz>${cpus.mhz}</mhz><model>x86_64</model></cpu>`,
    `<memory>${node.memoryKiB}</memory>`,
    ...node.domains.map(domainXml),
    ...(node.networks ?? []).map(networkXml),
    ...(node.pools ?? []).map(poolXml),
    `</node>`,
    '',
  ].join('\n');
}
