/**
 * A host's virtual networks: reading one network's settings as a draft, creating, editing,
 * starting, stopping and deleting. The checks of a draft live here so that the form and main
 * refuse the same things; the renderer shows each problem in the user's language.
 */
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** How guests reach beyond the network; the kinds VirtDeck creates and edits. */
export const NetworkKind = z.enum(['nat', 'route', 'open', 'isolated']);
export type NetworkKind = z.infer<typeof NetworkKind>;

export const NetworkDhcpHost = z.object({
  /** IPv4 fixed leases are keyed by MAC; IPv6 ones by host name. */
  mac: z.string().optional(),
  name: z.string().optional(),
  ip: z.string(),
});
export type NetworkDhcpHost = z.infer<typeof NetworkDhcpHost>;

export const NetworkIpDraft = z.object({
  address: z.string(),
  prefix: z.number().int(),
  /** One DHCP range; absent means no DHCP server on this family. */
  dhcp: z.object({ start: z.string(), end: z.string() }).optional(),
  hosts: z.array(NetworkDhcpHost),
});
export type NetworkIpDraft = z.infer<typeof NetworkIpDraft>;

export const NetworkDraft = z.object({
  name: z.string(),
  kind: NetworkKind,
  /** The host bridge libvirt creates; empty lets libvirt pick a free virbrN. */
  bridge: z.string(),
  ipv4: NetworkIpDraft.optional(),
  ipv6: NetworkIpDraft.optional(),
  /** DNS domain handed to guests (and answered for locally). */
  domain: z.string(),
  /** Network boot: a TFTP root on the host and the boot file DHCP names (IPv4). */
  pxe: z.object({ tftpRoot: z.string(), bootFile: z.string() }).optional(),
  autostart: z.boolean(),
});
export type NetworkDraft = z.infer<typeof NetworkDraft>;

export const NetworkConfig = z.object({
  name: z.string(),
  uuid: z.string(),
  active: z.boolean(),
  autostart: z.boolean(),
  persistent: z.boolean(),
  /** The draft read from the persistent definition; absent for kinds VirtDeck does not edit (bridge, macvtap, hostdev …). */
  draft: NetworkDraft.optional(),
  forwardMode: z.string(),
  /** The bridge device libvirt uses now. */
  bridge: z.string().optional(),
  /** Guests whose definition has an interface on this network. */
  guests: z.array(z.string()),
});
export type NetworkConfig = z.infer<typeof NetworkConfig>;

/** What a new network's name and bridge must not collide with on the host. */
export const NetworkNamesInUse = z.object({
  networks: z.array(z.object({ name: z.string(), bridge: z.string().optional() })),
  /** Network devices that exist on the host (`/sys/class/net`). */
  devices: z.array(z.string()),
});
export type NetworkNamesInUse = z.infer<typeof NetworkNamesInUse>;

export type NetworkProblemCode =
  | 'required'
  | 'invalid-name'
  | 'name-taken'
  | 'invalid-bridge'
  | 'bridge-taken'
  | 'needs-ipv4'
  | 'needs-address'
  | 'invalid-address'
  | 'invalid-prefix'
  | 'network-address'
  | 'outside-subnet'
  | 'range-reversed'
  | 'range-contains-address'
  | 'invalid-mac'
  | 'duplicate'
  | 'invalid-domain'
  | 'invalid-path'
  | 'invalid-file'
  | 'pxe-needs-dhcp';

export interface NetworkProblem {
  /** The form field: name, bridge, ipv4.address, ipv6.dhcpEnd, ipv4.hosts.2.mac, pxe.tftpRoot … */
  field: string;
  code: NetworkProblemCode;
}

export const NETWORK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/;
/** Linux interface names: at most 15 bytes, no slash, colon or white space. */
export const BRIDGE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/;
const MAC_PATTERN = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const DOMAIN_PATTERN = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const HOST_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const PATH_PATTERN = /^\/[^\0\n]*$/;
const FILE_PATTERN = /^[^\s\0/][^\s\0]*$/;

