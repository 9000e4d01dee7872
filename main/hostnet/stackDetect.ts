/**
 * Who configures an interface, in the order of ../shared facts: Open vSwitch → netplan →
 * NetworkManager → systemd-networkd → ifupdown/ifupdown2 → legacy ifcfg. Pure: works on the
 * probe's output.
 */
import type { RollbackMechanism, StackFinding } from '../../preload/contract.js';
import type { ProbeOutput } from './hostProbe.js';
import { parseYamlDocument, netplanDeviceOf } from './writers/netplanWriter.js';
import { networkdFileFor } from './writers/networkdWriter.js';
import { ifupdownHasStanza, INTERFACES_FILE } from './writers/ifupdownWriter.js';
import { ifcfgPath } from './writers/ifcfgWriter.js';

export function netplanFileFor(probe: ProbeOutput, iface: string): { path: string; renderer: 'networkd' | 'NetworkManager' } | undefined {
  const paths = [...probe.files.keys()].filter((p) => /^\/(etc|lib|run)\/netplan\/[^/]+\.yaml$/.test(p)).sort((a, b) => a.slice(a.lastIndexOf('/')).localeCompare(b.slice(b.lastIndexOf('/'))));
  let owner: string | undefined;
  let renderer: 'networkd' | 'NetworkManager' = 'networkd';
  for (const path of paths) {
    const doc = parseYamlDocument(probe.files.get(path)!);
    if (!doc) continue;
    const r = doc.getIn(['network', 'renderer']);
    if (r === 'NetworkManager' || r === 'networkd') renderer = r;
    if (netplanDeviceOf(doc, iface)) owner = path;
  }
  return owner ? { path: owner, renderer } : undefined;
}

export function detectStack(probe: ProbeOutput, iface: string): StackFinding {
  for (const [bridge, ports] of probe.ovs ?? []) {
    if (ports.includes(iface)) return { stack: 'ovs', evidence: `${iface} is a port of the Open vSwitch bridge ${bridge}.` };
  }
  const netplan = netplanFileFor(probe, iface);
  if (netplan) return { stack: 'netplan', renderer: netplan.renderer, evidence: `${netplan.path} configures ${iface} (rendered by ${netplan.renderer}).` };
  const nmDevice = probe.nmDevices.get(iface);
  if (probe.nmRunning && nmDevice && !/unmanaged/.test(nmDevice.state)) {
    return { stack: 'networkmanager', evidence: `NetworkManager runs and manages ${iface} (${nmDevice.state}).` };
  }
  const networkdState = probe.networkd.get(iface);
  const networkdFile = networkdFileFor(probe.files, iface);
  if (networkdState && /configured|configuring/.test(networkdState) && networkdFile) {
    return { stack: 'networkd', evidence: `systemd-networkd configures ${iface} from ${networkdFile}.` };
  }
  const interfaces = probe.files.get(INTERFACES_FILE);
  if (interfaces !== undefined && ifupdownHasStanza(interfaces, iface)) {
    if (probe.tools.has('ifreload')) return { stack: 'ifupdown2', evidence: `${INTERFACES_FILE} configures ${iface}; ifreload is installed (ifupdown2).` };
    if (probe.tools.has('ifup')) return { stack: 'ifupdown', evidence: `${INTERFACES_FILE} configures ${iface} (ifupdown).` };
  }
  const ifcfg = probe.files.get(ifcfgPath(iface));
  if (ifcfg !== undefined) {
    if (/^\s*NM_CONTROLLED=["']?no/im.test(ifcfg)) return { stack: 'ifcfg', evidence: `${ifcfgPath(iface)} configures ${iface} with NM_CONTROLLED=no.` };
    if (probe.nmRunning) return { stack: 'networkmanager', evidence: `NetworkManager reads ${ifcfgPath(iface)}.` };
    if (probe.tools.has('ifup')) return { stack: 'ifcfg', evidence: `${ifcfgPath(iface)} configures ${iface} (network-scripts).` };
  }
  return { evidence: `No network configuration on this host names ${iface}: none of netplan, NetworkManager, systemd-networkd, ifupdown or ifcfg owns it.` };
}

/** How a rollback can be armed here: NetworkManager's own checkpoint, a systemd timer, or a fully detached job. */
export function rollbackMechanism(probe: ProbeOutput, stack: StackFinding['stack']): RollbackMechanism | undefined {
  if (stack === 'networkmanager' && probe.tools.has('busctl')) return 'nm-checkpoint';
  if (probe.pid1 === 'systemd' && probe.tools.has('systemd-run')) return 'systemd-run';
  if (probe.tools.has('setsid') && probe.tools.has('nohup')) return 'setsid';
  return undefined;
}
