/**
 * A virtual network's XML as a document: forward mode, bridge, addresses and DHCP, each
 * changed on its own, the rest (DNS, routes, port groups, QoS) kept.
 */
import type { Element } from '@xmldom/xmldom';
import { attributeValue, childElements } from './childElements.js';
import type { ChildOrder } from './elementLayout.js';
import { LibvirtDocument, parseKind } from './libvirtDocument.js';
import { XmlDocument } from './xmlDocument.js';
import { removeElement } from './xmlPath.js';
import { serializeXml } from './xmlSerializer.js';
import { intProperty, presenceProperty, stringProperty } from './xmlProperty.js';

export const NETWORK_CHILD_ORDER: ChildOrder = new Map<string, readonly string[]>([
  [
    'network',
    [
      'name', 'uuid', 'title', 'description', 'metadata', 'forward', 'bridge', 'mtu', 'mac', 'domain', 'dns', 'ip',
      'route', 'portgroup', 'virtualport', 'bandwidth', 'vlan', 'port',
    ],
  ],
  ['forward', ['nat', 'pf', 'interface', 'address', 'driver']],
  ['nat', ['address', 'port']],
  ['dns', ['forwarder', 'txt', 'host', 'srv']],
  ['ip', ['tftp', 'dhcp']],
  ['dhcp', ['range', 'host', 'bootp']],
]);

export type ForwardMode = 'nat' | 'route' | 'open' | 'bridge' | 'private' | 'vepa' | 'passthrough' | 'hostdev';
export type IpFamily = 'ipv4' | 'ipv6';

export interface DhcpRange {
  start: string;
  end: string;
}

/** A fixed lease: IPv4 hosts are keyed by MAC, IPv6 ones by DHCP id or name. */
export interface DhcpHost {
  ip: string;
  mac?: string;
  name?: string;
}

export const NETWORK = {
  name: stringProperty('./name'),
  uuid: stringProperty('./uuid'),
  forwardMode: stringProperty('./forward/@mode'),
  forwardDev: stringProperty('./forward/@dev'),
  bridgeName: stringProperty('./bridge/@name'),
  bridgeStp: stringProperty('./bridge/@stp'),
  mtu: intProperty('./mtu/@size'),
  mac: stringProperty('./mac/@address'),
  domainName: stringProperty('./domain/@name'),
} as const;

/** Properties of an `<ip>` element. */
export const NETWORK_IP = {
  address: stringProperty('./@address'),
  prefix: intProperty('./@prefix'),
  netmask: stringProperty('./@netmask'),
  family: stringProperty('./@family'),
} as const;

const DHCP_RANGE = { start: stringProperty('./@start'), end: stringProperty('./@end') } as const;
const DHCP_HOST = { mac: stringProperty('./@mac'), name: stringProperty('./@name'), ip: stringProperty('./@ip') } as const;
const DOMAIN = presenceProperty('./domain');
const TFTP = { element: presenceProperty('./tftp'), root: stringProperty('./tftp/@root') } as const;
const BOOTP = { element: presenceProperty('./dhcp/bootp'), file: stringProperty('./bootp/@file') } as const;

function netmaskFromPrefix(prefix: number): string {
  const bits = prefix <= 0 ? 0 : (0xffffffff << (32 - Math.min(prefix, 32))) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}

export class NetworkDocument extends LibvirtDocument {
  private constructor(xml: XmlDocument) {
    super(xml, xml.root);
  }

  static parse(xml: string): NetworkDocument {
    return new NetworkDocument(parseKind(xml, 'network', 'network', NETWORK_CHILD_ORDER));
  }

  static create(): NetworkDocument {
    return new NetworkDocument(XmlDocument.create('network', { order: NETWORK_CHILD_ORDER }));
  }

  /**
   * How guests reach the outside; 'isolated' removes `<forward>` (libvirt has no mode for it).
   * NAT settings (`<nat>`) go when the mode is no longer NAT: libvirt refuses them elsewhere.
   */
  setForwardMode(mode: ForwardMode | 'isolated'): void {
    const forward = this.forwardElement();
    if (mode === 'isolated') {
      if (forward) this.xml.remove(forward);
      return;
    }
    this.set(NETWORK.forwardMode, mode);
    if (mode !== 'nat') for (const nat of childElements(this.forwardElement(), 'nat')) this.xml.remove(nat);
  }

  /** The host bridge libvirt creates (NAT, route, isolated) or attaches to (bridge mode). */
  setBridge(name: string): void {
    this.set(NETWORK.bridgeName, name);
  }

  /** The first `<ip>` of a family; an `<ip>` without `family` is IPv4. */
  ipElement(family: IpFamily): Element | undefined {
    return childElements(this.root, 'ip').find((ip) => (attributeValue(ip, 'family') ?? 'ipv4') === family);
  }

  /**
   * The host's address on the network and its prefix. An IPv4 address written with a
   * netmask keeps that style; a new one gets a prefix.
   */
  setIp(family: IpFamily, address: string, prefix: number): void {
    const ip = this.ensureIp(family);
    this.set(NETWORK_IP.address, address, ip);
    if (family === 'ipv4' && this.get(NETWORK_IP.netmask, ip) !== undefined) this.set(NETWORK_IP.netmask, netmaskFromPrefix(prefix), ip);
    else this.set(NETWORK_IP.prefix, prefix, ip);
  }

  /** Removes a family's `<ip>` with its DHCP; false when there is none. */
  removeIp(family: IpFamily): boolean {
    const ip = this.ipElement(family);
    if (ip) this.xml.remove(ip);
    return ip !== undefined;
  }

