/**
 * One read of everything the interface list and the bridge assistant need to know about a
 * host: `ip -j` links, addresses and routes, Wi-Fi and speed from sysfs, Open vSwitch when it
 * is installed, br_netfilter, DNS, the address this SSH session arrived at, which tools exist,
 * and the configuration files of every network stack (base64, so their bytes arrive exactly).
 * Needs no root. Constant text: it takes no arguments.
 */
export const PROBE_SCRIPT = [
  // Tools such as ifup and ip live in sbin, which is not on an ordinary user's PATH.
  'PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin',
  'echo @@LINKS',
  "ip -j -d addr show 2>/dev/null || echo '[]'",
  'echo @@ROUTES4',
  "ip -j -4 route show table main 2>/dev/null || echo '[]'",
  'echo @@ROUTES6',
  "ip -j -6 route show table main 2>/dev/null || echo '[]'",
  'echo @@WIRELESS',
  'for d in /sys/class/net/*; do if [ -e "$d/wireless" ] || [ -e "$d/phy80211" ]; then echo "${d##*/}"; fi; done',
  'echo @@SPEED',
  'for d in /sys/class/net/*; do s=$(cat "$d/speed" 2>/dev/null) && echo "${d##*/} $s"; done',
  'echo @@OVS',
  'if command -v ovs-vsctl >/dev/null 2>&1; then for b in $(ovs-vsctl --timeout=5 list-br 2>/dev/null); do echo "$b" $(ovs-vsctl --timeout=5 list-ports "$b" 2>/dev/null); done; fi',
  'echo @@BRNF',
  'if [ -d /sys/module/br_netfilter ]; then echo loaded; fi',
  'echo @@RESOLV',
  'cat /etc/resolv.conf 2>/dev/null',
  'echo @@SESSION',
  'echo "${SSH_CONNECTION:-}"',
  'echo @@PID1',
  'cat /proc/1/comm 2>/dev/null',
  'echo @@TOOLS',
  'for t in setsid nohup systemd-run nmcli netplan networkctl ifup ifdown ifreload ovs-vsctl busctl base64; do if command -v "$t" >/dev/null 2>&1; then echo "$t"; fi; done',
  'echo @@NM',
  'nmcli -t -f RUNNING general 2>/dev/null',
  'echo @@NMDEV',
  'nmcli -t -f DEVICE,STATE,CON-UUID device 2>/dev/null',
  'echo @@NETWORKD',
  'networkctl list --no-legend --no-pager 2>/dev/null',
  'echo @@PRIV',
  'if [ "$(id -u)" = 0 ]; then echo root; elif sudo -n sh -c : 2>/dev/null; then echo sudo; else echo none; fi',
  'echo @@FILES',
  'for f in /etc/netplan/*.yaml /lib/netplan/*.yaml /run/netplan/*.yaml /etc/network/interfaces /etc/systemd/network/*.network /etc/systemd/network/*.netdev /etc/sysconfig/network-scripts/ifcfg-*; do if [ -f "$f" ] && [ -r "$f" ]; then echo "$f $(base64 -w0 < "$f")"; fi; done',
  'echo @@RECORD',
  'cat /var/lib/virtdeck/bridge/last 2>/dev/null',
  'echo @@END',
].join('; ');

export interface ProbeOutput {
  links: unknown[];
  routes4: unknown[];
  routes6: unknown[];
  wireless: Set<string>;
  speeds: Map<string, number>;
  /** OVS bridge → its ports. */
  ovs: Map<string, string[]> | undefined;
  brNetfilter: boolean;
  resolvConf: string;
  /** The server-side address of this SSH session. */
  sessionAddress: string | undefined;
  pid1: string;
  tools: Set<string>;
  nmRunning: boolean;
  /** device → { state, connection uuid } from nmcli. */
  nmDevices: Map<string, { state: string; uuid: string }>;
  /** link → networkd's setup state (configured, unmanaged…). */
  networkd: Map<string, string>;
  privilege: 'root' | 'sudo' | 'none';
  /** Configuration files of every stack, by absolute path, exactly as on the host. */
  files: Map<string, string>;
  record: string;
}

function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  for (const line of text.split('\n')) {
    const marker = /^@@([A-Z0-9]+)$/.exec(line);
    if (marker) {
      if (name) out.set(name, lines.join('\n'));
      name = marker[1];
      lines = [];
    } else if (name) lines.push(line);
  }
  if (name) out.set(name, lines.join('\n'));
  return out;
}

function json(text: string | undefined): unknown[] {
  try {
    const value: unknown = JSON.parse((text ?? '').trim() || '[]');
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function nonEmptyLines(text: string | undefined): string[] {
  return (text ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

export function parseProbe(text: string): ProbeOutput {
  const s = sections(text);
  const speeds = new Map<string, number>();
  for (const line of nonEmptyLines(s.get('SPEED'))) {
    const [name, value] = line.split(/\s+/);
    const n = Number(value);
    if (name && Number.isInteger(n) && n > 0) speeds.set(name, n);
  }
  const ovsLines = s.get('TOOLS')?.split('\n').includes('ovs-vsctl') ? nonEmptyLines(s.get('OVS')) : undefined;
  const ovs = ovsLines ? new Map(ovsLines.map((l) => { const [br, ...ports] = l.split(/\s+/); return [br!, ports] as const; })) : undefined;
  const nmDevices = new Map<string, { state: string; uuid: string }>();
  for (const line of nonEmptyLines(s.get('NMDEV'))) {
    const [device, state, uuid] = line.split(':');
    if (device) nmDevices.set(device, { state: state ?? '', uuid: uuid ?? '' });
  }
  const networkd = new Map<string, string>();
  for (const line of nonEmptyLines(s.get('NETWORKD'))) {
    // IDX LINK TYPE OPERATIONAL SETUP
    const cols = line.split(/\s+/);
    if (cols[1]) networkd.set(cols[1], cols[4] ?? '');
  }
  const files = new Map<string, string>();
  for (const line of nonEmptyLines(s.get('FILES'))) {
    const space = line.indexOf(' ');
    const path = space < 0 ? line : line.slice(0, space);
    files.set(path, Buffer.from(space < 0 ? '' : line.slice(space + 1), 'base64').toString('utf8'));
  }
  const session = nonEmptyLines(s.get('SESSION'))[0]?.split(/\s+/)[2];
  const priv = nonEmptyLines(s.get('PRIV'))[0];
  return {
    links: json(s.get('LINKS')),
    routes4: json(s.get('ROUTES4')),
    routes6: json(s.get('ROUTES6')),
    wireless: new Set(nonEmptyLines(s.get('WIRELESS'))),
    speeds,
    ovs,
    brNetfilter: nonEmptyLines(s.get('BRNF'))[0] === 'loaded',
    resolvConf: s.get('RESOLV') ?? '',
    sessionAddress: session,
    pid1: nonEmptyLines(s.get('PID1'))[0] ?? '',
    tools: new Set(nonEmptyLines(s.get('TOOLS'))),
    nmRunning: nonEmptyLines(s.get('NM'))[0] === 'running',
    nmDevices,
    networkd,
    privilege: priv === 'root' || priv === 'sudo' ? priv : 'none',
    files,
    record: (s.get('RECORD') ?? '').trim(),
  };
}

/** nameserver lines of resolv.conf. */
export function dnsServers(resolvConf: string): string[] {
  return resolvConf
    .split('\n')
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((v): v is string => v !== undefined);
}
