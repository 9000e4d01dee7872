// Pure parts of the settings editor's pinning and device fields: libvirt's CPU list syntax, disk
// target names, MACs for new interfaces, the checks on pinning / disks / NICs, which of them
// reach a running guest, the parsers of vcpuinfo / emulatorpin / nodecpumap / vol-list, and the
// changes on a real definition (the domain-kvm-full fixture) changing exactly what they should.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyToDefinition, readSettingsFields } from '../../main/libvirt/domainSettings.js';
import { deviceXml, parseEmulatorpin, parseHugepageCounts, parseNodecpumap, parseVcpuinfo } from '../../main/libvirt/domainSettingsDevices.js';
import { parseVolList } from '../../main/libvirt/pools.js';
import { DomainDocument } from '../../main/libvirt/xml/domainDocument.js';
import { changeAppliesLive, formatCpuset, generateMac, isLinuxOsId, nextDiskTarget, parseCpuset, settingsProblems, type VmSettingsLimits } from '../../preload/contract.js';
import { diffXml } from '../support/canonicalXml.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const limits: VmSettingsLimits = {
  hostCpus: 4, hostMemoryKiB: 8 * 1024 * 1024, maxVcpus: 16, otherNames: [], otherRunningVcpus: 0, balloon: true, otherMacs: ['52:54:00:00:00:99'], cpuModes: [], cpuModels: [], efi: false,
  hostTopology: { sockets: 1, coresPerSocket: 2, threadsPerCore: 2, onlineCpus: [0, 1, 2, 3] },
  networks: [{ name: 'default', active: true }],
  bridges: ['br0'],
  volumes: [{ pool: 'images', name: 'free.qcow2', path: '/images/free.qcow2', usedBy: [] }, { pool: 'images', name: 'db.qcow2', path: '/images/db.qcow2', usedBy: ['db01'] }],
  hugepageSizesKiB: [],
};
const fields = {
  vcpus: { max: 2, current: 2 },
  boot: { devices: ['hd'], menu: false, perDevice: false },
  disks: [
    { target: 'vda', device: 'disk', bus: 'virtio', source: '/images/own.qcow2', format: 'qcow2', cache: '', io: '', usedBy: [] },
    { target: 'vdb', device: 'disk', bus: 'virtio', source: '/images/shared.raw', format: 'raw', cache: '', io: '', usedBy: ['web01'] },
  ],
  nics: [{ mac: '52:54:00:00:00:01', type: 'network', source: 'default', model: 'virtio', link: 'up' as const }],
};

describe('CPU lists', () => {
  it.each<[string, number[] | undefined]>([
    ['0', [0]],
    ['0-3,^2', [0, 1, 3]],
    [' 1 , 3-4 ', [1, 3, 4]],
    ['3-1', undefined],
    ['a', undefined],
    ['0,,1', undefined],
    ['^1', undefined],
    ['', undefined],
  ])('%j → %j', (text, cpus) => {
    expect(parseCpuset(text)).toEqual(cpus);
  });
  it('writes ranges as libvirt does', () => {
    expect(formatCpuset([5, 0, 1, 2])).toBe('0-2,5');
  });
});

describe('names for new devices', () => {
  it('the next free target of a bus', () => {
    expect(nextDiskTarget('virtio', ['vda'])).toBe('vdb');
    expect(nextDiskTarget('scsi', ['sda', 'sdb'])).toBe('sdc');
    expect(nextDiskTarget('ide', [])).toBe('hda');
    expect(nextDiskTarget('virtio', Array.from({ length: 26 }, (_, i) => `vd${String.fromCharCode(97 + i)}`))).toBe('vdaa');
  });
  it('a generated MAC is unicast QEMU-range and not taken', () => {
    const values = [0, 0, 0, 0, 0, 0.5];
    let index = 0;
    // The first draw is taken: the next one is used.
    expect(generateMac(['52:54:00:00:00:00'], () => values[index++] ?? 0.5)).toBe('52:54:00:00:00:80');
  });
  it('libosinfo ids of Linux distributions', () => {
    expect(isLinuxOsId('http://debian.org/debian/12')).toBe(true);
    expect(isLinuxOsId('http://microsoft.com/win/11')).toBe(false);
  });
});

