/**
 * A host's own network interfaces (`hostnet.interfaces`) and the bridge assistant
 * (`hostnet.bridge.*`): a plan, its exact preview as a diff of the host's configuration, and
 * applying or removing it behind a rollback armed on the host itself. The checks on a plan live
 * here, pure, so the form refuses bad input before anything is sent and main refuses it again.
 */
import { z } from 'zod';

const hostRef = { hostId: z.string().min(1) };

export const InterfaceKind = z.enum(['ethernet', 'veth', 'wifi', 'bond', 'vlan', 'bridge', 'ovs-bridge', 'tun', 'loopback', 'other']);
export type InterfaceKind = z.infer<typeof InterfaceKind>;

export const InterfaceAddress = z.object({
  family: z.enum(['inet', 'inet6']),
  address: z.string(),
  prefix: z.number().int(),
  /** Handed out by DHCP or SLAAC (it has a lifetime), not configured statically. */
  dynamic: z.boolean(),
  scope: z.string(),
});
export type InterfaceAddress = z.infer<typeof InterfaceAddress>;

export const InterfaceRoute = z.object({
  family: z.enum(['inet', 'inet6']),
  /** `default` or a prefix. */
  destination: z.string(),
  gateway: z.string().optional(),
  metric: z.number().int().optional(),
});
export type InterfaceRoute = z.infer<typeof InterfaceRoute>;

export const HostInterface = z.object({
  name: z.string(),
  kind: InterfaceKind,
  mac: z.string(),
  /** The kernel's operational state: up, down, dormant, unknown, lowerlayerdown… */
  state: z.string(),
  mtu: z.number().int(),
  /** Link speed in Mbit/s where the driver reports one. */
  speedMbps: z.number().int().optional(),
  /** The bridge, bond or OVS bridge it is a port of. */
  master: z.string().optional(),
  /** Ports of a bridge or bond, or a VLAN's parent link. */
  ports: z.array(z.string()),
  vlanId: z.number().int().optional(),
  parent: z.string().optional(),
  addresses: z.array(InterfaceAddress),
  routes: z.array(InterfaceRoute),
  /** Guests whose interfaces are plugged into it (bridge source, or `direct` on it). */
  guests: z.array(z.string()),
});
export type HostInterface = z.infer<typeof HostInterface>;

/** Who configures the host's network, as detected there. */
export const NetworkStack = z.enum(['networkmanager', 'netplan', 'networkd', 'ifupdown', 'ifupdown2', 'ifcfg', 'ovs']);
export type NetworkStack = z.infer<typeof NetworkStack>;

export const StackFinding = z.object({
  /** The stack that owns the interface; absent when none could be identified. */
  stack: NetworkStack.optional(),
  /** For netplan: the backend it renders for. */
  renderer: z.enum(['networkd', 'NetworkManager']).optional(),
  /** Why this stack (or why none), for people. */
  evidence: z.string(),
});
export type StackFinding = z.infer<typeof StackFinding>;

/** How a rollback can be armed on this host, best first; absent: it cannot be. */
export const RollbackMechanism = z.enum(['nm-checkpoint', 'systemd-run', 'setsid']);
export type RollbackMechanism = z.infer<typeof RollbackMechanism>;

/** What the last bridge change on the host ended as, from the host's own record. */
export const BridgeChangeRecord = z.object({
  id: z.string(),
  action: z.enum(['create', 'remove']),
  bridge: z.string(),
  iface: z.string(),
  /** armed: waiting for the app; committed: the app disarmed it; rolled-back: the host restored itself. */
  state: z.enum(['armed', 'committed', 'rolled-back']),
  /** When it happened (host clock, seconds since the epoch). */
  at: z.number().int(),
  backupDir: z.string(),
});
export type BridgeChangeRecord = z.infer<typeof BridgeChangeRecord>;