type Family = 'ipv4' | 'ipv6';

function parseAddress(text: string, family: Family): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const trimmed = text.trim();
  if (family === 'ipv4') return ipaddr.IPv4.isValidFourPartDecimal(trimmed) ? ipaddr.IPv4.parse(trimmed) : undefined;
  return ipaddr.IPv6.isValid(trimmed) && !trimmed.includes('%') ? ipaddr.IPv6.parse(trimmed) : undefined;
}

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function ipProblems(family: Family, ip: NetworkIpDraft): NetworkProblem[] {
  const problems: NetworkProblem[] = [];
  const add = (field: string, code: NetworkProblemCode) => problems.push({ field: `${family}.${field}`, code });
  const bits = family === 'ipv4' ? 32 : 128;
  const address = parseAddress(ip.address, family);
  if (ip.address.trim() === '') add('address', 'required');
  else if (!address) add('address', 'invalid-address');
  // libvirt and dnsmasq need room for the host and at least one guest.
  const prefixOk = Number.isInteger(ip.prefix) && ip.prefix >= (family === 'ipv4' ? 8 : 8) && ip.prefix <= (family === 'ipv4' ? 30 : 126);
  if (!prefixOk) add('prefix', 'invalid-prefix');
  if (!address || !prefixOk) return problems;
  const hostBits = BigInt(bits - ip.prefix);
  const value = toBigInt(address);
  const network = (value >> hostBits) << hostBits;
  const last = network | ((1n << hostBits) - 1n);
  if (value === network || (family === 'ipv4' && value === last)) add('address', 'network-address');
  const inside = (candidate: bigint) => candidate > network && (family === 'ipv6' ? candidate <= last : candidate < last);
  const check = (field: string, text: string): bigint | undefined => {
    if (text.trim() === '') {
      add(field, 'required');
      return undefined;
    }
    const parsed = parseAddress(text, family);
    if (!parsed) {
      add(field, 'invalid-address');
      return undefined;
    }
    const number = toBigInt(parsed);
    if (!inside(number)) {
      add(field, 'outside-subnet');
      return undefined;
    }
    return number;
  };
  if (ip.dhcp) {
    const start = check('dhcpStart', ip.dhcp.start);
    const end = check('dhcpEnd', ip.dhcp.end);
    if (start !== undefined && end !== undefined) {
      if (start > end) add('dhcpEnd', 'range-reversed');
      else if (value >= start && value <= end) add('dhcpStart', 'range-contains-address');
    }
  }
  const seenIps = new Set<bigint>();
  const seenKeys = new Set<string>();
  ip.hosts.forEach((host, index) => {
    const number = check(`hosts.${index}.ip`, host.ip);
    if (number !== undefined) {
      if (number === value || seenIps.has(number)) add(`hosts.${index}.ip`, 'duplicate');
      seenIps.add(number);
    }
    if (family === 'ipv4') {
      const mac = (host.mac ?? '').trim().toLowerCase();
      if (mac === '') add(`hosts.${index}.mac`, 'required');
      else if (!MAC_PATTERN.test(mac)) add(`hosts.${index}.mac`, 'invalid-mac');
      else if (seenKeys.has(mac)) add(`hosts.${index}.mac`, 'duplicate');
      seenKeys.add(mac);
    }
    const name = (host.name ?? '').trim();
    if (name === '' && family === 'ipv6') add(`hosts.${index}.name`, 'required');
    else if (name !== '' && !HOST_NAME_PATTERN.test(name)) add(`hosts.${index}.name`, 'invalid-name');
    else if (name !== '' && family === 'ipv6') {
      if (seenKeys.has(name)) add(`hosts.${index}.name`, 'duplicate');
      seenKeys.add(name);
    }
  });
  return problems;
}

/**
 * Everything wrong with a draft, before anything changes on the host. `editing` names the
 * network being edited: its own name and bridge are not collisions.
 */
