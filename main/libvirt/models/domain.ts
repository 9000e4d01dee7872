/** Domain XML → the typed model the rest of main uses, read from the domain's document. */
import type { Element } from '@xmldom/xmldom';
import { attributeValue, elementText, firstChildElement, isElement } from '../xml/childElements.js';
import { DomainDocument, LIBOSINFO_NAMESPACE } from '../xml/domainDocument.js';
import { sizeInBytes } from '../xml/sizeUnit.js';

export interface DomainDefinition {
  name: string;
  uuid: string;
  type: string;
  vcpus: number;
  memoryKiB: number;
  osType?: string;
  arch?: string;
  /** `<memory>`: the most the guest can have, in KiB. */
  maxMemoryKiB: number;
  /** The libosinfo OS id of `<metadata><libosinfo:libosinfo><libosinfo:os id=…>`, when recorded. */
  osId?: string;
  /** MAC addresses of the network interfaces, lowercase, in XML order (joined with DHCP leases). */
  macs: string[];
  /** Disks, CD-ROMs and floppies, in XML order ('' for what the definition leaves out). */
  disks: DomainDiskFacts[];
  /** Network interfaces, in XML order (the same order as `macs`, which skips those without a MAC). */
  nics: DomainNicFacts[];
}

export interface DomainDiskFacts {
  /** disk, cdrom, floppy, lun */
  device: string;
  /** file, block, volume, network … */
  type: string;
  target: string;
  bus: string;
  /** `<driver type>`: raw, qcow2 … */
  format: string;
  cache: string;
  io: string;
  /** `<source file>` or `<source dev>`. */
  path?: string;
  pool?: string;
  volume?: string;
}

export interface DomainNicFacts {
  /** Lowercase; '' when libvirt has not assigned one (never in a defined domain). */
  mac: string;
  /** network, bridge, direct, user … */
  type: string;
  /** `<model type>` ('' when the definition leaves it to the hypervisor). */
  model: string;
  /** The network or bridge (or device) it is plugged into. */
  source: string;
}

export function parseDomainXml(xml: string): DomainDefinition {
  return readDomainDefinition(DomainDocument.parse(xml));
}

/**
 * The model of a domain document. The inventory reads every domain of every host, so this
 * walks the root's children once instead of asking a path per field.
 */
export function readDomainDefinition(document: DomainDocument): DomainDefinition {
  const domain = document.root;
  let name: Element | undefined;
  let uuid: Element | undefined;
  let vcpu: Element | undefined;
  let memory: Element | undefined;
  let currentMemory: Element | undefined;
  let os: Element | undefined;
  let devices: Element | undefined;
  let metadata: Element | undefined;
  for (let node = domain.firstChild; node !== null; node = node.nextSibling) {
    if (!isElement(node) || node.namespaceURI) continue;
    const element = node;
    switch (element.localName) {
      case 'name': name ??= element; break;
      case 'uuid': uuid ??= element; break;
      case 'vcpu': vcpu ??= element; break;
      case 'memory': memory ??= element; break;
      case 'currentMemory': currentMemory ??= element; break;
      case 'os': os ??= element; break;
      case 'devices': devices ??= element; break;
      case 'metadata': metadata ??= element; break;
    }
  }
  const osTypeNode = firstChildElement(os, 'type');
  const { disks, nics } = readDevices(devices);
  const definition: DomainDefinition = {
    name: elementText(name) ?? '',
    uuid: elementText(uuid) ?? '',
    type: attributeValue(domain, 'type') ?? '',
    vcpus: Number(elementText(vcpu) ?? '0') || 0,
    memoryKiB: Math.round(sizeInBytes(currentMemory ?? memory, 'KiB') / 1024),
    maxMemoryKiB: Math.round(sizeInBytes(memory ?? currentMemory, 'KiB') / 1024),
    macs: nics.flatMap((nic) => (nic.mac ? [nic.mac] : [])),
    disks,
    nics,
  };
  const osType = elementText(osTypeNode);
  if (osType) definition.osType = osType;
  const arch = attributeValue(osTypeNode, 'arch');
  if (arch) definition.arch = arch;
  const osId = attributeValue(firstChildElement(firstChildElement(metadata, 'libosinfo', LIBOSINFO_NAMESPACE), 'os', LIBOSINFO_NAMESPACE), 'id');
  if (osId) definition.osId = osId;
  return definition;
}

/** Disks and interfaces in one pass over `<devices>` (each device's children once). */
function readDevices(devices: Element | undefined): { disks: DomainDiskFacts[]; nics: DomainNicFacts[] } {
  const disks: DomainDiskFacts[] = [];
  const nics: DomainNicFacts[] = [];
  for (let node = devices?.firstChild ?? null; node !== null; node = node.nextSibling) {
    if (!isElement(node) || node.namespaceURI) continue;
    if (node.localName === 'disk') disks.push(readDisk(node));
    else if (node.localName === 'interface') nics.push(readNic(node));
  }
  return { disks, nics };
}

function readDisk(element: Element): DomainDiskFacts {
  const disk: DomainDiskFacts = { device: attributeValue(element, 'device') ?? 'disk', type: attributeValue(element, 'type') ?? 'file', target: '', bus: '', format: '', cache: '', io: '' };
  for (let node = element.firstChild; node !== null; node = node.nextSibling) {
    if (!isElement(node) || node.namespaceURI) continue;
    switch (node.localName) {
      case 'target':
        disk.target = attributeValue(node, 'dev') ?? '';
        disk.bus = attributeValue(node, 'bus') ?? '';
        break;
      case 'driver':
        disk.format = attributeValue(node, 'type') ?? '';
        disk.cache = attributeValue(node, 'cache') ?? '';
        disk.io = attributeValue(node, 'io') ?? '';
        break;
      case 'source': {
        const path = attributeValue(node, 'file') ?? attributeValue(node, 'dev');
        if (path) disk.path = path;
        const pool = attributeValue(node, 'pool');
        const volume = attributeValue(node, 'volume');
        if (pool && volume) {
          disk.pool = pool;
          disk.volume = volume;
        }
        break;
      }
    }
  }
  return disk;
}

function readNic(element: Element): DomainNicFacts {
  const nic: DomainNicFacts = { mac: '', type: attributeValue(element, 'type') ?? '', model: '', source: '' };
  for (let node = element.firstChild; node !== null; node = node.nextSibling) {
    if (!isElement(node) || node.namespaceURI) continue;
    switch (node.localName) {
      case 'mac':
        nic.mac = attributeValue(node, 'address')?.toLowerCase() ?? '';
        break;
      case 'model':
        nic.model = attributeValue(node, 'type') ?? '';
        break;
      case 'source':
        nic.source = attributeValue(node, 'network') ?? attributeValue(node, 'bridge') ?? attributeValue(node, 'dev') ?? '';
        break;
    }
  }
  return nic;
}
