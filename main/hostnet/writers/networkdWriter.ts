/**
 * systemd-networkd: a `.netdev` for the bridge (MACAddress pinned to the NIC's, STP off,
 * forward delay 0), a `.network` that gives the bridge the NIC's addressing (DHCP keyed by the
 * MAC, not networkd's default DUID), and the NIC's own `.network` reduced to `Bridge=`.
 */
import type { BridgePlan } from '../../../preload/contract.js';
import { gateway4, sh, type StackChange, type WriterInput } from './stackChange.js';

const DIR = '/etc/systemd/network';

/** Section name → its lines, in order (comments kept with their section). */
function sectionsOf(text: string): Array<{ name: string; lines: string[] }> {
  const out: Array<{ name: string; lines: string[] }> = [{ name: '', lines: [] }];
  for (const line of text.split('\n')) {
    const m = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (m) out.push({ name: m[1]!, lines: [line] });
    else out[out.length - 1]!.lines.push(line);
  }
  return out;
}

/** The first .network file (in networkd's lexical order) whose [Match] Name= names the interface. */
export function networkdFileFor(files: ReadonlyMap<string, string>, iface: string): string | undefined {
  const paths = [...files.keys()].filter((p) => p.startsWith(`${DIR}/`) && p.endsWith('.network')).sort((a, b) => a.localeCompare(b));
  return paths.find((p) =>
    sectionsOf(files.get(p)!).some((s) => s.name === 'Match' && s.lines.some((l) => {
      const m = /^\s*Name\s*=\s*(.*)$/.exec(l);
      return m !== null && m[1]!.split(/\s+/).includes(iface);
    })),
  );
}

function dropSections(text: string, names: ReadonlySet<string>): string[] {
  return sectionsOf(text).filter((s) => !names.has(s.name)).flatMap((s) => s.lines);
}

export function networkdNicText(before: string, plan: BridgePlan): string {
  const kept = dropSections(before, new Set(['Network', 'Address', 'Route', 'DHCP', 'DHCPv4', 'DHCPv6', 'IPv6AcceptRA']));
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return [...kept, '', '[Network]', `Bridge=${plan.bridge}`, ''].join('\n');
}

export function networkdNetdevText(plan: BridgePlan): string {
  return ['# Written by VirtDeck (bridge assistant).', '[NetDev]', `Name=${plan.bridge}`, 'Kind=bridge', `MACAddress=${plan.mac.toLowerCase()}`, '', '[Bridge]', `STP=${plan.stp ? 'true' : 'false'}`, `ForwardDelaySec=${plan.forwardDelay}`, ''].join('\n');
}

export function networkdBridgeNetworkText(plan: BridgePlan): string {
  const dhcp = plan.ipv4.mode === 'dhcp' ? (plan.ipv6.mode === 'dhcp' ? 'yes' : 'ipv4') : plan.ipv6.mode === 'dhcp' ? 'ipv6' : 'no';
  const lines = ['# Written by VirtDeck (bridge assistant).', '[Match]', `Name=${plan.bridge}`, '', '[Network]', `DHCP=${dhcp}`];
  if (plan.ipv4.mode === 'static') for (const a of plan.ipv4.addresses) lines.push(`Address=${a}`);
  if (plan.ipv6.mode === 'static') for (const a of plan.ipv6.addresses) lines.push(`Address=${a}`);
  if (gateway4(plan)) lines.push(`Gateway=${gateway4(plan)}`);
  if (plan.ipv6.gateway) lines.push(`Gateway=${plan.ipv6.gateway}`);
  for (const d of plan.dns) lines.push(`DNS=${d}`);
  lines.push(`IPv6AcceptRA=${plan.ipv6.mode === 'auto' ? 'yes' : 'no'}`);
  if (plan.ipv6.mode === 'none') lines.push('LinkLocalAddressing=no');
  if (plan.ipv4.mode === 'dhcp') lines.push('', '[DHCPv4]', 'ClientIdentifier=mac');
  lines.push('');
  return lines.join('\n');
}

export function networkdChange(input: WriterInput): StackChange {
  const { plan } = input;
  const nicFile = networkdFileFor(input.files, plan.iface);
  if (!nicFile) throw new Error(`no .network file configures ${plan.iface}`);
  const before = input.files.get(nicFile)!;
  const netdev = `${DIR}/10-virtdeck-${plan.bridge}.netdev`;
  const network = `${DIR}/10-virtdeck-${plan.bridge}.network`;
  return {
    files: [
      { path: netdev, before: input.files.get(netdev) ?? null, after: networkdNetdevText(plan) },
      { path: network, before: input.files.get(network) ?? null, after: networkdBridgeNetworkText(plan) },
      { path: nicFile, before, after: networkdNicText(before, plan) },
    ],
    apply: ['install_new', sh('networkctl', 'reload'), sh('networkctl', 'reconfigure', plan.iface)],
    restore: ['restore_old', `${sh('ip', 'link', 'del', plan.bridge)} 2>/dev/null || true`, sh('networkctl', 'reload'), sh('networkctl', 'reconfigure', plan.iface)],
  };
}
