/** Network XML → typed model, read from the network's document. */
import { attributeValue, childElements, childText, firstChildElement } from '../xml/childElements.js';
import { NetworkDocument } from '../xml/networkDocument.js';

export interface NetworkDefinition {
  name: string;
  uuid: string;
  bridge?: string;
  forwardMode?: string;
  /** First IPv4 address with its prefix, e.g. 192.168.122.1/24. */
  ipv4?: string;
  /** The first DHCP range, `start – end` (IPv4 first). */
  dhcpRange?: string;
}

function prefixFromNetmask(netmask: string): number {
  return netmask
    .split('.')
    .map((part) => Number(part).toString(2).split('').filter((bit) => bit === '1').length)
    .reduce((sum, bits) => sum + bits, 0);
}

export function parseNetworkXml(xml: string): NetworkDefinition {
  return readNetworkDefinition(NetworkDocument.parse(xml));
}

export function readNetworkDefinition(document: NetworkDocument): NetworkDefinition {
  const network = document.root;
  const definition: NetworkDefinition = {
    name: childText(network, 'name') ?? '',
    uuid: childText(network, 'uuid') ?? '',
  };
  const bridge = attributeValue(firstChildElement(network, 'bridge'), 'name');
  if (bridge) definition.bridge = bridge;
  const forward = firstChildElement(network, 'forward');
  // A network without <forward> is isolated; libvirt has no mode attribute for that.
  definition.forwardMode = forward ? (attributeValue(forward, 'mode') ?? 'nat') : 'isolated';
  const ipv4 = childElements(network, 'ip').find((ip) => (attributeValue(ip, 'family') ?? 'ipv4') === 'ipv4');
  if (ipv4) {
    const address = attributeValue(ipv4, 'address');
    const netmask = attributeValue(ipv4, 'netmask');
    const prefix = attributeValue(ipv4, 'prefix') ?? (netmask ? String(prefixFromNetmask(netmask)) : undefined);
    if (address) definition.ipv4 = prefix ? `${address}/${prefix}` : address;
  }
  const range = document.dhcpRanges('ipv4')[0] ?? document.dhcpRanges('ipv6')[0];
  if (range) definition.dhcpRange = `${range.start} – ${range.end}`;
  return definition;
}
