// Golden files for each stack's bridge writer (test/unit/fixtures/hostnet/*.golden), the
// preview diff, stack detection, the probe parser and the plan checks.
import { describe, expect, it } from 'vitest';
import { bridgePlanProblems, proposeBridgePlan, type BridgePlan, type HostInterface } from '../../preload/contract.js';
import { fileDiff, previewOf, stackChange } from '../../main/hostnet/bridgePlanner.js';
import { jobScripts, parseRecord } from '../../main/hostnet/bridgeJob.js';
import { parseProbe, type ProbeOutput } from '../../main/hostnet/hostProbe.js';
import { interfaceList, sessionInterface } from '../../main/hostnet/interfaceList.js';
import { detectStack, rollbackMechanism } from '../../main/hostnet/stackDetect.js';
import type { StackChange } from '../../main/hostnet/writers/stackChange.js';

const golden = (name: string) => `./fixtures/hostnet/${name}.golden`;

const staticPlan: BridgePlan = {
  iface: 'eth0',
  bridge: 'br0',
  stp: false,
  forwardDelay: 0,
  mac: '52:54:00:AB:CD:EF',
  ipv4: { mode: 'static', addresses: ['192.0.2.10/24'], gateway: '192.0.2.1' },
  ipv6: { mode: 'static', addresses: ['2001:db8::10/64'], gateway: '2001:db8::1' },
  dns: ['192.0.2.53', '2001:db8::53'],
  rollbackSeconds: 60,
  useOvs: false,
};
const dhcpPlan: BridgePlan = { ...staticPlan, ipv4: { mode: 'dhcp', addresses: [], gateway: '' }, ipv6: { mode: 'auto', addresses: [], gateway: '' }, dns: [] };

const IFUPDOWN = `# interfaces(5) file used by ifup(8) and ifdown(8)
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

# The primary network interface
auto eth0
iface eth0 inet static
	address 192.0.2.10/24
	gateway 192.0.2.1
	dns-nameservers 192.0.2.53
	mtu 9000

iface eth0 inet6 static
	address 2001:db8::10/64

auto eth1
iface eth1 inet dhcp
`;

const NETPLAN = `# This file is generated from information provided by the datasource.
network:
  version: 2
  ethernets:
    eth0:
      match:
        macaddress: "52:54:00:ab:cd:ef"
      set-name: eth0
      dhcp4: true
      nameservers:
        search: [example.com]
    eth1:
      dhcp4: true
`;

const NETWORKD = `[Match]
Name=eth0

[Network]
Address=192.0.2.10/24
Gateway=192.0.2.1
DNS=192.0.2.53

[Link]
MTUBytes=9000
`;

const IFCFG = `TYPE=Ethernet
DEVICE=eth0
NAME=eth0
ONBOOT=yes
NM_CONTROLLED=no
BOOTPROTO=none
IPADDR=192.0.2.10
PREFIX=24
GATEWAY=192.0.2.1
DNS1=192.0.2.53
HWADDR=52:54:00:ab:cd:ef
`;

function render(change: StackChange): string {
  const parts = change.files.map((f) => `=== ${f.path} (${f.before === null ? 'new' : 'changed'})\n${f.after ?? '(removed)'}`);
  return [...parts, '=== apply', ...change.apply, '=== restore', ...change.restore, ''].join('\n');
}