export function networkDraftProblems(draft: NetworkDraft, inUse: NetworkNamesInUse, editing?: string): NetworkProblem[] {
  const problems: NetworkProblem[] = [];
  const others = inUse.networks.filter((network) => network.name !== editing);
  const own = inUse.networks.find((network) => network.name === editing);
  if (draft.name.trim() === '') problems.push({ field: 'name', code: 'required' });
  else if (!NETWORK_NAME_PATTERN.test(draft.name)) problems.push({ field: 'name', code: 'invalid-name' });
  else if (editing === undefined && inUse.networks.some((network) => network.name === draft.name)) problems.push({ field: 'name', code: 'name-taken' });
  if (draft.bridge !== '') {
    if (!BRIDGE_NAME_PATTERN.test(draft.bridge)) problems.push({ field: 'bridge', code: 'invalid-bridge' });
    else if (others.some((network) => network.bridge === draft.bridge) || (own?.bridge !== draft.bridge && inUse.devices.includes(draft.bridge))) {
      problems.push({ field: 'bridge', code: 'bridge-taken' });
    }
  }
  if (draft.kind === 'nat' && !draft.ipv4) problems.push({ field: 'ipv4.enabled', code: 'needs-ipv4' });
  else if ((draft.kind === 'route' || draft.kind === 'open') && !draft.ipv4 && !draft.ipv6) problems.push({ field: 'ipv4.enabled', code: 'needs-address' });
  if (draft.ipv4) problems.push(...ipProblems('ipv4', draft.ipv4));
  if (draft.ipv6) problems.push(...ipProblems('ipv6', draft.ipv6));
  if (draft.domain !== '' && !DOMAIN_PATTERN.test(draft.domain)) problems.push({ field: 'domain', code: 'invalid-domain' });
  if (draft.pxe) {
    if (!draft.ipv4?.dhcp) problems.push({ field: 'pxe.enabled', code: 'pxe-needs-dhcp' });
    if (draft.pxe.tftpRoot.trim() === '') problems.push({ field: 'pxe.tftpRoot', code: 'required' });
    else if (!PATH_PATTERN.test(draft.pxe.tftpRoot)) problems.push({ field: 'pxe.tftpRoot', code: 'invalid-path' });
    if (draft.pxe.bootFile.trim() === '') problems.push({ field: 'pxe.bootFile', code: 'required' });
    else if (!FILE_PATTERN.test(draft.pxe.bootFile)) problems.push({ field: 'pxe.bootFile', code: 'invalid-file' });
  }
  return problems;
}

const HostRef = { hostId: z.string().min(1) };
const NetworkRef = { ...HostRef, name: z.string().min(1) };

export const networkCalls = {
  'networks.config': { args: z.object(NetworkRef).strict(), result: NetworkConfig },
  'networks.namesInUse': { args: z.object(HostRef).strict(), result: NetworkNamesInUse },
  /** Defines the network, starts it and sets its autostart; undone if a step fails. */
  'networks.create': { args: z.object({ ...HostRef, draft: NetworkDraft, start: z.boolean() }).strict(), result: z.null() },
  /**
   * Redefines the network from the draft (unknown settings kept). DHCP ranges and fixed
   * leases also change on the running network; other changes wait for its next start.
   */
  'networks.update': {
    args: z.object({ ...NetworkRef, draft: NetworkDraft }).strict(),
    result: z.object({ restartNeeded: z.boolean() }),
  },
  'networks.start': { args: z.object(NetworkRef).strict(), result: z.null() },
  'networks.stop': { args: z.object(NetworkRef).strict(), result: z.null() },
  'networks.setAutostart': { args: z.object({ ...NetworkRef, autostart: z.boolean() }).strict(), result: z.null() },
  /** Stops (if running) and undefines; refused while a guest's definition uses it. */
  'networks.delete': { args: z.object(NetworkRef).strict(), result: z.null() },
} as const;
