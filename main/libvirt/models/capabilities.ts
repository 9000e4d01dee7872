/**
 * Host capabilities (`virsh capabilities`) and domain capabilities (`virsh domcapabilities`)
 * XML → typed models: what the host's CPU is, and which guests libvirt can run on it.
 */
import { attr, child, parseXml, sizeInBytes, text, type XmlNode } from '../xmlParser.js';

export interface CpuTopology {
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
}

/** One `<guest>` entry: an OS type and architecture libvirt can run, and with which engines. */
export interface GuestCapability {
  osType: string;
  arch: string;
  emulator?: string;
  /** `<domain type=…>` values, e.g. ['qemu', 'kvm']. */
  domainTypes: string[];
}

export interface HostCapabilities {
  arch?: string;
  cpuModel?: string;
  cpuVendor?: string;
  topology?: CpuTopology;
  /** Host CPU flags as libvirt lists them (`<feature name='…'/>`); empty when it lists none. */
  cpuFeatures: string[];
  /** Memory of all NUMA cells, when the host lists its NUMA topology. */
  memoryKiB?: number;
  guests: GuestCapability[];
}

export interface DomainCapabilities {
  /** The virtualization type these capabilities are for, e.g. 'kvm'. */
  domainType?: string;
  emulator?: string;
  arch?: string;
  /** Flags the host-model CPU requires (features libvirt disables for the guest are left out). */
  hostModelFeatures: string[];
}

/** An element that may occur once or many times, always as a list. */
function elements(node: unknown, name: string): XmlNode[] {
  if (node === null || typeof node !== 'object') return [];
  const value = (node as XmlNode)[name];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  // `<pae/>` parses as '' and `<model>x</model>` as a bare string; both become nodes.
  return list.map((item) => (typeof item === 'object' && item !== null ? (item as XmlNode) : { '#text': String(item) }));
}

function positiveInt(value: string | undefined): number | undefined {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseTopology(cpu: XmlNode | undefined): CpuTopology | undefined {
  const topology = child(cpu, 'topology');
  const sockets = positiveInt(attr(topology, 'sockets'));
  const cores = positiveInt(attr(topology, 'cores'));
  const threads = positiveInt(attr(topology, 'threads'));
  if (sockets === undefined || cores === undefined || threads === undefined) return undefined;
  // Dies sit between sockets and cores; a socket holds all of its dies' cores.
  const dies = positiveInt(attr(topology, 'dies')) ?? 1;
  return { sockets, coresPerSocket: cores * dies, threadsPerCore: threads };
}

function parseGuests(capabilities: XmlNode): GuestCapability[] {
  const guests: GuestCapability[] = [];
  for (const guest of elements(capabilities, 'guest')) {
    const osType = nonEmpty(text(guest, 'os_type')) ?? '';
    for (const arch of elements(guest, 'arch')) {
      const entry: GuestCapability = {
        osType,
        arch: attr(arch, 'name') ?? '',
        domainTypes: elements(arch, 'domain')
          .map((domain) => attr(domain, 'type'))
          .filter((type): type is string => type !== undefined),
      };
      const emulator = nonEmpty(text(arch, 'emulator'));
      if (emulator) entry.emulator = emulator;
      guests.push(entry);
    }
  }
  return guests;
}

export function parseCapabilitiesXml(xml: string): HostCapabilities {
  const capabilities = child(parseXml(xml), 'capabilities');
  if (!capabilities) throw new Error('not a capabilities XML document');
  // The shared parser always lists <host> elements (they repeat in network XML).
  const host = elements(capabilities, 'host')[0];
  const cpu = child(host, 'cpu');
  const result: HostCapabilities = {
    cpuFeatures: elements(cpu, 'feature')
      .map((feature) => attr(feature, 'name'))
      .filter((name): name is string => name !== undefined),
    guests: parseGuests(capabilities),
  };
  const arch = nonEmpty(text(cpu, 'arch'));
  if (arch) result.arch = arch;
  const model = nonEmpty(text(cpu, 'model'));
  if (model) result.cpuModel = model;
  const vendor = nonEmpty(text(cpu, 'vendor'));
  if (vendor) result.cpuVendor = vendor;
  const topology = parseTopology(cpu);
  if (topology) result.topology = topology;
  const cells = elements(child(child(host, 'topology'), 'cells'), 'cell');
  if (cells.length > 0) {
    result.memoryKiB = cells.reduce((sum, cell) => sum + sizeInBytes(child(cell, 'memory')) / 1024, 0);
  }
  return result;
}

export function parseDomainCapabilitiesXml(xml: string): DomainCapabilities {
  const capabilities = child(parseXml(xml), 'domainCapabilities');
  if (!capabilities) throw new Error('not a domain capabilities XML document');
  const hostModel = elements(child(capabilities, 'cpu'), 'mode').find((mode) => attr(mode, 'name') === 'host-model');
  const result: DomainCapabilities = {
    hostModelFeatures: elements(hostModel, 'feature')
      .filter((feature) => attr(feature, 'policy') !== 'disable')
      .map((feature) => attr(feature, 'name'))
      .filter((name): name is string => name !== undefined),
  };
  const domainType = nonEmpty(text(capabilities, 'domain'));
  if (domainType) result.domainType = domainType;
  const emulator = nonEmpty(text(capabilities, 'path'));
  if (emulator) result.emulator = emulator;
  const arch = nonEmpty(text(capabilities, 'arch'));
  if (arch) result.arch = arch;
  return result;
}
