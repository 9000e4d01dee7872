/** Network XML → typed model. */
import { attr, child, parseXml, text, type XmlNode } from '../xmlParser.js';

export interface NetworkDefinition {
  name: string;
  uuid: string;
  bridge?: string;
  forwardMode?: string;
  /** First IPv4 address with its prefix, e.g. 192.168.122.1/24. */
  ipv4?: string;
}

function prefixFromNetmask(netmask: string): number {
  return netmask
    .split('.')
    .map((part) => Number(part).toString(2).split('').filter((bit) => bit === '1').length)
    .reduce((sum, bits) => sum + bits, 0);
}

export function parseNetworkXml(xml: string): NetworkDefinition {
  const network = child(parseXml(xml), 'network');
  if (!network) throw new Error('not a network XML document');
  const definition: NetworkDefinition = {
    name: text(network, 'name') ?? '',
    uuid: text(network, 'uuid') ?? '',
  };
  const bridge = attr(child(network, 'bridge'), 'name');
  if (bridge) definition.bridge = bridge;
  const forward = child(network, 'forward');
  // A network without <forward> is isolated; libvirt has no mode attribute for that.
  definition.forwardMode = forward ? (attr(forward, 'mode') ?? 'nat') : 'isolated';
  const ips = (network.ip as XmlNode[] | undefined) ?? [];
  const ipv4 = ips.find((ip) => (attr(ip, 'family') ?? 'ipv4') === 'ipv4');
  if (ipv4) {
    const address = attr(ipv4, 'address');
    const prefix = attr(ipv4, 'prefix') ?? (attr(ipv4, 'netmask') ? String(prefixFromNetmask(attr(ipv4, 'netmask') ?? '')) : undefined);
    if (address) definition.ipv4 = prefix ? `${address}/${prefix}` : address;
  }
  return definition;
}
