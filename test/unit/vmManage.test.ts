// The pure parts of snapshots, clone and delete: what the clone's definition becomes, MAC
// addresses that are new on the host, names refused in the forms, which snapshot kinds a VM's
// disks allow, and the snapshot tree the VM tab shows.
import { describe, expect, it } from 'vitest';
import { cloneDomainDocument, cloneVolumeName, generateMacs } from '../../main/libvirt/clone.js';
import { externalSnapshotsComplete, libvirtVersion, snapshotDefinition, snapshotInfoFromXml, snapshotOptions } from '../../main/libvirt/snapshots.js';
import { DomainDocument } from '../../main/libvirt/xml/domainDocument.js';
import { snapshotNameProblem, vmNameProblem, type SnapshotInfo } from '../../preload/contract.js';
import { snapshotTreeRows } from '../../renderer/src/model/snapshotTree.js';

const ORIGINAL = `<domain type='kvm'>
  <name>web1</name>
  <uuid>0b7d3c2e-8f6a-4c55-9f1e-2a1d6c9e7b10</uuid>
  <metadata><app:tag xmlns:app='urn:example'>keep me</app:tag></metadata>
  <memory unit='KiB'>1048576</memory>
  <os firmware='efi'><type arch='x86_64' machine='q35'>hvm</type><nvram template='/usr/share/OVMF/OVMF_VARS.fd'>/var/lib/libvirt/qemu/nvram/web1_VARS.fd</nvram></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/pool/web1.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='volume' device='disk'><driver name='qemu' type='qcow2'/><source pool='data' volume='web1-data.qcow2'/><target dev='vdb' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='/iso/debian.iso'/><target dev='sda' bus='sata'/><readonly/></disk>
    <interface type='network'><mac address='52:54:00:11:22:33'/><source network='default'/><model type='virtio'/></interface>
    <interface type='bridge'><mac address='52:54:00:11:22:34'/><source bridge='br0'/></interface>
    <!-- a comment the user wrote -->
  </devices>
</domain>
`;

describe('clone definition', () => {
  it('gets the new name, no UUID, the new MACs and the copied disks; shared media, unknown XML and comments stay', () => {
    const document = cloneDomainDocument(ORIGINAL, {
      name: 'web2',
      macs: ['52:54:00:aa:00:01', '52:54:00:aa:00:02'],
      disks: new Map([
        ['vda', { type: 'file', file: '/pool/web2.qcow2' }],
        ['vdb', { type: 'volume', pool: 'data', volume: 'web2-data.qcow2' }],
      ]),
    });
    const xml = document.toXml();
    expect(xml).toContain('<name>web2</name>');
    expect(xml).not.toContain('<uuid>');
    expect(xml).toContain("<mac address='52:54:00:aa:00:01'/>");
    expect(xml).toContain("<mac address='52:54:00:aa:00:02'/>");
    expect(xml).not.toContain('52:54:00:11:22:3');
    expect(xml).toContain("<source file='/pool/web2.qcow2'/>");
    expect(xml).toContain("<source pool='data' volume='web2-data.qcow2'/>");
    expect(xml).toContain("<source file='/iso/debian.iso'/>");
    expect(xml).not.toContain('web1_VARS.fd');
    expect(xml).toContain('keep me');
    expect(xml).toContain('<!-- a comment the user wrote -->');
    expect(xml).not.toMatch(/web1/);
  });

  it('refuses a MAC list that does not match the interfaces', () => {
    expect(() => cloneDomainDocument(ORIGINAL, { name: 'x', macs: ['52:54:00:aa:00:01'], disks: new Map() })).toThrow(/2 interfaces/);
  });

  it('names the copies after the new VM', () => {
    expect(cloneVolumeName('web1.qcow2', 'web1', 'web2', 'vda')).toBe('web2.qcow2');
    expect(cloneVolumeName('web1-data.qcow2', 'web1', 'web2', 'vdb')).toBe('web2-data.qcow2');
    expect(cloneVolumeName('disk0.img', 'web1', 'web2', 'vda')).toBe('web2-vda.img');
    expect(cloneVolumeName('plain', 'web1', 'web2', 'vdc')).toBe('web2-vdc');
  });
});

describe('MAC addresses for a clone', () => {
  it('are unicast, locally administered QEMU addresses, never one the host uses, never repeated', () => {
    // A random source that first repeats addresses already taken.
    const sequence = [
      [0x11, 0x22, 0x33],
      [0x11, 0x22, 0x33],
      [0x00, 0x00, 0x01],
      [0x00, 0x00, 0x01],
      [0xab, 0xcd, 0xef],
    ];
    let index = 0;
    const random = () => Uint8Array.from(sequence[Math.min(index++, sequence.length - 1)]!);
    const macs = generateMacs(2, new Set(['52:54:00:11:22:33']), random);
    expect(macs).toEqual(['52:54:00:00:00:01', '52:54:00:ab:cd:ef']);
  });

  it('with real randomness: many at once are all distinct and well formed', () => {
    const used = new Set(Array.from({ length: 500 }, (_, i) => `52:54:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`));
    const macs = generateMacs(200, used);
    expect(new Set(macs).size).toBe(200);
    for (const mac of macs) {
      expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
      expect(used.has(mac)).toBe(false);
    }
  });

  it('gives up instead of looping forever when nothing is free', () => {
    expect(() => generateMacs(1, new Set(['52:54:00:00:00:00']), () => new Uint8Array(3))).toThrow(/free MAC/);
  });
});