export const HostInterfacesInfo = z.object({
  interfaces: z.array(HostInterface),
  /** Per interface that could be bridged: which stack owns it. */
  stacks: z.record(z.string(), StackFinding),
  /** The interface the app's SSH session arrives on, when it could be told. */
  sessionInterface: z.string().optional(),
  /** br_netfilter is loaded: bridged traffic passes iptables, which can break guest DHCP. */
  brNetfilter: z.boolean(),
  rollback: RollbackMechanism.optional(),
  /** Changing interfaces needs root: present when this host's profile cannot get it, with the reason. */
  privilegeProblem: z.string().optional(),
  /** The DNS servers the host resolves with (/etc/resolv.conf). */
  dns: z.array(z.string()),
  /** The newest bridge change the host has a record of. */
  lastChange: BridgeChangeRecord.optional(),
});
export type HostInterfacesInfo = z.infer<typeof HostInterfacesInfo>;

export const AddressingMode = z.enum(['dhcp', 'static', 'none']);
export type AddressingMode = z.infer<typeof AddressingMode>;

export const BridgePlan = z.object({
  /** The uplink: a physical NIC, a bond or a VLAN. */
  iface: z.string().min(1),
  bridge: z.string().min(1),
  stp: z.boolean(),
  /** Seconds; 0 unless the user asks otherwise (only with STP off for NetworkManager). */
  forwardDelay: z.number().int(),
  /** The bridge keeps the NIC's MAC, so DHCP keeps its lease. */
  mac: z.string(),
  ipv4: z.object({ mode: AddressingMode, addresses: z.array(z.string()), gateway: z.string() }),
  ipv6: z.object({ mode: z.enum(['auto', 'dhcp', 'static', 'none']), addresses: z.array(z.string()), gateway: z.string() }),
  dns: z.array(z.string()),
  /** Seconds until the host restores itself unless the app disarms it. */
  rollbackSeconds: z.number().int(),
  /** Open vSwitch instead of the stack's own Linux bridge. */
  useOvs: z.boolean(),
});
export type BridgePlan = z.infer<typeof BridgePlan>;

export const PlanProblemCode = z.enum([
  'bad-bridge-name',
  'name-taken',
  'not-bridgeable',
  'wifi',
  'already-bridged',
  'bad-address',
  'bad-gateway',
  'bad-dns',
  'bad-mac',
  'bad-forward-delay',
  'bad-rollback',
  'no-stack',
  'no-rollback',
  'no-privilege',
  'no-ovs',
]);
export type PlanProblemCode = z.infer<typeof PlanProblemCode>;

export const PlanProblem = z.object({ field: z.string(), code: PlanProblemCode, detail: z.string().optional() });
export type PlanProblem = z.infer<typeof PlanProblem>;

export const ConfigFileChange = z.object({
  path: z.string(),
  /** created, changed or removed on the host. */
  kind: z.enum(['create', 'change', 'remove']),
  /** A unified diff of the file, as `diff -u` would print it. */
  diff: z.string(),
});
export type ConfigFileChange = z.infer<typeof ConfigFileChange>;

export const BridgePreview = z.object({
  problems: z.array(PlanProblem),
  stack: NetworkStack.optional(),
  files: z.array(ConfigFileChange),
  /** What runs on the host, in order, as one detached job. */
  commands: z.array(z.string()),
});
export type BridgePreview = z.infer<typeof BridgePreview>;

export const BridgeOutcome = z.object({
  /** committed: the app reconnected through the bridge and disarmed the rollback. rolled-back: the host restored itself. */
  outcome: z.enum(['committed', 'rolled-back']),
  /** Where the previous configuration is kept on the host. */
  backupDir: z.string(),
  /** Seconds from applying to the new connection (committed) or to the host's restore (rolled-back). */
  seconds: z.number(),
});
export type BridgeOutcome = z.infer<typeof BridgeOutcome>;

