import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addressSourceResult,
  domainDetailsFromXml,
  osNameFromId,
  parseDomblkinfo,
  parseDomifaddr,
  parseUptimes,
  qemuPidDirectory,
} from '../../main/libvirt/domainDetails.js';
import { VmDetailsInfo, type VmStats } from '../../preload/contract.js';
import { formatDuration } from '../../renderer/src/format/formatDuration.js';
import { historyKey, HISTORY_MS, trackVmHistory, useStatsStore } from '../../renderer/src/store/statsStore.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('osNameFromId', () => {
  it.each([
    ['http://debian.org/debian/12', 'Debian 12'],
    ['http://debian.org/debian/testing', 'Debian testing'],
    ['http://ubuntu.com/ubuntu/22.04', 'Ubuntu 22.04'],
    ['http://fedoraproject.org/fedora/39', 'Fedora 39'],
    ['http://redhat.com/rhel/9.2', 'Red Hat Enterprise Linux 9.2'],
    ['http://centos.org/centos-stream/9', 'CentOS Stream 9'],
    ['http://rockylinux.org/rocky/9', 'Rocky Linux 9'],
    ['http://microsoft.com/win/10', 'Windows 10'],
    ['http://microsoft.com/win/2k19', 'Windows Server 2019'],
    ['http://microsoft.com/win/2k12r2', 'Windows Server 2012 R2'],
    ['http://archlinux.org/archlinux/rolling', 'Arch Linux'],
    ['http://opensuse.org/opensuse/tumbleweed', 'openSUSE tumbleweed'],
    ['http://freebsd.org/freebsd/13.2', 'FreeBSD 13.2'],
    ['http://libosinfo.org/unknown', 'Unknown OS'],
    ['http://example.com/someos/1.0', 'Someos 1.0'],
    ['someos/2', 'Someos 2'],
  ])('%s → %s', (id, name) => {
    expect(osNameFromId(id)).toBe(name);
  });
});

describe('domainDetailsFromXml', () => {
  it('reads every field of a full KVM definition', () => {
    const details = VmDetailsInfo.parse(domainDetailsFromXml(fixture('domain-kvm-full.xml'), 'h1', 1000));
    expect(details).toMatchObject({
      hostId: 'h1',
      name: 'web01.lab',
      uuid: '8f3c2d1e-4b5a-4c6d-9e7f-0a1b2c3d4e5f',
      domainType: 'kvm',
      title: 'Web front end',
      os: { id: 'http://debian.org/debian/12', name: 'Debian 12' },
      osType: 'hvm',
      arch: 'x86_64',
      machine: 'pc-q35-7.2',
      vcpus: { current: 2, max: 4 },
      memory: { currentKiB: 2097152, maxKiB: 4194304 },
      active: false,
      readAt: 1000,
    });
    expect(details.disks).toEqual([
      { target: 'vda', bus: 'virtio', device: 'disk', sourceType: 'file', path: '/var/lib/libvirt/images/web01.qcow2', format: 'qcow2', readonly: false, shareable: false },
      { target: 'vdb', bus: 'virtio', device: 'disk', sourceType: 'block', path: '/dev/vg0/web01-data', format: 'raw', readonly: false, shareable: false },
      { target: 'vdc', bus: 'virtio', device: 'disk', sourceType: 'network', networkProtocol: 'rbd', networkName: 'rbd-pool/web01-logs', format: 'raw', readonly: false, shareable: false },
      { target: 'vdd', bus: 'virtio', device: 'disk', sourceType: 'volume', pool: 'default', volume: 'web01-scratch.qcow2', format: 'qcow2', readonly: false, shareable: false },
      { target: 'sda', bus: 'sata', device: 'cdrom', sourceType: 'file', path: '/var/lib/libvirt/boot/debian-12.5.0-amd64-netinst.iso', format: 'raw', readonly: true, shareable: false },
    ]);
    expect(details.nics).toEqual([
      { mac: '52:54:00:6b:3c:01', type: 'network', model: 'virtio', source: 'default', linkState: 'up' },
      { mac: '52:54:00:6b:3c:02', type: 'bridge', model: 'virtio', source: 'br0', linkState: 'up' },
      { mac: '52:54:00:6b:3c:03', type: 'direct', model: 'virtio', source: 'eno2', linkState: 'up' },
    ]);
    expect(details.graphics).toEqual([
      { type: 'vnc', listen: '127.0.0.1', autoport: true },
      { type: 'spice', autoport: true },
    ]);
  });

  it('reads a running domain: id, host-side devices, ports, link down, no libosinfo', () => {
    const xml = `<domain type='qemu' id='7'><name>m</name><uuid>u</uuid><memory unit='MiB'>128</memory><vcpu>1</vcpu>
      <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>
      <devices>
        <interface type='network'><mac address='52:54:00:AA:BB:CC'/><source network='default' bridge='virbr0'/><target dev='vnet3'/><model type='e1000'/><link state='down'/></interface>
        <graphics type='vnc' port='5901' autoport='yes' listen='0.0.0.0'><listen type='address' address='0.0.0.0'/></graphics>
      </devices></domain>`;
    const details = VmDetailsInfo.parse(domainDetailsFromXml(xml, 'h', 1));
    expect(details.active).toBe(true);
    expect(details.os).toBeUndefined();
    expect(details.vcpus).toEqual({ current: 1, max: 1 });
    expect(details.memory).toEqual({ currentKiB: 131072, maxKiB: 131072 });
    expect(details.nics).toEqual([{ mac: '52:54:00:aa:bb:cc', type: 'network', model: 'e1000', source: 'default', linkState: 'down', hostDevice: 'vnet3' }]);
    expect(details.graphics).toEqual([{ type: 'vnc', listen: '0.0.0.0', port: 5901, autoport: true }]);
  });
});