describe('checks on pinning, disks and NICs', () => {
  it('a pin set naming a missing host CPU, bad syntax or a vCPU the guest lacks is refused', () => {
    expect(settingsProblems([{ field: 'pinning', vcpus: { '0': '0-3,^1', '1': '1-' }, emulator: '' }], limits, false, fields)).toEqual([{ field: 'pinning', code: 'pin-syntax', params: { target: '1' } }]);
    expect(settingsProblems([{ field: 'pinning', vcpus: {}, emulator: '2-4' }], limits, false, fields)).toEqual([{ field: 'pinning', code: 'pin-cpu-missing', params: { target: 'emulator', cpu: 4, online: '0–3' } }]);
    expect(settingsProblems([{ field: 'pinning', vcpus: { '2': '0' }, emulator: '' }], limits, false, fields)[0]).toMatchObject({ code: 'pin-vcpu-missing', params: { max: 2 } });
    expect(settingsProblems([{ field: 'pinning', vcpus: { '0': '1', '1': '' }, emulator: '0' }], limits, false, fields)).toEqual([]);
  });
  it('a new disk: a free target, a known unused volume, an absolute path that is a file on the host', () => {
    const add = (source: Parameters<typeof settingsProblems>[0][number] & { field: 'diskAdd' }, hostPaths = {}) => settingsProblems([source], limits, false, fields, hostPaths)[0]?.code;
    expect(add({ field: 'diskAdd', target: 'vda', bus: 'virtio', source: { kind: 'cdrom', path: '' } })).toBe('disk-target-taken');
    expect(add({ field: 'diskAdd', target: 'vdc', bus: 'virtio', source: { kind: 'volume', pool: 'images', volume: 'free.qcow2' } })).toBeUndefined();
    expect(add({ field: 'diskAdd', target: 'vdc', bus: 'virtio', source: { kind: 'volume', pool: 'images', volume: 'db.qcow2' } })).toBe('disk-in-use');
    expect(add({ field: 'diskAdd', target: 'vdc', bus: 'virtio', source: { kind: 'volume', pool: 'images', volume: 'gone' } })).toBe('disk-volume-missing');
    expect(add({ field: 'diskAdd', target: 'vdc', bus: 'virtio', source: { kind: 'file', path: 'rel.img' } })).toBe('disk-path-relative');
    expect(add({ field: 'diskAdd', target: 'vdc', bus: 'virtio', source: { kind: 'file', path: '/x.img' } }, { '/x.img': 'missing' })).toBe('disk-path-missing');
    expect(add({ field: 'diskAdd', target: 'vdc', bus: 'virtio', source: { kind: 'file', path: '/dev' } }, { '/dev': 'other' })).toBe('disk-path-not-file');
    expect(add({ field: 'diskAdd', target: 'vdc', bus: 'virtio', source: { kind: 'file', path: '/images/db.qcow2' } }, { '/images/db.qcow2': 'file' })).toBe('disk-in-use');
  });
  it('removing a disk deletes its file only when no other VM uses it', () => {
    expect(settingsProblems([{ field: 'diskRemove', target: 'vda', deleteFile: true }], limits, false, fields)).toEqual([]);
    expect(settingsProblems([{ field: 'diskRemove', target: 'vdb', deleteFile: true }], limits, false, fields)[0]).toMatchObject({ code: 'disk-delete-in-use', params: { vms: 'web01' } });
    expect(settingsProblems([{ field: 'diskRemove', target: 'vdb', deleteFile: false }], limits, false, fields)).toEqual([]);
    expect(settingsProblems([{ field: 'diskRemove', target: 'vdz', deleteFile: false }], limits, false, fields)[0]?.code).toBe('disk-missing');
  });
  it('a new NIC: a unique unicast MAC, a network or bridge the host has', () => {
    const nic = (mac: string, source = { type: 'network' as const, name: 'default' }) => settingsProblems([{ field: 'nicAdd', mac, model: 'virtio', source }], limits, false, fields)[0]?.code;
    expect(nic('52:54:00:00:00:02')).toBeUndefined();
    expect(nic('52:54:00:00:00:01')).toBe('mac-taken');
    expect(nic('52:54:00:00:00:99')).toBe('mac-taken');
    expect(nic('01:00:5e:00:00:01')).toBe('mac-multicast');
    expect(nic('52:54:00:00:00:02', { type: 'network', name: 'nat9' })).toBe('nic-network-missing');
    expect(nic('52:54:00:00:00:02', { type: 'bridge', name: 'br9' } as never)).toBe('nic-bridge-invalid');
    expect(nic('52:54:00:00:00:02', { type: 'bridge', name: 'br0' } as never)).toBeUndefined();
  });
  it('hot-plug: virtio and SCSI disks and every NIC reach a running guest; SATA and IDE wait for the restart', () => {
    const live = { vcpus: 2, vcpusMax: 2, memoryKiB: 1, memoryMaxKiB: 1, title: '', description: '', nicLinks: {}, media: {}, disks: { vda: { bus: 'virtio', device: 'disk' }, sda: { bus: 'sata', device: 'cdrom' } }, nicMacs: ['52:54:00:00:00:01'] };
    expect(changeAppliesLive({ field: 'diskAdd', target: 'vdc', bus: 'virtio', source: { kind: 'cdrom', path: '' } }, live, limits)).toBe(false);
    expect(changeAppliesLive({ field: 'diskAdd', target: 'vdc', bus: 'virtio', source: { kind: 'file', path: '/x' } }, live, limits)).toBe(true);
    expect(changeAppliesLive({ field: 'diskAdd', target: 'sdc', bus: 'sata', source: { kind: 'file', path: '/x' } }, live, limits)).toBe(false);
    expect(changeAppliesLive({ field: 'diskRemove', target: 'vda', deleteFile: false }, live, limits)).toBe(true);
    expect(changeAppliesLive({ field: 'diskRemove', target: 'sda', deleteFile: false }, live, limits)).toBe(false);
    expect(changeAppliesLive({ field: 'nicRemove', mac: '52:54:00:00:00:01' }, live, limits)).toBe(true);
    expect(changeAppliesLive({ field: 'pinning', vcpus: {}, emulator: '' }, live, limits)).toBe(true);
    expect(changeAppliesLive({ field: 'diskBus', target: 'vda', bus: 'sata' }, live, limits)).toBe(false);
  });
});

