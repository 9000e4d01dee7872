/**
 * netplan: the YAML file that configures the NIC is edited as a document (comments and every
 * other device kept): the NIC loses DHCP and its addresses, a `bridges:` entry gets
 * `interfaces`, `macaddress`, STP and forward delay, and the moved settings. `netplan apply`
 * never deletes a bridge, so the way back also runs `ip link del`.
 */
import { isMap, parseDocument, type Document, type YAMLMap } from 'yaml';
import type { BridgePlan } from '../../../preload/contract.js';
import { gateway4, sh, type StackChange, type WriterInput } from './stackChange.js';

const DEVICE_KINDS = ['ethernets', 'bonds', 'vlans'] as const;
/** What moves from the NIC to the bridge (the plan decides the addressing itself). */
const MOVED = ['dhcp4', 'dhcp6', 'addresses', 'gateway4', 'gateway6', 'routes', 'nameservers', 'accept-ra', 'dhcp4-overrides', 'dhcp6-overrides', 'dhcp-identifier', 'link-local', 'routing-policy'];

export function parseYamlDocument(text: string): Document | undefined {
  const doc = parseDocument(text);
  return doc.errors.length > 0 ? undefined : doc;
}

export function netplanDeviceOf(doc: Document, iface: string): { kind: string; node: YAMLMap } | undefined {
  for (const kind of DEVICE_KINDS) {
    const node = doc.getIn(['network', kind, iface], true);
    if (isMap(node)) return { kind, node };
  }
  return undefined;
}

export function netplanText(before: string, plan: BridgePlan): string {
  const doc = parseYamlDocument(before);
  if (!doc) throw new Error('netplan file is not valid YAML');
  const device = netplanDeviceOf(doc, plan.iface);
  if (!device) throw new Error(`netplan file does not configure ${plan.iface}`);
  const search = doc.getIn(['network', device.kind, plan.iface, 'nameservers', 'search']);
  for (const key of MOVED) device.node.delete(key);
  device.node.set('dhcp4', false);
  device.node.set('dhcp6', false);

  const bridge: Record<string, unknown> = { interfaces: [plan.iface], macaddress: plan.mac.toLowerCase() };
  if (plan.ipv4.mode === 'dhcp') bridge.dhcp4 = true;
  bridge.dhcp6 = plan.ipv6.mode === 'dhcp';
  if (plan.ipv6.mode === 'none') bridge['accept-ra'] = false;
  const addresses = [...(plan.ipv4.mode === 'static' ? plan.ipv4.addresses : []), ...(plan.ipv6.mode === 'static' ? plan.ipv6.addresses : [])];
  if (addresses.length > 0) bridge.addresses = addresses;
  const routes = [
    ...(gateway4(plan) ? [{ to: 'default', via: gateway4(plan) }] : []),
    ...(plan.ipv6.gateway ? [{ to: 'default', via: plan.ipv6.gateway }] : []),
  ];
  if (routes.length > 0) bridge.routes = routes;
  if (plan.dns.length > 0 || search !== undefined) {
    bridge.nameservers = { ...(plan.dns.length > 0 ? { addresses: plan.dns } : {}), ...(search !== undefined ? { search: (search as { toJSON?: () => unknown }).toJSON?.() ?? search } : {}) };
  }
  bridge.parameters = { stp: plan.stp, 'forward-delay': plan.forwardDelay };
  if (plan.useOvs) bridge.openvswitch = {};
  if (!doc.hasIn(['network', 'bridges'])) doc.setIn(['network', 'bridges'], doc.createNode({}));
  doc.setIn(['network', 'bridges', plan.bridge], doc.createNode(bridge));
  return doc.toString({ lineWidth: 0 });
}

export function netplanChange(input: WriterInput, path: string): StackChange {
  const { plan } = input;
  const before = input.files.get(path) ?? '';
  return {
    files: [{ path, before, after: netplanText(before, plan) }],
    apply: ['install_new', sh('netplan', 'apply')],
    restore: ['restore_old', `${sh('ip', 'link', 'del', plan.bridge)} 2>/dev/null || true`, sh('netplan', 'apply')],
  };
}