  dhcpRanges(family: IpFamily): DhcpRange[] {
    return this.dhcpChildren(family, 'range').map((range) => ({
      start: this.get(DHCP_RANGE.start, range) ?? '',
      end: this.get(DHCP_RANGE.end, range) ?? '',
    }));
  }

  /** Adds a DHCP range after the others; the family's `<ip>` must exist (setIp). */
  addDhcpRange(family: IpFamily, range: DhcpRange): void {
    const element = this.xml.insert(this.ensureDhcp(family), this.xml.createElement('range'));
    this.set(DHCP_RANGE.start, range.start, element);
    this.set(DHCP_RANGE.end, range.end, element);
  }

  /** Removes the range starting at `start`; false when there is none. */
  removeDhcpRange(family: IpFamily, start: string): boolean {
    return this.removeDhcpChild(family, 'range', (range) => attributeValue(range, 'start') === start);
  }

  addDhcpHost(family: IpFamily, host: DhcpHost): void {
    const element = this.xml.insert(this.ensureDhcp(family), this.xml.createElement('host'));
    if (host.mac !== undefined) this.set(DHCP_HOST.mac, host.mac.toLowerCase(), element);
    if (host.name !== undefined) this.set(DHCP_HOST.name, host.name, element);
    this.set(DHCP_HOST.ip, host.ip, element);
  }

  /** Removes the fixed lease for `ip`; false when there is none. */
  removeDhcpHost(family: IpFamily, ip: string): boolean {
    return this.removeDhcpChild(family, 'host', (host) => attributeValue(host, 'ip') === ip);
  }

  dhcpHosts(family: IpFamily): DhcpHost[] {
    return this.dhcpChildren(family, 'host').map((host) => {
      const mac = this.get(DHCP_HOST.mac, host);
      const name = this.get(DHCP_HOST.name, host);
      return { ip: this.get(DHCP_HOST.ip, host) ?? '', ...(mac === undefined ? {} : { mac }), ...(name === undefined ? {} : { name }) };
    });
  }

  /** Each DHCP range and fixed lease of a family as XML, in the form `virsh net-update` takes. */
  dhcpEntries(family: IpFamily): { section: 'ip-dhcp-range' | 'ip-dhcp-host'; xml: string }[] {
    return [
      ...this.dhcpChildren(family, 'range').map((range) => ({ section: 'ip-dhcp-range' as const, xml: serializeXml(range) })),
      ...this.dhcpChildren(family, 'host').map((host) => ({ section: 'ip-dhcp-host' as const, xml: serializeXml(host) })),
    ];
  }

  /** The position of a family's `<ip>` among the network's `<ip>` elements (net-update's parent index). */
  ipIndex(family: IpFamily): number {
    const ip = this.ipElement(family);
    return ip ? childElements(this.root, 'ip').indexOf(ip) : -1;
  }

  /** Removes every DHCP range and fixed lease of a family (the boot file stays). */
  clearDhcp(family: IpFamily): void {
    for (const range of this.dhcpRanges(family)) this.removeDhcpRange(family, range.start);
    for (const host of this.dhcpHosts(family)) this.removeDhcpHost(family, host.ip);
  }

  /** The DNS domain guests are given (`<domain name=…/>`); undefined removes it. */
  setDomainName(name: string | undefined): void {
    if (name === undefined) this.clear(DOMAIN);
    else this.set(NETWORK.domainName, name);
  }

  tftpRoot(): string | undefined {
    const ip = this.ipElement('ipv4');
    return ip ? this.get(TFTP.root, ip) : undefined;
  }

  /** The directory dnsmasq serves over TFTP on the IPv4 address; undefined removes it. */
  setTftpRoot(root: string | undefined): void {
    const ip = root === undefined ? this.ipElement('ipv4') : this.ensureIp('ipv4');
    if (!ip) return;
    if (root === undefined) this.clear(TFTP.element, ip);
    else this.set(TFTP.root, root, ip);
  }

  bootFile(): string | undefined {
    const dhcp = childElements(this.ipElement('ipv4'), 'dhcp')[0];
    return dhcp ? this.get(BOOTP.file, dhcp) : undefined;
  }

  /** The boot file DHCP names to network-booting guests; undefined removes it. */
  setBootFile(file: string | undefined): void {
    if (file === undefined) {
      const ip = this.ipElement('ipv4');
      if (ip) this.clear(BOOTP.element, ip);
      return;
    }
    this.set(BOOTP.file, file, this.ensureDhcp('ipv4'));
  }

  private forwardElement(): Element | undefined {
    return childElements(this.root, 'forward')[0];
  }

  private ensureIp(family: IpFamily): Element {
    const existing = this.ipElement(family);
    if (existing) return existing;
    const ip = this.xml.insert(this.root, this.xml.createElement('ip'));
    if (family === 'ipv6') this.set(NETWORK_IP.family, 'ipv6', ip);
    return ip;
  }

  private ensureDhcp(family: IpFamily): Element {
    const ip = this.ipElement(family);
    if (!ip) throw new Error(`the network has no ${family} address to serve DHCP on`);
    return childElements(ip, 'dhcp')[0] ?? this.xml.insert(ip, this.xml.createElement('dhcp'));
  }

  private dhcpChildren(family: IpFamily, name: string): Element[] {
    return childElements(childElements(this.ipElement(family), 'dhcp')[0], name);
  }

  /** Removes a range or host, and `<dhcp>` with it when that was its last entry. */
  private removeDhcpChild(family: IpFamily, name: string, matches: (element: Element) => boolean): boolean {
    const ip = this.ipElement(family);
    const element = this.dhcpChildren(family, name).find(matches);
    if (ip && element) removeElement(this.xml, ip, element);
    return element !== undefined;
  }
}