describe('names refused in the forms', () => {
  it('a new VM name: empty, taken on the host, invalid characters, too long', () => {
    expect(vmNameProblem('', ['a'])).toBe('empty');
    expect(vmNameProblem('web1', ['web1'])).toBe('duplicate');
    for (const bad of ['a b', 'a/b', '-lead', '.hidden', 'x;y', 'q"', 'tab\tx', 'new\nline', '$(id)']) expect(vmNameProblem(bad, [])).toBe('invalid');
    expect(vmNameProblem('x'.repeat(101), [])).toBe('too-long');
    for (const good of ['web2', 'web-2.clone', 'db_1+x', '数据库1', 'Ünïcode']) expect(vmNameProblem(good, ['web1'])).toBeUndefined();
  });

  it('a snapshot name: the same rules, against the VM\'s snapshots', () => {
    expect(snapshotNameProblem(' ', [])).toBe('empty');
    expect(snapshotNameProblem('before-upgrade', ['before-upgrade'])).toBe('duplicate');
    expect(snapshotNameProblem('a b', [])).toBe('invalid');
    expect(snapshotNameProblem('before-upgrade', [])).toBeUndefined();
  });
});

const domainWith = (disks: string, os = '<os><type>hvm</type></os>') => DomainDocument.parse(`<domain type='kvm'><name>v</name>${os}<devices>${disks}</devices></domain>`);
const qcow2 = `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/p/v.qcow2'/><target dev='vda'/></disk>`;
const raw = `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/p/v.img'/><target dev='vdb'/></disk>`;
const cdrom = `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='/iso/x.iso'/><target dev='sda'/><readonly/></disk>`;

describe('snapshot kinds a VM allows', () => {
  const reasons = (document: DomainDocument, running: boolean) => Object.fromEntries(snapshotOptions(document, running).map((option) => [option.kind, option.reason ?? 'ok']));

  it('qcow2 disks (a raw CD-ROM does not count): internal; with memory only while running', () => {
    expect(reasons(domainWith(qcow2 + cdrom), false)).toEqual({ internal: 'ok', 'external-disk': 'ok', 'external-memory': 'not-running' });
    expect(reasons(domainWith(qcow2 + cdrom), true)).toEqual({ internal: 'ok', 'external-disk': 'ok', 'external-memory': 'ok' });
  });

  it('a raw disk: no internal snapshot, external ones still', () => {
    expect(reasons(domainWith(qcow2 + raw), true)).toEqual({ internal: 'raw-disk', 'external-disk': 'ok', 'external-memory': 'ok' });
  });

  it('no writable disk, network disks and pflash firmware', () => {
    expect(reasons(domainWith(cdrom), true)).toEqual({ internal: 'no-disk', 'external-disk': 'no-disk', 'external-memory': 'no-disk' });
    const network = `<disk type='network' device='disk'><driver name='qemu' type='qcow2'/><source protocol='nbd' name='x'/><target dev='vdc'/></disk>`;
    expect(reasons(domainWith(network), true)['external-disk']).toBe('network-disk');
    expect(reasons(domainWith(qcow2, "<os><type>hvm</type><loader readonly='yes' type='pflash'>/x.fd</loader></os>"), false).internal).toBe('pflash');
  });

  it('an external snapshot with memory: overlays for the disks, the memory beside the first one', () => {
    const xml = snapshotDefinition(domainWith(qcow2 + cdrom), { name: 's1', kind: 'external-memory', description: 'why' });
    expect(xml).toContain("<memory snapshot='external' file='/p/v.s1.mem'/>");
    expect(xml).toContain("<disk name='vda' snapshot='external'/>");
    expect(xml).not.toContain("name='sda'");
    expect(xml).toContain('<description>why</description>');
    const internal = snapshotDefinition(domainWith(qcow2), { name: 's2', kind: 'internal' });
    expect(internal.replace(/\s+/g, '')).toBe('<domainsnapshot><name>s2</name></domainsnapshot>');
  });

  it('libvirt reverts external snapshots from 9.9 on', () => {
    expect(libvirtVersion('Compiled against library: libvirt 9.0.0\nUsing library: libvirt 9.0.0\nRunning against daemon: 9.0.0\n')).toEqual([9, 0]);
    expect(externalSnapshotsComplete([9, 0])).toBe(false);
    expect(externalSnapshotsComplete([9, 9])).toBe(true);
    expect(externalSnapshotsComplete([10, 1])).toBe(true);
    expect(externalSnapshotsComplete(undefined)).toBe(false);
  });

  it('reads a dumped snapshot', () => {
    const info = snapshotInfoFromXml(
      `<domainsnapshot><name>b</name><description>after</description><state>running</state><parent><name>a</name></parent><creationTime>1764000000</creationTime><memory snapshot='internal'/><disks><disk name='vda' snapshot='internal'/></disks><domain type='kvm'><name>v</name></domain></domainsnapshot>`,
      true,
    );
    expect(info).toEqual({ name: 'b', description: 'after', state: 'running', parent: 'a', creationTime: 1764000000, memory: 'internal', external: false, current: true });
  });
});

describe('the snapshot tree', () => {
  const snapshot = (name: string, parent: string | undefined, creationTime: number): SnapshotInfo => ({ name, ...(parent ? { parent } : {}), creationTime, state: 'shutoff', current: false, memory: 'no', external: false });

  it('puts children under their parents by time, with depth and descendant counts', () => {
    const rows = snapshotTreeRows([snapshot('c', 'a', 3), snapshot('a', undefined, 1), snapshot('b', 'a', 2), snapshot('d', 'b', 4), snapshot('other-root', undefined, 5), snapshot('orphan', 'gone', 6)]);
    expect(rows.map((row) => [row.snapshot.name, row.depth, row.descendants])).toEqual([
      ['a', 0, 3],
      ['b', 1, 1],
      ['d', 2, 0],
      ['c', 1, 0],
      ['other-root', 0, 0],
      ['orphan', 0, 0],
    ]);
  });
});