describe('parseDomblkinfo', () => {
  it('reads sizes in bytes and leaves dashes out (libvirt 9, --all)', () => {
    const out = ` Target   Capacity      Allocation   Physical
------------------------------------------------------
 vda      67108864      200704       200704
 sda      16777216      0            16777216
 sdb      -             -            -

`;
    const sizes = parseDomblkinfo(out);
    expect([...sizes.entries()]).toEqual([
      ['vda', { capacityBytes: 67108864, allocationBytes: 200704 }],
      ['sda', { capacityBytes: 16777216, allocationBytes: 0 }],
      ['sdb', {}],
    ]);
  });
});

describe('parseDomifaddr', () => {
  it('lease (captured on a lab host, libvirt 9.0)', () => {
    const out = ` Name       MAC address          Protocol     Address
-------------------------------------------------------------------------------
 vnet0      52:54:00:09:a8:48    ipv4         192.168.122.184/24

`;
    expect(parseDomifaddr(out, 'lease')).toEqual([
      { source: 'lease', interfaceName: 'vnet0', mac: '52:54:00:09:a8:48', protocol: 'ipv4', address: '192.168.122.184', prefix: 24 },
    ]);
  });

  it('agent without --full: further addresses of an interface carry its name and MAC', () => {
    const out = ` Name       MAC address          Protocol     Address
-------------------------------------------------------------------------------
 lo         00:00:00:00:00:00    ipv4         127.0.0.1/8
 -          -                    ipv6         ::1/128
 eth0       52:54:00:E1:00:01    ipv4         192.168.122.50/24
 -          -                    ipv6         fe80::5054:ff:fee1:1/64
`;
    const addresses = parseDomifaddr(out, 'agent');
    expect(addresses.map((a) => [a.interfaceName, a.mac, a.protocol, a.address, a.prefix])).toEqual([
      ['lo', '00:00:00:00:00:00', 'ipv4', '127.0.0.1', 8],
      ['lo', '00:00:00:00:00:00', 'ipv6', '::1', 128],
      ['eth0', '52:54:00:e1:00:01', 'ipv4', '192.168.122.50', 24],
      ['eth0', '52:54:00:e1:00:01', 'ipv6', 'fe80::5054:ff:fee1:1', 64],
    ]);
  });

  it('agent with --full and a Windows interface name with spaces; arp rows', () => {
    const agent = ` Name       MAC address          Protocol     Address
-------------------------------------------------------------------------------
 Ethernet 2 52:54:00:e1:00:02    ipv4         10.0.0.5/24
 Ethernet 2 52:54:00:e1:00:02    ipv6         fd00::5/64
`;
    expect(parseDomifaddr(agent, 'agent').map((a) => [a.interfaceName, a.address])).toEqual([
      ['Ethernet 2', '10.0.0.5'],
      ['Ethernet 2', 'fd00::5'],
    ]);
    const arp = ` Name       MAC address          Protocol     Address
-------------------------------------------------------------------------------
 vnet1      52:54:00:e1:00:03    ipv4         192.168.122.77/0
`;
    expect(parseDomifaddr(arp, 'arp')).toEqual([{ source: 'arp', interfaceName: 'vnet1', mac: '52:54:00:e1:00:03', protocol: 'ipv4', address: '192.168.122.77', prefix: 0 }]);
    expect(parseDomifaddr(' Name       MAC address          Protocol     Address\n-----\n\n', 'lease')).toEqual([]);
  });

  it('tells an unavailable source from a failed one', () => {
    expect(addressSourceResult('agent', { ok: false, stderr: 'error: Failed to query for interfaces addresses\nerror: argument unsupported: QEMU guest agent is not configured\n' })).toEqual({
      source: 'agent',
      status: 'unavailable',
      message: 'Failed to query for interfaces addresses\nargument unsupported: QEMU guest agent is not configured',
    });
    expect(addressSourceResult('agent', { ok: false, stderr: 'error: Guest agent is not responding: QEMU guest agent is not connected' }).status).toBe('unavailable');
    expect(addressSourceResult('lease', { ok: false, stderr: 'error: Requested operation is not valid: domain is not running' }).status).toBe('unavailable');
    // What libvirt 9.0 said for the ARP source on the lab hosts of this machine (kernel 6.18).
    expect(addressSourceResult('arp', { ok: false, stderr: 'error: Failed to query for interfaces addresses\nerror: internal error: wrong nlmsg len' }).status).toBe('failed');
    expect(addressSourceResult('lease', { ok: true })).toEqual({ source: 'lease', status: 'ok' });
  });
});

