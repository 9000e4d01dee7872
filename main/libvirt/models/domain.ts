/** Domain XML → the typed model the rest of main uses, read from the domain's document. */
import type { Element } from '@xmldom/xmldom';
import { attributeValue, elementText, firstChildElement, isElement } from '../xml/childElements.js';
import { DomainDocument } from '../xml/domainDocument.js';
import { sizeInBytes } from '../xml/sizeUnit.js';

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
    }
  }
  const osTypeNode = firstChildElement(os, 'type');
  const definition: DomainDefinition = {
    name: elementText(name) ?? '',
    uuid: elementText(uuid) ?? '',
    type: attributeValue(domain, 'type') ?? '',
    vcpus: Number(elementText(vcpu) ?? '0') || 0,
    memoryKiB: Math.round(sizeInBytes(currentMemory ?? memory) / 1024),
    macs: interfaceMacs(devices),
  };
  const osType = elementText(osTypeNode);
  if (osType) definition.osType = osType;
  const arch = attributeValue(osTypeNode, 'arch');
  if (arch) definition.arch = arch;
  return definition;
}

function interfaceMacs(devices: Element | undefined): string[] {
  const macs: string[] = [];
  for (let node = devices?.firstChild ?? null; node !== null; node = node.nextSibling) {
    if (!isElement(node) || node.localName !== 'interface' || node.namespaceURI) continue;
    const mac = attributeValue(firstChildElement(node, 'mac'), 'address')?.toLowerCase();
    if (mac) macs.push(mac);
  }
  return macs;
}