export const hostInterfacesCalls = {
  /** Interfaces with addresses, routes, speed and attached guests; the stack of each; what may be changed. */
  'hostnet.interfaces': { args: z.object(hostRef).strict(), result: HostInterfacesInfo },
  /** The exact change a plan makes (diff per file and the commands), or why it is refused. */
  'hostnet.bridge.preview': { args: z.object({ ...hostRef, plan: BridgePlan }).strict(), result: BridgePreview },
  /** Applies a plan behind a rollback armed on the host; a task. */
  'hostnet.bridge.apply': { args: z.object({ ...hostRef, plan: BridgePlan }).strict(), result: BridgeOutcome },
  /** Puts the bridge's uplink back as it was before the bridge (same protection). */
  'hostnet.bridge.remove': { args: z.object({ ...hostRef, bridge: z.string().min(1), rollbackSeconds: z.number().int() }).strict(), result: BridgeOutcome },
  /** Plugs a guest's interface (by MAC) into a bridge in its persistent definition (and live when it runs). */
  'hostnet.guest.attach': {
    args: z.object({ ...hostRef, name: z.string().min(1), mac: z.string().min(1), bridge: z.string().min(1) }).strict(),
    result: z.object({ live: z.boolean() }),
  },
} as const;

// ---------------------------------------------------------------------------------------------
// The checks, shared by the form and main
// ---------------------------------------------------------------------------------------------

const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

export function isInterfaceName(name: string): boolean {
  return IFNAME.test(name) && name !== '.' && name !== '..';
}

export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^(0|[1-9][0-9]{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

export function isIpv6(text: string): boolean {
  if (!/^[0-9a-f:]+$/i.test(text) || text.length < 2) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g) => g.length < 1 || g.length > 4)) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}

/** `address/prefix` for the family; undefined when it is not one. */
export function parseCidr(text: string, family: 'inet' | 'inet6'): { address: string; prefix: number } | undefined {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const address = match[1]!;
  const prefix = Number(match[2]);
  if (family === 'inet') {
    const bytes = parseIpv4(address);
    if (!bytes || prefix < 1 || prefix > 32 || bytes[0] === 0 || bytes[0]! >= 224 || bytes[0] === 127) return undefined;
    return { address, prefix };
  }
  if (!isIpv6(address) || prefix < 1 || prefix > 128) return undefined;
  return { address, prefix };
}

function ipv4Number(text: string): number {
  return parseIpv4(text)!.reduce((n, b) => n * 256 + b, 0);
}

/** Whether an IPv4 gateway lies inside one of the (valid) addresses' subnets. */
export function gatewayOnLink(gateway: string, addresses: readonly string[]): boolean {
  if (!parseIpv4(gateway)) return false;
  const g = ipv4Number(gateway);
  return addresses.some((a) => {
    const cidr = parseCidr(a, 'inet');
    if (!cidr) return false;
    const size = 2 ** (32 - cidr.prefix);
    return Math.floor(ipv4Number(cidr.address) / size) === Math.floor(g / size) && g !== ipv4Number(cidr.address);
  });
}

export interface PlanContext {
  interfaces: readonly HostInterface[];
  stack?: NetworkStack;
  rollback?: RollbackMechanism;
  privilegeProblem?: string;
  ovsAvailable: boolean;
}

export const MIN_ROLLBACK_SECONDS = 15;
export const MAX_ROLLBACK_SECONDS = 600;
export const BRIDGEABLE_KINDS: readonly InterfaceKind[] = ['ethernet', 'veth', 'bond', 'vlan'];

