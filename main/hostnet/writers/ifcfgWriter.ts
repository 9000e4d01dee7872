/**
 * RHEL/CentOS network-scripts: `ifcfg-NIC` keeps its identity and gets `BRIDGE=`, its
 * addressing moves to a new `ifcfg-BRIDGE` with `TYPE=Bridge`, `STP=no`, `DELAY=0` and the
 * NIC's MAC (`MACADDR`).
 */
import type { BridgePlan } from '../../../preload/contract.js';
import { gateway4, sh, type StackChange, type WriterInput } from './stackChange.js';

const DIR = '/etc/sysconfig/network-scripts';

export function ifcfgPath(iface: string): string {
  return `${DIR}/ifcfg-${iface}`;
}

/** Keys that describe addressing: they move to the bridge (the plan decides their values). */
const ADDRESSING = /^(BOOTPROTO|IPADDR\d*|PREFIX\d*|NETMASK\d*|GATEWAY\d*|DNS\d+|DEFROUTE|PEERDNS|PEERROUTES|IPV6INIT|IPV6_AUTOCONF|IPV6ADDR|IPV6ADDR_SECONDARIES|IPV6_DEFAULTGW|IPV6_DEFROUTE|DHCPV6C|BRIDGE|MACADDR)$/;

function key(line: string): string | undefined {
  return /^\s*([A-Z0-9_]+)=/.exec(line)?.[1];
}

export function ifcfgNicText(before: string, plan: BridgePlan): string {
  const kept = before.split('\n').filter((l) => !ADDRESSING.test(key(l) ?? ''));
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return [...kept, 'BOOTPROTO=none', `BRIDGE=${plan.bridge}`, ''].join('\n');
}

export function ifcfgBridgeText(plan: BridgePlan, nicBefore: string): string {
  const lines = ['# Written by VirtDeck (bridge assistant).', `DEVICE=${plan.bridge}`, 'TYPE=Bridge', 'ONBOOT=yes'];
  if (/^\s*NM_CONTROLLED=["']?no/im.test(nicBefore)) lines.push('NM_CONTROLLED=no');
  lines.push(`BOOTPROTO=${plan.ipv4.mode === 'dhcp' ? 'dhcp' : 'none'}`);
  if (plan.ipv4.mode === 'static') {
    plan.ipv4.addresses.forEach((a, i) => {
      const [address, prefix] = a.split('/');
      const n = i === 0 ? '' : String(i);
      lines.push(`IPADDR${n}=${address ?? ''}`, `PREFIX${n}=${prefix ?? ''}`);
    });
  }
  if (gateway4(plan)) lines.push(`GATEWAY=${gateway4(plan)}`, 'DEFROUTE=yes');
  plan.dns.forEach((d, i) => lines.push(`DNS${i + 1}=${d}`));
  if (plan.ipv6.mode === 'none') lines.push('IPV6INIT=no');
  else {
    lines.push('IPV6INIT=yes', `IPV6_AUTOCONF=${plan.ipv6.mode === 'auto' ? 'yes' : 'no'}`);
    if (plan.ipv6.mode === 'dhcp') lines.push('DHCPV6C=yes');
    if (plan.ipv6.mode === 'static') {
      lines.push(`IPV6ADDR=${plan.ipv6.addresses[0] ?? ''}`);
      if (plan.ipv6.addresses.length > 1) lines.push(`IPV6ADDR_SECONDARIES="${plan.ipv6.addresses.slice(1).join(' ')}"`);
    }
    if (plan.ipv6.gateway) lines.push(`IPV6_DEFAULTGW=${plan.ipv6.gateway}`);
  }
  lines.push(`STP=${plan.stp ? 'yes' : 'no'}`, `DELAY=${plan.forwardDelay}`, `MACADDR=${plan.mac.toLowerCase()}`, '');
  return lines.join('\n');
}

export function ifcfgChange(input: WriterInput): StackChange {
  const { plan } = input;
  const nic = ifcfgPath(plan.iface);
  const before = input.files.get(nic) ?? '';
  const bridge = ifcfgPath(plan.bridge);
  return {
    files: [
      { path: nic, before, after: ifcfgNicText(before, plan) },
      { path: bridge, before: input.files.get(bridge) ?? null, after: ifcfgBridgeText(plan, before) },
    ],
    apply: [`${sh('ifdown', plan.iface)} || true`, 'install_new', sh('ifup', plan.bridge), sh('ifup', plan.iface)],
    restore: [`${sh('ifdown', plan.iface)} 2>/dev/null || true`, `${sh('ifdown', plan.bridge)} 2>/dev/null || true`, `${sh('ip', 'link', 'del', plan.bridge)} 2>/dev/null || true`, 'restore_old', sh('ifup', plan.iface)],
  };
}