describe('stack writers (golden files)', () => {
  it('ifupdown: NIC becomes manual, bridge stanza takes its addressing, STP off, fd 0, MAC pinned', async () => {
    const change = stackChange({ stack: 'ifupdown' }, { plan: staticPlan, files: new Map([['/etc/network/interfaces', IFUPDOWN]]) });
    const text = change.files[0]!.after!;
    expect(text).toContain('iface eth0 inet manual');
    expect(text).toMatch(/iface br0 inet static\n\taddress 192\.0\.2\.10\/24\n\tgateway 192\.0\.2\.1/);
    expect(text).toContain('\thwaddress ether 52:54:00:ab:cd:ef');
    expect(text).toContain('\tmtu 9000');
    expect(text).toContain('iface eth1 inet dhcp');
    expect(text).not.toContain('iface eth0 inet6');
    await expect(render(change)).toMatchFileSnapshot(golden('ifupdown'));
    await expect(fileDiff(change.files[0]!).diff).toMatchFileSnapshot(golden('ifupdown.diff'));
  });

  it('ifupdown2 applies with ifreload -a', async () => {
    const change = stackChange({ stack: 'ifupdown2' }, { plan: dhcpPlan, files: new Map([['/etc/network/interfaces', IFUPDOWN]]) });
    expect(change.apply).toContain('ifreload -a');
    await expect(render(change)).toMatchFileSnapshot(golden('ifupdown2-dhcp'));
  });

  it('netplan: NIC loses DHCP, bridges entry with interfaces, macaddress, parameters; comments and other devices kept', async () => {
    const change = stackChange({ stack: 'netplan', netplanFile: '/etc/netplan/50-cloud-init.yaml' }, { plan: dhcpPlan, files: new Map([['/etc/netplan/50-cloud-init.yaml', NETPLAN]]) });
    const text = change.files[0]!.after!;
    expect(text).toContain('# This file is generated');
    expect(text).toMatch(/bridges:\n {4}br0:\n {6}interfaces:\n {8}- eth0\n {6}macaddress: 52:54:00:ab:cd:ef\n {6}dhcp4: true/);
    expect(text).toContain('forward-delay: 0');
    expect(change.restore).toContain("ip link del br0 2>/dev/null || true");
    await expect(render(change)).toMatchFileSnapshot(golden('netplan'));
  });

  it('systemd-networkd: .netdev with MACAddress, bridge .network with ClientIdentifier=mac, NIC bound by Bridge=', async () => {
    const files = new Map([['/etc/systemd/network/20-wired.network', NETWORKD]]);
    const change = stackChange({ stack: 'networkd' }, { plan: { ...staticPlan, ipv6: { mode: 'none', addresses: [], gateway: '' } }, files });
    await expect(render(change)).toMatchFileSnapshot(golden('networkd'));
    const dhcp = stackChange({ stack: 'networkd' }, { plan: dhcpPlan, files });
    expect(dhcp.files[1]!.after).toContain('ClientIdentifier=mac');
  });

  it('ifcfg: BRIDGE= on the NIC, TYPE=Bridge file with the addressing, STP=no, DELAY=0, MACADDR', async () => {
    const change = stackChange({ stack: 'ifcfg' }, { plan: staticPlan, files: new Map([['/etc/sysconfig/network-scripts/ifcfg-eth0', IFCFG]]) });
    expect(change.files[0]!.after).toContain('BRIDGE=br0');
    expect(change.files[0]!.after).not.toContain('IPADDR');
    expect(change.files[1]!.after).toContain('TYPE=Bridge');
    await expect(render(change)).toMatchFileSnapshot(golden('ifcfg'));
  });

  it('NetworkManager: bridge and port profiles through nmcli, the old profile kept with autoconnect off', async () => {
    const change = stackChange({ stack: 'networkmanager' }, { plan: staticPlan, files: new Map(), activeProfile: '0b8e1e2c-1111-4c4c-8d8d-123456789abc' });
    expect(change.apply[0]).toContain('bridge.forward-delay 0');
    expect(change.apply[0]).toContain('connection.autoconnect-slaves yes');
    await expect(render(change)).toMatchFileSnapshot(golden('networkmanager'));
  });

  it('Open vSwitch (on ifupdown): OVSBridge/OVSPort stanzas, add-br and add-port in one job', async () => {
    const change = stackChange({ stack: 'ifupdown' }, { plan: { ...staticPlan, useOvs: true, ipv6: { mode: 'none', addresses: [], gateway: '' } }, files: new Map([['/etc/network/interfaces', IFUPDOWN]]) });
    await expect(render(change)).toMatchFileSnapshot(golden('ovs'));
  });

  it('hostile interface names never reach a shell unquoted', () => {
    const change = stackChange({ stack: 'networkmanager' }, { plan: { ...staticPlan, bridge: "br'0" }, files: new Map() });
    expect(change.apply[0]).toContain(`'br'\\''0'`);
  });
});