/** Everything wrong with a plan, before anything changes. */
export function bridgePlanProblems(plan: BridgePlan, context: PlanContext): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const uplink = context.interfaces.find((i) => i.name === plan.iface);
  if (!uplink) problems.push({ field: 'iface', code: 'not-bridgeable', detail: plan.iface });
  else if (uplink.kind === 'wifi') problems.push({ field: 'iface', code: 'wifi' });
  else if (uplink.master) problems.push({ field: 'iface', code: 'already-bridged', detail: uplink.master });
  else if (!BRIDGEABLE_KINDS.includes(uplink.kind)) problems.push({ field: 'iface', code: 'not-bridgeable', detail: uplink.kind });
  if (!isInterfaceName(plan.bridge)) problems.push({ field: 'bridge', code: 'bad-bridge-name' });
  else if (context.interfaces.some((i) => i.name === plan.bridge)) problems.push({ field: 'bridge', code: 'name-taken' });
  if (!MAC.test(plan.mac)) problems.push({ field: 'mac', code: 'bad-mac' });
  if (!Number.isInteger(plan.forwardDelay) || plan.forwardDelay < 0 || plan.forwardDelay > 30 || (!plan.stp && plan.forwardDelay !== 0 && context.stack === 'networkmanager')) {
    problems.push({ field: 'forwardDelay', code: 'bad-forward-delay' });
  }
  if (plan.ipv4.mode === 'static') {
    if (plan.ipv4.addresses.length === 0) problems.push({ field: 'ipv4.addresses', code: 'bad-address' });
    for (const a of plan.ipv4.addresses) if (!parseCidr(a, 'inet')) problems.push({ field: 'ipv4.addresses', code: 'bad-address', detail: a });
    if (plan.ipv4.gateway !== '' && !gatewayOnLink(plan.ipv4.gateway, plan.ipv4.addresses)) problems.push({ field: 'ipv4.gateway', code: 'bad-gateway', detail: plan.ipv4.gateway });
  }
  if (plan.ipv6.mode === 'static') {
    if (plan.ipv6.addresses.length === 0) problems.push({ field: 'ipv6.addresses', code: 'bad-address' });
    for (const a of plan.ipv6.addresses) if (!parseCidr(a, 'inet6')) problems.push({ field: 'ipv6.addresses', code: 'bad-address', detail: a });
  }
  if (plan.ipv6.gateway !== '' && !isIpv6(plan.ipv6.gateway)) problems.push({ field: 'ipv6.gateway', code: 'bad-gateway', detail: plan.ipv6.gateway });
  for (const d of plan.dns) if (!parseIpv4(d) && !isIpv6(d)) problems.push({ field: 'dns', code: 'bad-dns', detail: d });
  if (!Number.isInteger(plan.rollbackSeconds) || plan.rollbackSeconds < MIN_ROLLBACK_SECONDS || plan.rollbackSeconds > MAX_ROLLBACK_SECONDS) {
    problems.push({ field: 'rollbackSeconds', code: 'bad-rollback' });
  }
  if (plan.useOvs && !context.ovsAvailable) problems.push({ field: 'useOvs', code: 'no-ovs' });
  if (!context.stack) problems.push({ field: 'stack', code: 'no-stack' });
  if (!context.rollback) problems.push({ field: 'rollback', code: 'no-rollback' });
  if (context.privilegeProblem) problems.push({ field: 'privilege', code: 'no-privilege', detail: context.privilegeProblem });
  return problems;
}

/** The plan the assistant starts from: the uplink's addressing as it is now, on a free bridge name. */
export function proposeBridgePlan(uplink: HostInterface, interfaces: readonly HostInterface[], dns: readonly string[]): BridgePlan {
  const taken = new Set(interfaces.map((i) => i.name));
  let n = 0;
  while (taken.has(`br${n}`)) n++;
  const v4 = uplink.addresses.filter((a) => a.family === 'inet' && a.scope === 'global');
  const v6 = uplink.addresses.filter((a) => a.family === 'inet6' && a.scope === 'global');
  const gw4 = uplink.routes.find((r) => r.family === 'inet' && r.destination === 'default')?.gateway ?? '';
  const gw6 = uplink.routes.find((r) => r.family === 'inet6' && r.destination === 'default')?.gateway ?? '';
  const v4Dynamic = v4.some((a) => a.dynamic);
  const v6Static = v6.filter((a) => !a.dynamic);
  return {
    iface: uplink.name,
    bridge: `br${n}`,
    stp: false,
    forwardDelay: 0,
    mac: uplink.mac,
    ipv4: v4Dynamic ? { mode: 'dhcp', addresses: [], gateway: '' } : v4.length > 0 ? { mode: 'static', addresses: v4.map((a) => `${a.address}/${a.prefix}`), gateway: gw4 } : { mode: 'none', addresses: [], gateway: '' },
    ipv6: v6Static.length > 0 ? { mode: 'static', addresses: v6Static.map((a) => `${a.address}/${a.prefix}`), gateway: gw6 } : v6.length > 0 ? { mode: 'auto', addresses: [], gateway: '' } : { mode: 'none', addresses: [], gateway: '' },
    dns: [...dns],
    rollbackSeconds: 60,
    useOvs: false,
  };
}
