/** The host's interfaces as the list shows them, from `ip -j -d addr` and `ip -j route` (pure). */
import type { HostInterface, InterfaceAddress, InterfaceKind, InterfaceRoute } from '../../preload/contract.js';
import type { ProbeOutput } from './hostProbe.js';

interface IpAddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
  scope?: string;
  dynamic?: boolean;
  valid_life_time?: number;
}

interface IpLink {
  ifname?: string;
  link_type?: string;
  address?: string;
  operstate?: string;
  mtu?: number;
  master?: string;
  link?: string;
  linkinfo?: { info_kind?: string; info_slave_kind?: string; info_data?: { id?: number } };
  addr_info?: IpAddrInfo[];
}

interface IpRoute {
  dst?: string;
  gateway?: string;
  dev?: string;
  metric?: number;
}

function kindOf(link: IpLink, wireless: Set<string>, ovsBridges: Set<string>): InterfaceKind {
  const name = link.ifname ?? '';
  if (link.link_type === 'loopback') return 'loopback';
  if (wireless.has(name)) return 'wifi';
  if (ovsBridges.has(name)) return 'ovs-bridge';
  switch (link.linkinfo?.info_kind) {
    case undefined:
      return link.link_type === 'ether' ? 'ethernet' : 'other';
    case 'bridge':
      return 'bridge';
    case 'bond':
      return 'bond';
    case 'vlan':
      return 'vlan';
    case 'veth':
      return 'veth';
    case 'tun':
      return 'tun';
    case 'openvswitch':
      return 'ovs-bridge';
    default:
      return 'other';
  }
}

function address(info: IpAddrInfo): InterfaceAddress | undefined {
  if ((info.family !== 'inet' && info.family !== 'inet6') || !info.local || info.prefixlen === undefined) return undefined;
  const forever = info.valid_life_time === undefined || info.valid_life_time >= 4294967295;
  return { family: info.family, address: info.local, prefix: info.prefixlen, dynamic: info.dynamic === true || !forever, scope: info.scope ?? 'global' };
}

function routesOf(routes: unknown[], family: 'inet' | 'inet6', dev: string): InterfaceRoute[] {
  return (routes as IpRoute[])
    .filter((r) => r.dev === dev && typeof r.dst === 'string')
    .map((r) => ({ family, destination: r.dst!, ...(r.gateway ? { gateway: r.gateway } : {}), ...(typeof r.metric === 'number' ? { metric: r.metric } : {}) }));
}

/** guests: interface name → names of guests plugged into it. */
export function interfaceList(probe: ProbeOutput, guests: ReadonlyMap<string, string[]> = new Map()): HostInterface[] {
  const ovsBridges = new Set(probe.ovs?.keys() ?? []);
  const ovsPortOf = new Map<string, string>();
  for (const [br, ports] of probe.ovs ?? []) for (const p of ports) ovsPortOf.set(p, br);
  const links = (probe.links as IpLink[]).filter((l) => typeof l.ifname === 'string' && l.ifname !== 'ovs-system');
  return links.map((link) => {
    const name = link.ifname!;
    const kind = kindOf(link, probe.wireless, ovsBridges);
    const master = ovsPortOf.get(name) ?? (link.master && link.master !== 'ovs-system' ? link.master : undefined);
    const ports = kind === 'ovs-bridge' ? (probe.ovs?.get(name) ?? []) : links.filter((l) => l.master === name).map((l) => l.ifname!);
    const speed = probe.speeds.get(name);
    const vlanId = kind === 'vlan' ? link.linkinfo?.info_data?.id : undefined;
    return {
      name,
      kind,
      mac: link.address ?? '',
      state: (link.operstate ?? 'UNKNOWN').toLowerCase(),
      mtu: link.mtu ?? 0,
      ...(speed !== undefined ? { speedMbps: speed } : {}),
      ...(master ? { master } : {}),
      ports,
      ...(vlanId !== undefined ? { vlanId } : {}),
      ...(kind === 'vlan' && link.link ? { parent: link.link } : {}),
      addresses: (link.addr_info ?? []).map(address).filter((a): a is InterfaceAddress => a !== undefined),
      routes: [...routesOf(probe.routes4, 'inet', name), ...routesOf(probe.routes6, 'inet6', name)],
      guests: guests.get(name) ?? [],
    };
  });
}

/** The interface holding the address this session arrived at. */
export function sessionInterface(interfaces: readonly HostInterface[], sessionAddress: string | undefined): string | undefined {
  if (!sessionAddress) return undefined;
  return interfaces.find((i) => i.addresses.some((a) => a.address === sessionAddress))?.name;
}
