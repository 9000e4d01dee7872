/**
 * What a host is made of and whether it can run guests: CPU, memory, versions, hardware
 * virtualization and KVM. Read in one round trip over the host's virsh session.
 */
import type { HostDetails } from '../../preload/contract.js';
import { parseVersionOutput } from './hostFacts.js';
import {
  parseCapabilitiesXml,
  parseDomainCapabilitiesXml,
  type DomainCapabilities,
  type HostCapabilities,
} from './models/capabilities.js';
import { VirshError, virshErrorMessage, type VirshSession } from './virshSession.js';

export interface NodeInfo {
  logicalCpus?: number;
  /** Per NUMA node, as `virsh nodeinfo` counts them. */
  socketsPerNode?: number;
  coresPerSocket?: number;
  threadsPerCore?: number;
  numaNodes?: number;
  memoryKiB?: number;
}

const NODEINFO_FIELDS: Record<string, keyof NodeInfo> = {
  'CPU(s)': 'logicalCpus',
  'CPU socket(s)': 'socketsPerNode',
  'Core(s) per socket': 'coresPerSocket',
  'Thread(s) per core': 'threadsPerCore',
  'NUMA cell(s)': 'numaNodes',
  'Memory size': 'memoryKiB',
};

/** Parses `virsh nodeinfo` (run under LC_ALL=C, so the labels are English). */
export function parseNodeinfoOutput(stdout: string): NodeInfo {
  const info: NodeInfo = {};
  for (const line of stdout.split('\n')) {
    const match = /^([^:]+):\s+(\d+)/.exec(line.trim());
    const field = match?.[1] ? NODEINFO_FIELDS[match[1].trim()] : undefined;
    if (field && match?.[2]) info[field] = Number(match[2]);
  }
  return info;
}

export type Virtualization = Pick<HostDetails, 'hardwareVirtualization' | 'kvmUsable' | 'missing'>;

const X86 = /^(x86_64|i[3-6]86)$/;

/**
 * Decides what the host offers and lacks for running guests.
 * `domainCapabilities` is the answer to `domcapabilities --virttype kvm`, undefined when that
 * failed — which is how libvirt says KVM is not usable (no module, no /dev/kvm access).
 */
export function assessVirtualization(uri: string, capabilities: HostCapabilities, domainCapabilities: DomainCapabilities | undefined): Virtualization {
  const kvmUsable = domainCapabilities?.domainType === 'kvm';
  const flags = new Set([...capabilities.cpuFeatures, ...(domainCapabilities?.hostModelFeatures ?? [])]);
  let hardwareVirtualization: HostDetails['hardwareVirtualization'];
  if (flags.has('vmx')) hardwareVirtualization = 'vmx';
  else if (flags.has('svm')) hardwareVirtualization = 'svm';
  else if (!X86.test(capabilities.arch ?? '')) hardwareVirtualization = 'unknown';
  else if (kvmUsable) {
    // KVM cannot run on x86 without VT-x/AMD-V, so it is there even when the flag list hides
    // it (a host that is itself a VM may pass /dev/kvm through without showing the flag).
    const vendor = capabilities.cpuVendor?.toLowerCase();
    hardwareVirtualization = vendor === 'intel' ? 'vmx' : vendor === 'amd' ? 'svm' : 'unknown';
  }
  // Without a flag list (the test driver lists none) there is nothing to judge by.
  else hardwareVirtualization = capabilities.cpuFeatures.length > 0 ? 'none' : 'unknown';

  const missing: string[] = [];
  // Only QEMU/KVM hosts need these; the test driver and other drivers run guests without them.
  if (/^qemu(\+[a-z0-9]+)?:/i.test(uri)) {
    const hasQemu = capabilities.guests.some((guest) => guest.domainTypes.includes('qemu') || guest.domainTypes.includes('kvm'));
    if (!hasQemu) missing.push('hostMissing.qemu');
    if (hardwareVirtualization === 'none') missing.push('hostMissing.hardwareVirtualization');
    // Without QEMU nobody can tell whether KVM would work; ask for QEMU first.
    else if (!kvmUsable && hasQemu) missing.push('hostMissing.kvm');
  }
  return { hardwareVirtualization, kvmUsable, missing };
}

/** Sockets in the whole machine: nodeinfo counts them per NUMA node when that adds up. */
function totalSockets(info: NodeInfo): number | undefined {
  const { socketsPerNode, coresPerSocket, threadsPerCore, numaNodes, logicalCpus } = info;
  if (socketsPerNode === undefined) return undefined;
  if (numaNodes && coresPerSocket && threadsPerCore && numaNodes * socketsPerNode * coresPerSocket * threadsPerCore === logicalCpus) {
    return numaNodes * socketsPerNode;
  }
  return socketsPerNode;
}

export async function readHostDetails(session: VirshSession, hostId: string): Promise<HostDetails> {
  const [nodeinfo, capabilities, domainCapabilities, version, uri] = await Promise.all(
    session.runBatch([['nodeinfo'], ['capabilities'], ['domcapabilities', '--virttype', 'kvm'], ['version'], ['uri']]),
  );
  // Everything else is optional detail; without capabilities there is nothing to say.
  if (!capabilities?.ok) {
    const stderr = capabilities?.stderr ?? '';
    throw new VirshError(virshErrorMessage(stderr) || 'virsh capabilities failed', stderr);
  }
  const hostCapabilities = parseCapabilitiesXml(capabilities.stdout);
  const kvmCapabilities = domainCapabilities?.ok ? parseDomainCapabilitiesXml(domainCapabilities.stdout) : undefined;
  const info = nodeinfo?.ok ? parseNodeinfoOutput(nodeinfo.stdout) : {};

  const details: HostDetails = {
    hostId,
    ...assessVirtualization(uri?.ok ? uri.stdout.trim() : '', hostCapabilities, kvmCapabilities),
  };
  if (hostCapabilities.cpuModel) details.cpuModel = hostCapabilities.cpuModel;
  if (hostCapabilities.cpuVendor) details.cpuVendor = hostCapabilities.cpuVendor;
  const sockets = hostCapabilities.topology?.sockets ?? totalSockets(info);
  if (sockets !== undefined) details.sockets = sockets;
  const cores = hostCapabilities.topology?.coresPerSocket ?? info.coresPerSocket;
  if (cores !== undefined) details.coresPerSocket = cores;
  const threads = hostCapabilities.topology?.threadsPerCore ?? info.threadsPerCore;
  if (threads !== undefined) details.threadsPerCore = threads;
  if (info.logicalCpus !== undefined) details.logicalCpus = info.logicalCpus;
  const memoryKiB = info.memoryKiB ?? hostCapabilities.memoryKiB;
  if (memoryKiB !== undefined) details.memoryKiB = memoryKiB;

  if (version?.ok) {
    const facts = parseVersionOutput(version.stdout);
    if (facts.libvirtVersion) details.libvirtVersion = facts.libvirtVersion;
    // "QEMU 7.2.22" → type QEMU, version 7.2.22.
    const hypervisor = /^(\S+)\s+(\S+)/.exec(facts.hypervisorVersion ?? '');
    if (hypervisor?.[1] && hypervisor[2]) {
      details.hypervisorType = hypervisor[1];
      details.hypervisorVersion = hypervisor[2];
    } else {
      const api = /Using API: (\S+)/.exec(version.stdout);
      if (api?.[1]) details.hypervisorType = api[1];
    }
  }
  return details;
}
