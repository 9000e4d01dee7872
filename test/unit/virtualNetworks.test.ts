// Virtual networks: every kind the form makes is written as a definition libvirt's schema
// accepts (virt-xml-validate) and reads back as the same draft; editing an existing definition
// keeps what the form does not cover; the checks refuse collisions and bad addresses; a running
// network gets its DHCP changes live and is told to restart for the rest.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkDraftProblems, type NetworkDraft, type NetworkNamesInUse } from '../../preload/contract.js';
import { applyNetworkDraft, newNetworkXml, planLiveNetworkUpdate, readNetworkDraft } from '../../main/libvirt/networkDraft.js';
import { NetworkDocument } from '../../main/libvirt/xml/networkDocument.js';
import { draftFromForm, formFromDraft, newNetworkForm } from '../../renderer/src/model/networkForm.js';

const fixture = readFileSync(new URL('./fixtures/network-nat.xml', import.meta.url), 'utf8');
const NONE: NetworkNamesInUse = { networks: [], devices: [] };

const base = (change: Partial<NetworkDraft>): NetworkDraft => ({ name: 'n1', kind: 'nat', bridge: 'virbr7', domain: '', autostart: true, ...change });

const drafts: Record<string, NetworkDraft> = {
  'NAT, IPv4 with DHCP, fixed leases and a DNS domain': base({
    ipv4: { address: '192.168.150.1', prefix: 24, dhcp: { start: '192.168.150.100', end: '192.168.150.199' }, hosts: [{ mac: '52:54:00:aa:bb:01', name: 'web', ip: '192.168.150.10' }] },
    domain: 'lab.example',
  }),
  'routed, IPv4 and IPv6 with DHCP on both': base({
    kind: 'route',
    ipv4: { address: '10.77.0.1', prefix: 16, dhcp: { start: '10.77.1.1', end: '10.77.1.254' }, hosts: [] },
    ipv6: { address: 'fd00:77::1', prefix: 64, dhcp: { start: 'fd00:77::100', end: 'fd00:77::1ff' }, hosts: [{ name: 'db', ip: 'fd00:77::20' }] },
  }),
  'isolated without addresses': base({ kind: 'isolated', bridge: '' }),
  'isolated, IPv6 only': base({ kind: 'isolated', ipv6: { address: 'fd00:78::1', prefix: 64, hosts: [] } }),
  'open, IPv4 without DHCP': base({ kind: 'open', ipv4: { address: '172.30.5.1', prefix: 24, hosts: [] } }),
  'NAT with network boot': base({
    ipv4: { address: '192.168.151.1', prefix: 24, dhcp: { start: '192.168.151.50', end: '192.168.151.60' }, hosts: [] },
    pxe: { tftpRoot: '/srv/tftp', bootFile: 'pxelinux.0' },
  }),
};

let validator = true;
try {
  execFileSync('virt-xml-validate', ['--help'], { stdio: 'ignore' });
} catch {
  validator = false;
}