describe('job scripts', () => {
  const change = stackChange({ stack: 'ifupdown' }, { plan: staticPlan, files: new Map([['/etc/network/interfaces', IFUPDOWN]]) });
  const job = { id: '20261202T040000-abcdef', action: 'create' as const, bridge: 'br0', iface: 'eth0', rollbackSeconds: 60, mechanism: 'setsid' as const, change, files: [{ path: '/etc/network/interfaces', source: { kind: 'upload' as const, present: true } }] };
  it('arm the rollback before applying, detached; disarm and fire race for one rename', async () => {
    const scripts = jobScripts(job);
    const start = scripts['start.sh']!;
    expect(start.indexOf('setsid nohup sh "$D/timer.sh"')).toBeLessThan(start.indexOf('setsid nohup sh "$D/apply.sh"'));
    expect(scripts['fire.sh']).toContain('mv "$D/armed" "$D/fired" 2>/dev/null || exit 0');
    expect(scripts['disarm.sh']).toContain('mv "$D/armed" "$D/disarmed"');
    await expect(Object.entries(scripts).map(([n, t]) => `=== ${n}\n${t}`).join('')).toMatchFileSnapshot(golden('job-setsid'));
  });
  it('systemd-run and NetworkManager checkpoints where they exist', () => {
    expect(jobScripts({ ...job, mechanism: 'systemd-run' })['start.sh']).toContain("systemd-run --quiet --unit='virtdeck-rollback-20261202T040000-abcdef' --on-active=60");
    expect(jobScripts({ ...job, mechanism: 'nm-checkpoint' })['start.sh']).toContain('CheckpointCreate aouu 0 60 7');
  });
  it('reads the host record', () => {
    expect(parseRecord('id1 create br0 eth0 rolled-back 1764648000 /var/lib/virtdeck/bridge/id1')).toEqual({ id: 'id1', action: 'create', bridge: 'br0', iface: 'eth0', state: 'rolled-back', at: 1764648000, backupDir: '/var/lib/virtdeck/bridge/id1' });
    expect(parseRecord('')).toBeUndefined();
  });
});

