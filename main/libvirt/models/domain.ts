/** Domain XML → the typed model the rest of main uses. */
import { attr, child, parseXml, sizeInBytes, text, type XmlNode } from '../xmlParser.js';

export interface DomainDefinition {
  name: string;
  uuid: string;
  type: string;
  vcpus: number;
  memoryKiB: number;
  osType?: string;
  arch?: string;
  /** MAC addresses of the network interfaces, lowercase, in XML order (joined with DHCP leases). */
  macs: string[];
}

export function parseDomainXml(xml: string): DomainDefinition {
  const domain = child(parseXml(xml), 'domain');
  if (!domain) throw new Error('not a domain XML document');
  const os = child(domain, 'os');
  const osTypeNode = child(os, 'type');
  const definition: DomainDefinition = {
    name: text(domain, 'name') ?? '',
    uuid: text(domain, 'uuid') ?? '',
    type: attr(domain, 'type') ?? '',
    vcpus: Number(text(domain, 'vcpu') ?? '0') || 0,
    memoryKiB: Math.round(sizeInBytes(child(domain, 'currentMemory') ?? child(domain, 'memory')) / 1024),
    macs: interfaceMacs(child(domain, 'devices')),
  };
  const osType = text(osTypeNode);
  if (osType) definition.osType = osType;
  const arch = attr(osTypeNode, 'arch');
  if (arch) definition.arch = arch;
  return definition;
}

function interfaceMacs(devices: XmlNode | undefined): string[] {
  const interfaces = devices?.['interface'];
  if (!Array.isArray(interfaces)) return [];
  return interfaces
    .map((node) => attr(child(node, 'mac'), 'address')?.toLowerCase())
    .filter((mac): mac is string => mac !== undefined && mac !== '');
}
