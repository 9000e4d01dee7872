/**
 * The virtual network form's state: what the user types (text, even for numbers) and the
 * NetworkDraft made from it. A new network gets free suggestions: a name, a virbrN bridge and
 * a 192.168.N.0/24 subnet no other network of the host uses.
 */
import type { NetworkDhcpHost, NetworkDraft, NetworkIpDraft, NetworkKind } from '../../../preload/contract.js';

export interface IpForm {
  enabled: boolean;
  address: string;
  prefix: string;
  dhcp: boolean;
  dhcpStart: string;
  dhcpEnd: string;
  hosts: NetworkDhcpHost[];
}

export interface NetworkForm {
  name: string;
  kind: NetworkKind;
  bridge: string;
  ipv4: IpForm;
  ipv6: IpForm;
  domain: string;
  pxe: boolean;
  tftpRoot: string;
  bootFile: string;
  autostart: boolean;
}

const emptyIp = (enabled: boolean): IpForm => ({ enabled, address: '', prefix: '', dhcp: false, dhcpStart: '', dhcpEnd: '', hosts: [] });

function ipForm(ip: NetworkIpDraft | undefined, fallback: IpForm): IpForm {
  if (!ip) return { ...fallback, enabled: false };
  return {
    enabled: true,
    address: ip.address,
    prefix: String(ip.prefix),
    dhcp: ip.dhcp !== undefined,
    dhcpStart: ip.dhcp?.start ?? '',
    dhcpEnd: ip.dhcp?.end ?? '',
    hosts: ip.hosts.map((host) => ({ ...host })),
  };
}

export function formFromDraft(draft: NetworkDraft): NetworkForm {
  return {
    name: draft.name,
    kind: draft.kind,
    bridge: draft.bridge,
    ipv4: ipForm(draft.ipv4, emptyIp(false)),
    ipv6: ipForm(draft.ipv6, emptyIp(false)),
    domain: draft.domain,
    pxe: draft.pxe !== undefined,
    tftpRoot: draft.pxe?.tftpRoot ?? '',
    bootFile: draft.pxe?.bootFile ?? '',
    autostart: draft.autostart,
  };
}

function ipDraft(form: IpForm): NetworkIpDraft | undefined {
  if (!form.enabled) return undefined;
  const prefix = form.prefix.trim() === '' ? Number.NaN : Number(form.prefix.trim());
  return {
    address: form.address.trim(),
    prefix,
    ...(form.dhcp ? { dhcp: { start: form.dhcpStart.trim(), end: form.dhcpEnd.trim() } } : {}),
    hosts: form.hosts.map((host) => ({ ip: host.ip.trim(), ...(host.mac?.trim() ? { mac: host.mac.trim() } : {}), ...(host.name?.trim() ? { name: host.name.trim() } : {}) })),
  };
}

export function draftFromForm(form: NetworkForm): NetworkDraft {
  const ipv4 = ipDraft(form.ipv4);
  const ipv6 = ipDraft(form.ipv6);
  return {
    name: form.name.trim(),
    kind: form.kind,
    bridge: form.bridge.trim(),
    ...(ipv4 ? { ipv4 } : {}),
    ...(ipv6 ? { ipv6 } : {}),
    domain: form.domain.trim(),
    ...(form.pxe ? { pxe: { tftpRoot: form.tftpRoot.trim(), bootFile: form.bootFile.trim() } } : {}),
    autostart: form.autostart,
  };
}

function firstFree(taken: ReadonlySet<string>, make: (index: number) => string, from = 1): string {
  for (let index = from; ; index += 1) if (!taken.has(make(index))) return make(index);
}

/** A new NAT network with IPv4 and DHCP on a free subnet, name and bridge. */
export function newNetworkForm(existing: readonly { name: string; bridge?: string; ipv4?: string }[], devices: readonly string[]): NetworkForm {
  const names = new Set(existing.map((network) => network.name));
  const bridges = new Set([...devices, ...existing.flatMap((network) => (network.bridge ? [network.bridge] : []))]);
  const thirds = new Set(existing.flatMap((network) => (network.ipv4?.startsWith('192.168.') ? [`192.168.${network.ipv4.split('.')[2]}`] : [])));
  const subnet = firstFree(thirds, (index) => `192.168.${index}`, 100);
  return {
    name: firstFree(names, (index) => `net${index}`),
    kind: 'nat',
    bridge: firstFree(bridges, (index) => `virbr${index}`),
    ipv4: { enabled: true, address: `${subnet}.1`, prefix: '24', dhcp: true, dhcpStart: `${subnet}.100`, dhcpEnd: `${subnet}.199`, hosts: [] },
    ipv6: emptyIp(false),
    domain: '',
    pxe: false,
    tftpRoot: '',
    bootFile: 'pxelinux.0',
    autostart: true,
  };
}