describe('what virsh says', () => {
  it('vcpuinfo --pretty, emulatorpin (with and without -q) and nodecpumap', () => {
    const vcpuinfo = 'VCPU:           0\nCPU:            1\nState:          running\nCPU time:       1.2s\nCPU Affinity:   0-1 (out of 2)\n\nVCPU:           1\nCPU:            0\nState:          running\nCPU time:       0.9s\nCPU Affinity:   0 (out of 2)\n';
    expect(parseVcpuinfo(vcpuinfo)).toEqual({ '0': '0-1', '1': '0' });
    expect(parseEmulatorpin('emulator: CPU Affinity\n----------------------------------\n       *: 0-1\n')).toBe('0-1');
    expect(parseEmulatorpin('0\n')).toBe('0');
    expect(parseNodecpumap('CPUs present:   4\nCPUs online:    3\nCPU map:        yy-y\n')).toEqual([0, 1, 3]);
  });
  it('hugepages the host has pages of', () => {
    expect(parseHugepageCounts('/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages 0\n/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages 2\n')).toEqual([1048576]);
    expect(settingsProblems([{ field: 'hugepages', value: true }], limits, false, fields)).toEqual([{ field: 'hugepages', code: 'hugepages-unavailable' }]);
    expect(settingsProblems([{ field: 'hugepages', value: true }], { ...limits, hugepageSizesKiB: [2048] }, false, fields)).toEqual([]);
    expect(settingsProblems([{ field: 'hugepages', value: false }], limits, false, fields)).toEqual([]);
  });
  it('vol-list: names (with spaces) and paths', () => {
    expect(parseVolList(' Name          Path\n------------------------------\n data.qcow2    /var/lib/images/data.qcow2\n my disk.raw   /var/lib/images/my disk.raw\n')).toEqual([
      { name: 'data.qcow2', path: '/var/lib/images/data.qcow2' },
      { name: 'my disk.raw', path: '/var/lib/images/my disk.raw' },
    ]);
  });
});

