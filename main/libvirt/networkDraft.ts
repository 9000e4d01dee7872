/**
 * A virtual network's settings as the form edits them (NetworkDraft), read from and written to
 * the network's XML document. Writing changes only what the draft covers: port groups, routes,
 * DNS forwarders, QoS and anything else in an existing definition stay as they were.
 */
import type { NetworkDraft, NetworkIpDraft, NetworkKind } from '../../preload/contract.js';
import type { LiveNetworkUpdate } from './networks.js';
import { childElements } from './xml/childElements.js';
import { NETWORK, NETWORK_IP, NetworkDocument, type IpFamily } from './xml/networkDocument.js';

const FAMILIES: readonly IpFamily[] = ['ipv4', 'ipv6'];
const KINDS: ReadonlySet<string> = new Set<NetworkKind>(['nat', 'route', 'open']);

function prefixFromNetmask(netmask: string): number {
  return netmask.split('.').reduce((bits, part) => bits + (Number(part) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

function readIp(document: NetworkDocument, family: IpFamily): NetworkIpDraft | undefined {
  const ip = document.ipElement(family);
  if (!ip) return undefined;
  const netmask = document.get(NETWORK_IP.netmask, ip);
  const prefix = document.get(NETWORK_IP.prefix, ip) ?? (netmask ? prefixFromNetmask(netmask) : family === 'ipv4' ? 24 : 64);
  const range = document.dhcpRanges(family)[0];
  return {
    address: document.get(NETWORK_IP.address, ip) ?? '',
    prefix,
    ...(range ? { dhcp: range } : {}),
    hosts: document.dhcpHosts(family),
  };
}

/** The draft of a network, or undefined when it is a kind the form does not cover (bridge, macvtap, hostdev …). */
export function readNetworkDraft(document: NetworkDocument, autostart: boolean): NetworkDraft | undefined {
  const mode = document.get(NETWORK.forwardMode);
  const hasForward = childElements(document.root, 'forward').length > 0;
  const kind: NetworkKind | undefined = !hasForward ? 'isolated' : KINDS.has(mode ?? 'nat') ? ((mode ?? 'nat') as NetworkKind) : undefined;
  if (!kind) return undefined;
  const ipv4 = readIp(document, 'ipv4');
  const ipv6 = readIp(document, 'ipv6');
  const tftpRoot = document.tftpRoot();
  const bootFile = document.bootFile();
  return {
    name: document.get(NETWORK.name) ?? '',
    kind,
    bridge: document.get(NETWORK.bridgeName) ?? '',
    ...(ipv4 ? { ipv4 } : {}),
    ...(ipv6 ? { ipv6 } : {}),
    domain: document.get(NETWORK.domainName) ?? '',
    ...(tftpRoot !== undefined || bootFile !== undefined ? { pxe: { tftpRoot: tftpRoot ?? '', bootFile: bootFile ?? '' } } : {}),
    autostart,
  };
}

function writeIp(document: NetworkDocument, family: IpFamily, ip: NetworkIpDraft | undefined): void {
  if (!ip) {
    document.removeIp(family);
    return;
  }
  document.setIp(family, ip.address.trim(), ip.prefix);
  document.clearDhcp(family);
  if (ip.dhcp) document.addDhcpRange(family, { start: ip.dhcp.start.trim(), end: ip.dhcp.end.trim() });
  for (const host of ip.hosts) {
    const name = host.name?.trim();
    const mac = family === 'ipv4' ? host.mac?.trim() : undefined;
    document.addDhcpHost(family, { ip: host.ip.trim(), ...(mac ? { mac } : {}), ...(name ? { name } : {}) });
  }
}

/** Writes the draft onto a network's document (a new one from NetworkDocument.create()). */
export function applyNetworkDraft(document: NetworkDocument, draft: NetworkDraft): void {
  document.setName(draft.name);
  document.setForwardMode(draft.kind);
  if (draft.bridge !== '') document.setBridge(draft.bridge);
  else document.clear(NETWORK.bridgeName);
  // Without the boot file, the TFTP root must go before the IPv4 address might.
  if (!draft.pxe) {
    document.setBootFile(undefined);
    document.setTftpRoot(undefined);
  }
  for (const family of FAMILIES) writeIp(document, family, draft[family]);
  document.setDomainName(draft.domain === '' ? undefined : draft.domain);
  if (draft.pxe) {
    document.setTftpRoot(draft.pxe.tftpRoot.trim());
    document.setBootFile(draft.pxe.bootFile.trim());
  }
}

/** The XML of a new network. */
export function newNetworkXml(draft: NetworkDraft): string {
  const document = NetworkDocument.create();
  applyNetworkDraft(document, draft);
  return document.toXml();
}

/** The draft without what `net-update` can change on a running network. */
function restartRelevant(draft: NetworkDraft | undefined): string {
  if (!draft) return '';
  const strip = (ip: NetworkIpDraft | undefined) => (ip ? { address: ip.address, prefix: ip.prefix } : undefined);
  return JSON.stringify({ ...draft, autostart: false, ipv4: strip(draft.ipv4), ipv6: strip(draft.ipv6) });
}

/**
 * What makes a running network (its live definition `live`) match the new definition
 * `next`: DHCP ranges and fixed leases deleted and added with `net-update --live`, deletions
 * first so a lease can move to another address; everything else needs a restart.
 */
export function planLiveNetworkUpdate(live: NetworkDocument, next: NetworkDocument): { updates: LiveNetworkUpdate[]; restartNeeded: boolean } {
  let restartNeeded = restartRelevant(readNetworkDraft(live, false)) !== restartRelevant(readNetworkDraft(next, false));
  const deletes: LiveNetworkUpdate[] = [];
  const adds: LiveNetworkUpdate[] = [];
  for (const family of FAMILIES) {
    const parentIndex = live.ipIndex(family);
    if (parentIndex !== next.ipIndex(family)) {
      restartNeeded = true;
      continue;
    }
    if (parentIndex < 0) continue;
    const before = live.dhcpEntries(family);
    const after = next.dhcpEntries(family);
    const has = (entries: typeof before, entry: (typeof before)[number]) => entries.some((other) => other.section === entry.section && other.xml === entry.xml);
    for (const entry of before) if (!has(after, entry)) deletes.push({ command: 'delete', section: entry.section, parentIndex, xml: entry.xml });
    for (const entry of after) if (!has(before, entry)) adds.push({ command: 'add', section: entry.section, parentIndex, xml: entry.xml });
  }
  return { updates: [...deletes, ...adds], restartNeeded };
}