describe('uptime', () => {
  it('knows where QEMU keeps pid files, and reads the script output by index', () => {
    expect(qemuPidDirectory('qemu:///system')).toBe('/run/libvirt/qemu');
    expect(qemuPidDirectory('qemu:///session')).toBe('session');
    expect(qemuPidDirectory('test:///default')).toBeUndefined();
    expect(qemuPidDirectory('xen:///system')).toBeUndefined();
    expect(parseUptimes('VDUP 1 uuid 4242 90\nnoise\nVDUP 0 pidfile 17 3600\nVDUP 9 uuid 1 1\n', 3, 10_000_000)).toEqual([
      { startedAt: 10_000_000 - 3_600_000, via: 'pidfile', pid: 17 },
      { startedAt: 10_000_000 - 90_000, via: 'uuid', pid: 4242 },
      undefined,
    ]);
  });

  it('formats durations as their two largest units', () => {
    expect(formatDuration(0, 'en')).toBe('0 sec');
    expect(formatDuration(59, 'en')).toBe('59 sec');
    expect(formatDuration(3 * 3600 + 120 + 5, 'en')).toBe('3 hr 2 min');
    expect(formatDuration(2 * 86400 + 30, 'en')).toBe('2 days');
    expect(formatDuration(86400 + 3600 * 5, 'zh-CN')).toMatch(/1.*天.*5.*小时/);
  });
});

describe('statsStore history', () => {
  const stats = (name: string, cpu: number): VmStats => ({ hostId: 'h', name, cpuPercent: cpu, memoryUsedKiB: 1, diskReadBps: 0, diskWriteBps: 0, netRxBps: 0, netTxBps: 0 });

  it('keeps a bounded history of tracked VMs only, with gaps while a VM is not sampled, and drops it when untracked', () => {
    const store = useStatsStore.getState();
    const untrack = trackVmHistory('h', 'a');
    const t0 = 1_000_000;
    store.applySample('h', [stats('a', 10), stats('b', 20)], t0);
    store.applySample('h', [stats('b', 20)], t0 + 2000);
    store.applySample('other', [stats('a', 99)], t0 + 3000);
    let history = useStatsStore.getState().history;
    expect(Object.keys(history)).toEqual([historyKey('h', 'a')]);
    expect(history[historyKey('h', 'a')]?.map((point) => [point.at, point.stats?.cpuPercent ?? null])).toEqual([
      [t0, 10],
      [t0 + 2000, null],
    ]);
    store.applySample('h', [stats('a', 30)], t0 + HISTORY_MS + 1000);
    history = useStatsStore.getState().history;
    expect(history[historyKey('h', 'a')]?.map((point) => point.at)).toEqual([t0 + 2000, t0 + HISTORY_MS + 1000]);
    untrack();
    expect(useStatsStore.getState().history).toEqual({});
    store.applySample('h', [stats('a', 40)], t0 + HISTORY_MS + 3000);
    expect(useStatsStore.getState().history).toEqual({});
  });
});