describe('the changes on a definition', () => {
  const xml = fixture('domain-kvm-full.xml');
  const changed = (...changes: Parameters<typeof applyToDefinition>[1][]) => {
    const document = DomainDocument.parse(xml);
    for (const change of changes) applyToDefinition(document, change, { format: 'qcow2' });
    return document;
  };
  it('pinning writes <cputune> and reads back; unpinning removes it', () => {
    const document = changed({ field: 'pinning', vcpus: { '1': '2-3', '0': '0' }, emulator: '1' });
    expect(diffXml(xml, document.toXml()).every((line) => line.includes('/domain/cputune'))).toBe(true);
    expect(readSettingsFields(document).pinning).toEqual({ vcpus: { '0': '0', '1': '2-3' }, emulator: '1' });
    applyToDefinition(document, { field: 'pinning', vcpus: {}, emulator: '' });
    expect(document.toXml()).not.toContain('cputune');
  });
  it('hugepages: <memoryBacking><hugepages/> on, and off again', () => {
    const document = changed({ field: 'hugepages', value: true });
    expect(diffXml(xml, document.toXml()).every((line) => line.includes('/domain/memoryBacking'))).toBe(true);
    expect(readSettingsFields(document).hugepages).toBe(true);
    applyToDefinition(document, { field: 'hugepages', value: false });
    expect(document.toXml()).toBe(DomainDocument.parse(xml).toXml());
  });
  it('a disk added from a volume, removed, and moved to another bus', () => {
    const document = changed({ field: 'diskAdd', target: 'vdk', bus: 'virtio', source: { kind: 'volume', pool: 'images', volume: 'free.qcow2' } });
    const disk = document.findDevice({ kind: 'disk', target: 'vdk' })!;
    const text = deviceXml(disk);
    expect(text).toMatch(/^<disk type=.volume. device=.disk.>/);
    expect(text).toMatch(/<driver name=.qemu. type=.qcow2.\/>\s*<source pool=.images. volume=.free.qcow2.\/>\s*<target dev=.vdk. bus=.virtio.\/>/);
    const target = readSettingsFields(document).disks.find((candidate) => candidate.device === 'disk' && candidate.target !== 'vdk')!.target;
    applyToDefinition(document, { field: 'diskRemove', target, deleteFile: false });
    expect(readSettingsFields(document).disks.some((candidate) => candidate.target === target)).toBe(false);
    applyToDefinition(document, { field: 'diskBus', target: 'vdk', bus: 'sata' });
    expect(readSettingsFields(document).disks.find((candidate) => candidate.source === 'images/free.qcow2')).toMatchObject({ bus: 'sata', target: expect.stringMatching(/^sd[a-z]$/) });
  });
  it('a NIC added on a bridge, its source changed, and removed', () => {
    const document = changed({ field: 'nicAdd', mac: '52:54:00:AB:CD:EF', model: 'virtio', source: { type: 'bridge', name: 'br0' } });
    expect(readSettingsFields(document).nics.find((nic) => nic.mac === '52:54:00:ab:cd:ef')).toEqual({ mac: '52:54:00:ab:cd:ef', type: 'bridge', source: 'br0', model: 'virtio', link: 'up' });
    applyToDefinition(document, { field: 'nicSource', mac: '52:54:00:ab:cd:ef', source: { type: 'network', name: 'default' } });
    expect(readSettingsFields(document).nics.find((nic) => nic.mac === '52:54:00:ab:cd:ef')).toMatchObject({ type: 'network', source: 'default' });
    applyToDefinition(document, { field: 'nicRemove', mac: '52:54:00:ab:cd:ef' });
    expect(readSettingsFields(document).nics.some((nic) => nic.mac === '52:54:00:ab:cd:ef')).toBe(false);
  });
});
