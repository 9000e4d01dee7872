/**
 * Host capabilities (`virsh capabilities`) and domain capabilities (`virsh domcapabilities`)
 * XML → typed models: what the host's CPU is, and which guests libvirt can run on it.
 */
import type { Element } from '@xmldom/xmldom';
import { attributeValue, childElements, childText, firstChildElement } from '../xml/childElements.js';
import { sizeInBytes } from '../xml/sizeUnit.js';
import { XmlDocument } from '../xml/xmlDocument.js';

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

function positiveInt(value: string | undefined): number | undefined {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseTopology(cpu: Element | undefined): CpuTopology | undefined {
  const topology = firstChildElement(cpu, 'topology');
  const sockets = positiveInt(attributeValue(topology, 'sockets'));
  const cores = positiveInt(attributeValue(topology, 'cores'));
  const threads = positiveInt(attributeValue(topology, 'threads'));
  if (sockets === undefined || cores === undefined || threads === undefined) return undefined;
  // Dies sit between sockets and cores; a socket holds all of its dies' cores.
  const dies = positiveInt(attributeValue(topology, 'dies')) ?? 1;
  return { sockets, coresPerSocket: cores * dies, threadsPerCore: threads };
}

function parseGuests(capabilities: Element): GuestCapability[] {
  const guests: GuestCapability[] = [];
  for (const guest of childElements(capabilities, 'guest')) {
    const osType = nonEmpty(childText(guest, 'os_type')) ?? '';
    for (const arch of childElements(guest, 'arch')) {
      const entry: GuestCapability = {
        osType,
        arch: attributeValue(arch, 'name') ?? '',
        domainTypes: childElements(arch, 'domain')
          .map((domain) => attributeValue(domain, 'type'))
          .filter((type): type is string => type !== undefined),
      };
      const emulator = nonEmpty(childText(arch, 'emulator'));
      if (emulator) entry.emulator = emulator;
      guests.push(entry);
    }
  }
  return guests;
}

/** The root of a capabilities document, after checking it is the kind asked for. */
function rootOf(xml: string, rootName: string, what: string): Element {
  const root = XmlDocument.parse(xml).root;
  if (root.localName !== rootName || root.namespaceURI) throw new Error(`not a ${what} XML document`);
  return root;
}

function names(elements: Element[]): string[] {
  return elements.map((element) => attributeValue(element, 'name')).filter((name): name is string => name !== undefined);
}

export function parseCapabilitiesXml(xml: string): HostCapabilities {
  const capabilities = rootOf(xml, 'capabilities', 'capabilities');
  const host = firstChildElement(capabilities, 'host');
  const cpu = firstChildElement(host, 'cpu');
  const result: HostCapabilities = {
    cpuFeatures: names(childElements(cpu, 'feature')),
    guests: parseGuests(capabilities),
  };
  const arch = nonEmpty(childText(cpu, 'arch'));
  if (arch) result.arch = arch;
  const model = nonEmpty(childText(cpu, 'model'));
  if (model) result.cpuModel = model;
  const vendor = nonEmpty(childText(cpu, 'vendor'));
  if (vendor) result.cpuVendor = vendor;
  const topology = parseTopology(cpu);
  if (topology) result.topology = topology;
  const cells = childElements(firstChildElement(firstChildElement(host, 'topology'), 'cells'), 'cell');
  if (cells.length > 0) {
    result.memoryKiB = cells.reduce((sum, cell) => sum + sizeInBytes(firstChildElement(cell, 'memory')) / 1024, 0);
  }
  return result;
}

export function parseDomainCapabilitiesXml(xml: string): DomainCapabilities {
  const capabilities = rootOf(xml, 'domainCapabilities', 'domain capabilities');
  const hostModel = childElements(firstChildElement(capabilities, 'cpu'), 'mode').find((mode) => attributeValue(mode, 'name') === 'host-model');
  const result: DomainCapabilities = {
    hostModelFeatures: names(childElements(hostModel, 'feature').filter((feature) => attributeValue(feature, 'policy') !== 'disable')),
  };
  const domainType = nonEmpty(childText(capabilities, 'domain'));
  if (domainType) result.domainType = domainType;
  const emulator = nonEmpty(childText(capabilities, 'path'));
  if (emulator) result.emulator = emulator;
  const arch = nonEmpty(childText(capabilities, 'arch'));
  if (arch) result.arch = arch;
  return result;
}