function validate(xml: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'virtdeck-net-'));
  try {
    writeFileSync(join(dir, 'network.xml'), xml);
    execFileSync('virt-xml-validate', [join(dir, 'network.xml'), 'network'], { stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('new networks of every kind', () => {
  for (const [label, draft] of Object.entries(drafts)) {
    it(`${label}: reads back as the same draft`, () => {
      expect(networkDraftProblems(draft, NONE)).toEqual([]);
      const xml = newNetworkXml(draft);
      expect(readNetworkDraft(NetworkDocument.parse(xml), draft.autostart)).toEqual(draft);
    });
    it.skipIf(!validator)(`${label}: passes libvirt's schema`, () => validate(newNetworkXml(draft)));
  }

  it('writes NAT, route and open as forward modes, isolated without <forward>, PXE as tftp and bootp', () => {
    expect(newNetworkXml(drafts['NAT with network boot']!)).toMatch(/<forward mode='nat'\/>[\s\S]*<ip address='192.168.151.1' prefix='24'>\s*<tftp root='\/srv\/tftp'\/>\s*<dhcp>\s*<range start='192.168.151.50' end='192.168.151.60'\/>\s*<bootp file='pxelinux.0'\/>/);
    expect(newNetworkXml(drafts['isolated without addresses']!)).not.toMatch(/forward|<bridge/);
    expect(newNetworkXml(drafts['open, IPv4 without DHCP']!)).toMatch(/<forward mode='open'\/>/);
  });
});

describe('editing an existing definition', () => {
  it('changes what the draft covers and keeps the rest (NAT ports, MTU, MAC, DNS forwarders and hosts)', () => {
    const document = NetworkDocument.parse(fixture);
    const draft = readNetworkDraft(document, false)!;
    expect(draft).toMatchObject({ name: 'lab-nat', kind: 'nat', bridge: 'virbr10', domain: 'lab.internal', ipv4: { address: '192.168.100.1', prefix: 24 } });
    applyNetworkDraft(document, {
      ...draft,
      ipv4: { ...draft.ipv4!, dhcp: { start: '192.168.100.200', end: '192.168.100.220' }, hosts: [draft.ipv4!.hosts[0]!] },
      ipv6: undefined,
      pxe: { tftpRoot: '/srv/tftp', bootFile: 'boot.ipxe' },
    } as NetworkDraft);
    const xml = document.toXml();
    for (const kept of ["<port start='1024' end='65535'/>", "<mtu size='1500'/>", "<forwarder addr='192.0.2.53'/>", '<hostname>files</hostname>', "netmask='255.255.255.0'", "localOnly='yes'"]) expect(xml).toContain(kept);
    expect(xml).toContain("<range start='192.168.100.200' end='192.168.100.220'/>");
    expect(xml).toContain("name='web01'");
    expect(xml).not.toContain('db01');
    expect(xml).not.toContain('ipv6');
    if (validator) validate(xml);
    // Network boot off again: the tftp and bootp elements go, nothing empty stays.
    applyNetworkDraft(document, { ...readNetworkDraft(document, false)!, pxe: undefined } as NetworkDraft);
    expect(document.toXml()).not.toMatch(/tftp|bootp/);
  });

  it('does not offer a form for kinds it does not edit', () => {
    expect(readNetworkDraft(NetworkDocument.parse("<network><name>br</name><forward mode='bridge'/><bridge name='br0'/></network>"), false)).toBeUndefined();
  });
});

describe('the checks before anything changes', () => {
  const inUse: NetworkNamesInUse = { networks: [{ name: 'default', bridge: 'virbr0' }, { name: 'lab', bridge: 'virbr7' }], devices: ['lo', 'eth0', 'virbr0', 'virbr7', 'br0'] };
  const good = base({ name: 'fresh', bridge: 'virbr9', ipv4: { address: '192.168.160.1', prefix: 24, dhcp: { start: '192.168.160.10', end: '192.168.160.20' }, hosts: [] } });
  const codes = (draft: NetworkDraft, editing?: string) => networkDraftProblems(draft, inUse, editing).map((problem) => `${problem.field}:${problem.code}`);

  it('accepts a good draft', () => expect(codes(good)).toEqual([]));
  it('refuses a taken network name, a bridge of another network and an existing device', () => {
    expect(codes({ ...good, name: 'default' })).toEqual(['name:name-taken']);
    expect(codes({ ...good, bridge: 'virbr7' })).toEqual(['bridge:bridge-taken']);
    expect(codes({ ...good, bridge: 'br0' })).toEqual(['bridge:bridge-taken']);
    expect(codes({ ...good, bridge: 'a-very-long-bridge' })).toEqual(['bridge:invalid-bridge']);
    expect(codes({ ...good, name: 'a/b' })).toEqual(['name:invalid-name']);
  });
  it('lets the network being edited keep its own name and bridge', () => expect(codes({ ...good, name: 'lab', bridge: 'virbr7' }, 'lab')).toEqual([]));
  it('refuses bad addresses, prefixes and ranges', () => {
    const ip = good.ipv4!;
    expect(codes({ ...good, ipv4: { ...ip, address: '192.168.160.300' } })).toContain('ipv4.address:invalid-address');
    expect(codes({ ...good, ipv4: { ...ip, address: 'fd00::1' } })).toContain('ipv4.address:invalid-address');
    expect(codes({ ...good, ipv4: { ...ip, prefix: 33 } })).toEqual(['ipv4.prefix:invalid-prefix']);
    expect(codes({ ...good, ipv4: { ...ip, prefix: Number.NaN } })).toEqual(['ipv4.prefix:invalid-prefix']);
    expect(codes({ ...good, ipv4: { ...ip, address: '192.168.160.0' } })).toEqual(['ipv4.address:network-address']);
    expect(codes({ ...good, ipv4: { ...ip, dhcp: { start: '192.168.161.10', end: '192.168.160.20' } } })).toEqual(['ipv4.dhcpStart:outside-subnet']);
    expect(codes({ ...good, ipv4: { ...ip, dhcp: { start: '192.168.160.10', end: '192.168.160.255' } } })).toEqual(['ipv4.dhcpEnd:outside-subnet']);
    expect(codes({ ...good, ipv4: { ...ip, dhcp: { start: '192.168.160.30', end: '192.168.160.20' } } })).toEqual(['ipv4.dhcpEnd:range-reversed']);
    expect(codes({ ...good, ipv4: { ...ip, dhcp: { start: '192.168.160.1', end: '192.168.160.20' } } })).toEqual(['ipv4.dhcpStart:range-contains-address']);
    expect(codes({ ...good, ipv6: { address: 'fd00::1', prefix: 64, dhcp: { start: 'fd01::10', end: 'fd00::20' }, hosts: [] } })).toEqual(['ipv6.dhcpStart:outside-subnet']);
  });
  it('refuses bad fixed leases', () => {
    const ip = good.ipv4!;
    expect(codes({ ...good, ipv4: { ...ip, hosts: [{ mac: '52:54:00:zz:00:01', ip: '192.168.160.5' }] } })).toEqual(['ipv4.hosts.0.mac:invalid-mac']);
    expect(codes({ ...good, ipv4: { ...ip, hosts: [{ mac: '52:54:00:00:00:01', ip: '10.0.0.5' }] } })).toEqual(['ipv4.hosts.0.ip:outside-subnet']);
    expect(codes({ ...good, ipv4: { ...ip, hosts: [{ mac: '52:54:00:00:00:01', ip: '192.168.160.5' }, { mac: '52:54:00:00:00:01', ip: '192.168.160.5' }] } })).toEqual(['ipv4.hosts.1.ip:duplicate', 'ipv4.hosts.1.mac:duplicate']);
  });
  it('needs IPv4 for NAT and for network boot, an address for routed networks, a valid domain and TFTP root', () => {
    expect(codes({ ...good, ipv4: undefined })).toEqual(['ipv4.enabled:needs-ipv4']);
    expect(codes({ ...good, kind: 'route', ipv4: undefined })).toEqual(['ipv4.enabled:needs-address']);
    expect(codes({ ...good, kind: 'isolated', ipv4: undefined })).toEqual([]);
    expect(codes({ ...good, domain: 'bad_domain..x' })).toEqual(['domain:invalid-domain']);
    expect(codes({ ...good, ipv4: { ...good.ipv4!, dhcp: undefined }, pxe: { tftpRoot: 'srv', bootFile: 'a b' } })).toEqual(['pxe.enabled:pxe-needs-dhcp', 'pxe.tftpRoot:invalid-path', 'pxe.bootFile:invalid-file']);
  });
});

describe('changing a running network', () => {
  it('changes DHCP ranges and fixed leases live, deleting before adding', () => {
    const live = NetworkDocument.parse(fixture);
    const next = NetworkDocument.parse(fixture);
    const draft = readNetworkDraft(next, false)!;
    applyNetworkDraft(next, { ...draft, ipv4: { ...draft.ipv4!, hosts: [draft.ipv4!.hosts[0]!, { mac: '52:54:00:6b:3c:09', name: 'new', ip: '192.168.100.19' }] } });
    const plan = planLiveNetworkUpdate(live, next);
    expect(plan.restartNeeded).toBe(false);
    expect(plan.updates.map((update) => `${update.command} ${update.section} ${update.parentIndex} ${/ip="([^"]+)"|ip='([^']+)'/.exec(update.xml)?.slice(1).find(Boolean)}`)).toEqual([
      'delete ip-dhcp-host 0 192.168.100.12',
      'add ip-dhcp-host 0 192.168.100.19',
    ]);
  });

  it('asks for a restart when the address, kind or domain changes', () => {
    const live = NetworkDocument.parse(fixture);
    const next = NetworkDocument.parse(fixture);
    applyNetworkDraft(next, { ...readNetworkDraft(next, false)!, kind: 'route' });
    expect(planLiveNetworkUpdate(live, next)).toEqual({ updates: [], restartNeeded: true });
  });
});

describe('the form', () => {
  it('suggests a free name, bridge and subnet that pass the checks', () => {
    const existing = [{ name: 'net1', bridge: 'virbr1', ipv4: '192.168.100.1/24' }];
    const form = newNetworkForm(existing, ['virbr1', 'virbr2']);
    expect(form).toMatchObject({ name: 'net2', bridge: 'virbr3', ipv4: { address: '192.168.101.1' } });
    expect(networkDraftProblems(draftFromForm(form), { networks: existing, devices: ['virbr1', 'virbr2'] })).toEqual([]);
  });
  it('turns a draft into a form and back unchanged', () => {
    for (const draft of Object.values(drafts)) expect(draftFromForm(formFromDraft(draft))).toEqual(draft);
  });
});
