/**
 * NetworkManager: a bridge profile and a port profile for the NIC through `nmcli` (NM writes
 * its own keyfiles); the profile the NIC had stays, with autoconnect off, so the way back is to
 * delete the two new profiles and bring the old one up. Ports autoconnect with the bridge
 * (`connection.autoconnect-slaves`, accepted by every NM since 1.2 under that name). Forward
 * delay 0 is only accepted with STP off. The rollback is NM's own checkpoint (bridgeJob.ts).
 */
import type { BridgePlan } from '../../../preload/contract.js';
import { gateway4, sh, type StackChange, type WriterInput } from './stackChange.js';

export function portProfileName(plan: BridgePlan): string {
  return `${plan.bridge}-port-${plan.iface}`;
}

export function nmBridgeAddArgs(plan: BridgePlan): string[] {
  const args = ['nmcli', 'connection', 'add', 'type', 'bridge', 'con-name', plan.bridge, 'ifname', plan.bridge];
  args.push('bridge.stp', plan.stp ? 'yes' : 'no', 'bridge.forward-delay', String(plan.forwardDelay), 'bridge.mac-address', plan.mac.toLowerCase());
  if (plan.ipv4.mode === 'static') {
    args.push('ipv4.method', 'manual', 'ipv4.addresses', plan.ipv4.addresses.join(','));
    if (gateway4(plan)) args.push('ipv4.gateway', gateway4(plan));
  } else args.push('ipv4.method', plan.ipv4.mode === 'dhcp' ? 'auto' : 'disabled');
  const dns4 = plan.dns.filter((d) => !d.includes(':'));
  if (dns4.length > 0) args.push('ipv4.dns', dns4.join(','));
  const v6 = { auto: 'auto', dhcp: 'dhcp', static: 'manual', none: 'disabled' }[plan.ipv6.mode];
  args.push('ipv6.method', v6);
  if (plan.ipv6.mode === 'static') args.push('ipv6.addresses', plan.ipv6.addresses.join(','));
  if (plan.ipv6.gateway) args.push('ipv6.gateway', plan.ipv6.gateway);
  if (plan.dns.some((d) => d.includes(':'))) args.push('ipv6.dns', plan.dns.filter((d) => d.includes(':')).join(','));
  args.push('connection.autoconnect-slaves', 'yes');
  return args;
}

export function networkManagerChange(input: WriterInput): StackChange {
  const { plan } = input;
  const port = portProfileName(plan);
  const old = input.activeProfile;
  return {
    files: [],
    apply: [
      sh(...nmBridgeAddArgs(plan)),
      sh('nmcli', 'connection', 'add', 'type', 'ethernet', 'slave-type', 'bridge', 'con-name', port, 'ifname', plan.iface, 'master', plan.bridge),
      ...(old ? [sh('nmcli', 'connection', 'modify', old, 'connection.autoconnect', 'no')] : []),
      sh('nmcli', 'connection', 'up', plan.bridge),
      sh('nmcli', 'connection', 'up', port),
    ],
    restore: [
      `${sh('nmcli', 'connection', 'delete', port)} 2>/dev/null || true`,
      `${sh('nmcli', 'connection', 'delete', plan.bridge)} 2>/dev/null || true`,
      ...(old ? [sh('nmcli', 'connection', 'modify', old, 'connection.autoconnect', 'yes'), sh('nmcli', 'connection', 'up', old)] : []),
    ],
  };
}
