/**
 * Open vSwitch, when the user chooses it. The NIC stops carrying IP the moment it joins the
 * bridge, so add-bridge, add-port, the MAC, addresses and route run in the same detached job;
 * persistence belongs to the host's stack: on ifupdown hosts, the stanzas of openvswitch-switch's
 * ifupdown integration (`ovs_type OVSBridge` / `OVSPort`).
 */
import type { BridgePlan } from '../../../preload/contract.js';
import { INTERFACES_FILE } from './ifupdownWriter.js';
import { gateway4, sh, type StackChange, type WriterInput } from './stackChange.js';

const STANZA = /^(iface|auto|allow-[\w-]+|mapping|source|source-directory|rename)\b/;

export function ovsInterfacesText(before: string, plan: BridgePlan): string {
  // Drop the NIC's own stanzas and its auto/allow-hotplug lines; the OVS stanzas replace them.
  const out: string[] = [];
  let skipping = false;
  for (const line of before.split('\n')) {
    if (STANZA.test(line)) {
      const words = line.trim().split(/\s+/);
      skipping = words[0] === 'iface' && words[1] === plan.iface;
      if ((words[0] === 'auto' || words[0]!.startsWith('allow-')) && words.slice(1).includes(plan.iface)) {
        const rest = words.slice(1).filter((w) => w !== plan.iface);
        if (rest.length > 0) out.push(`${words[0]} ${rest.join(' ')}`);
        continue;
      }
    }
    if (!skipping) out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  const method = plan.ipv4.mode === 'static' ? 'static' : plan.ipv4.mode === 'dhcp' ? 'dhcp' : 'manual';
  const bridge = [`auto ${plan.bridge}`, `allow-ovs ${plan.bridge}`, `iface ${plan.bridge} inet ${method}`, '\tovs_type OVSBridge', `\tovs_ports ${plan.iface}`, `\tovs_extra set bridge \${IFACE} other-config:hwaddr=${plan.mac.toLowerCase()}`];
  if (plan.ipv4.mode === 'static') {
    for (const a of plan.ipv4.addresses) bridge.push(`\taddress ${a}`);
    if (gateway4(plan)) bridge.push(`\tgateway ${gateway4(plan)}`);
  }
  if (plan.dns.length > 0) bridge.push(`\tdns-nameservers ${plan.dns.join(' ')}`);
  const port = [`allow-${plan.bridge} ${plan.iface}`, `iface ${plan.iface} inet manual`, '\tovs_type OVSPort', `\tovs_bridge ${plan.bridge}`];
  return [...out, '', ...bridge, '', ...port, ''].join('\n');
}

export function ovsChange(input: WriterInput): StackChange {
  const { plan } = input;
  const before = input.files.get(INTERFACES_FILE) ?? '';
  const addresses = plan.ipv4.mode === 'static' ? plan.ipv4.addresses : [];
  return {
    files: [{ path: INTERFACES_FILE, before, after: ovsInterfacesText(before, plan) }],
    apply: [
      'install_new',
      sh('ovs-vsctl', '--may-exist', 'add-br', plan.bridge, '--', 'set', 'bridge', plan.bridge, `other-config:hwaddr=${plan.mac.toLowerCase()}`),
      sh('ip', '-4', 'addr', 'flush', 'dev', plan.iface, 'scope', 'global'),
      sh('ovs-vsctl', '--may-exist', 'add-port', plan.bridge, plan.iface),
      sh('ip', 'link', 'set', plan.bridge, 'up'),
      ...addresses.map((a) => sh('ip', 'addr', 'add', a, 'dev', plan.bridge)),
      ...(gateway4(plan) ? [sh('ip', 'route', 'replace', 'default', 'via', gateway4(plan), 'dev', plan.bridge)] : []),
      ...(plan.ipv4.mode === 'dhcp' ? [sh('ifup', '--force', plan.bridge)] : []),
    ],
    restore: [
      `${sh('ovs-vsctl', '--if-exists', 'del-br', plan.bridge)} || true`,
      'restore_old',
      `${sh('ifdown', '--force', plan.iface)} 2>/dev/null || true`,
      sh('ifup', plan.iface),
    ],
  };
}