const PROBE = [
  '@@LINKS',
  JSON.stringify([
    { ifindex: 1, ifname: 'lo', link_type: 'loopback', address: '00:00:00:00:00:00', operstate: 'UNKNOWN', mtu: 65536, addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' }] },
    { ifindex: 2, ifname: 'eth0', link_type: 'ether', address: '52:54:00:ab:cd:ef', operstate: 'UP', mtu: 1500, linkinfo: { info_kind: 'veth' }, addr_info: [{ family: 'inet', local: '192.0.2.10', prefixlen: 24, scope: 'global', valid_life_time: 4294967295 }] },
    { ifindex: 3, ifname: 'wlan0', link_type: 'ether', address: '52:54:00:00:00:01', operstate: 'DOWN', mtu: 1500, addr_info: [] },
    { ifindex: 4, ifname: 'virbr0', link_type: 'ether', address: '52:54:00:00:00:02', operstate: 'DOWN', mtu: 1500, linkinfo: { info_kind: 'bridge' }, addr_info: [] },
    { ifindex: 5, ifname: 'eth0.10', link_type: 'ether', address: '52:54:00:ab:cd:ef', operstate: 'UP', mtu: 1500, link: 'eth0', linkinfo: { info_kind: 'vlan', info_data: { id: 10 } }, addr_info: [] },
  ]),
  '@@ROUTES4',
  JSON.stringify([{ dst: 'default', gateway: '192.0.2.1', dev: 'eth0' }, { dst: '192.0.2.0/24', dev: 'eth0' }]),
  '@@ROUTES6',
  '[]',
  '@@WIRELESS',
  'wlan0',
  '@@SPEED',
  'eth0 10000',
  'lo -1',
  '@@OVS',
  '@@BRNF',
  'loaded',
  '@@RESOLV',
  'nameserver 192.0.2.53',
  '@@SESSION',
  '192.0.2.99 51234 192.0.2.10 22',
  '@@PID1',
  'sleep',
  '@@TOOLS',
  'setsid',
  'nohup',
  'ifup',
  'ifdown',
  '@@NM',
  '@@NMDEV',
  '@@NETWORKD',
  '@@PRIV',
  'sudo',
  '@@FILES',
  `/etc/network/interfaces ${Buffer.from(IFUPDOWN).toString('base64')}`,
  '@@RECORD',
  '@@END',
  '',
].join('\n');

describe('reading a host', () => {
  const probe: ProbeOutput = parseProbe(PROBE);
  const interfaces = interfaceList(probe, new Map([['virbr0', ['web1']]]));
  it('lists interfaces with kind, speed, addresses, routes and guests', () => {
    const eth0 = interfaces.find((i) => i.name === 'eth0')!;
    expect(eth0).toMatchObject({ kind: 'veth', speedMbps: 10000, state: 'up', addresses: [{ address: '192.0.2.10', prefix: 24, dynamic: false }] });
    expect(eth0.routes).toContainEqual({ family: 'inet', destination: 'default', gateway: '192.0.2.1' });
    expect(interfaces.find((i) => i.name === 'wlan0')!.kind).toBe('wifi');
    expect(interfaces.find((i) => i.name === 'eth0.10')).toMatchObject({ kind: 'vlan', vlanId: 10, parent: 'eth0' });
    expect(interfaces.find((i) => i.name === 'virbr0')!.guests).toEqual(['web1']);
    expect(sessionInterface(interfaces, probe.sessionAddress)).toBe('eth0');
    expect(probe.brNetfilter).toBe(true);
  });
  it('detects the stack, and says so when none owns the interface', () => {
    expect(detectStack(probe, 'eth0').stack).toBe('ifupdown');
    expect(detectStack(probe, 'wlan0').stack).toBeUndefined();
    expect(detectStack({ ...probe, tools: new Set([...probe.tools, 'ifreload']) }, 'eth0').stack).toBe('ifupdown2');
    expect(detectStack({ ...probe, nmRunning: true, nmDevices: new Map([['eth0', { state: 'connected', uuid: 'u' }]]), files: new Map() }, 'eth0').stack).toBe('networkmanager');
    expect(detectStack({ ...probe, files: new Map([['/etc/netplan/50-cloud-init.yaml', NETPLAN]]) }, 'eth0')).toMatchObject({ stack: 'netplan', renderer: 'networkd' });
    expect(detectStack({ ...probe, ovs: new Map([['ovsbr0', ['eth0']]]) }, 'eth0').stack).toBe('ovs');
    expect(rollbackMechanism(probe, 'ifupdown')).toBe('setsid');
    expect(rollbackMechanism({ ...probe, tools: new Set() }, 'ifupdown')).toBeUndefined();
  });
  it('proposes a plan from the uplink as it is, and refuses bad input with the reason', () => {
    const eth0 = interfaces.find((i) => i.name === 'eth0')!;
    const plan = proposeBridgePlan(eth0, interfaces, ['192.0.2.53']);
    expect(plan).toMatchObject({ bridge: 'br0', stp: false, forwardDelay: 0, mac: '52:54:00:ab:cd:ef', ipv4: { mode: 'static', addresses: ['192.0.2.10/24'], gateway: '192.0.2.1' }, rollbackSeconds: 60 });
    const context = { interfaces, stack: 'ifupdown' as const, rollback: 'setsid' as const, ovsAvailable: false };
    expect(bridgePlanProblems(plan, context)).toEqual([]);
    const codes = (p: BridgePlan, c = context) => bridgePlanProblems(p, c).map((x) => x.code);
    expect(codes({ ...plan, bridge: 'virbr0' })).toEqual(['name-taken']);
    expect(codes({ ...plan, bridge: 'a name' })).toEqual(['bad-bridge-name']);
    expect(codes({ ...plan, iface: 'wlan0' })).toEqual(['wifi']);
    expect(codes({ ...plan, ipv4: { mode: 'static', addresses: ['192.0.2.300/24'], gateway: '192.0.2.1' } })).toContain('bad-address');
    expect(codes({ ...plan, ipv4: { mode: 'static', addresses: ['192.0.2.10/33'], gateway: '' } })).toEqual(['bad-address']);
    expect(codes({ ...plan, ipv4: { mode: 'static', addresses: ['192.0.2.10/24'], gateway: '198.51.100.1' } })).toEqual(['bad-gateway']);
    expect(codes({ ...plan, dns: ['not-an-ip'] })).toEqual(['bad-dns']);
    expect(codes({ ...plan, rollbackSeconds: 5 })).toEqual(['bad-rollback']);
    expect(codes(plan, { ...context, rollback: undefined } as never)).toEqual(['no-rollback']);
    expect(codes(plan, { ...context, stack: undefined } as never)).toEqual(['no-stack']);
    expect(codes({ ...plan, useOvs: true })).toEqual(['no-ovs']);
    expect(codes(plan, { ...context, privilegeProblem: 'not-root-no-sudo' } as never)).toEqual(['no-privilege']);
  });
  it('previews the change as a diff and the commands in order', () => {
    const change = stackChange({ stack: 'ifupdown' }, { plan: staticPlan, files: probe.files });
    const preview = previewOf(change, 'ifupdown');
    expect(preview.files[0]!.diff).toMatch(/^--- a\/etc\/network\/interfaces\n\+\+\+ b\/etc\/network\/interfaces\n@@/);
    expect(preview.files[0]!.diff).toContain('-iface eth0 inet static');
    expect(preview.files[0]!.diff).toContain('+iface eth0 inet manual');
    expect(preview.commands).toEqual(['ifdown eth0 || true', 'ip -4 addr flush dev eth0 scope global', 'ip -6 addr flush dev eth0 scope global', '# install /etc/network/interfaces', 'ifup br0']);
  });
});

export type { HostInterface };
