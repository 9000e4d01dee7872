// Per-kind documents over real definitions (fixtures/): every typed change changes exactly
// the node it names and nothing else, builders write valid definitions, and the models read
// from the documents are what the fast-xml-parser models read (model-outputs.json).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCapabilitiesXml, parseDomainCapabilitiesXml } from '../../main/libvirt/models/capabilities.js';
import { parseDomainXml, readDomainDefinition } from '../../main/libvirt/models/domain.js';
import { buildDomainXml, createDomainDocument } from '../../main/libvirt/models/domainBuilder.js';
import { createDomainSnapshotDocument } from '../../main/libvirt/models/domainSnapshotBuilder.js';
import { parseNetworkXml } from '../../main/libvirt/models/network.js';
import { createNetworkDocument } from '../../main/libvirt/models/networkBuilder.js';
import { parseStoragePoolXml } from '../../main/libvirt/models/storagePool.js';
import { createStoragePoolDocument } from '../../main/libvirt/models/storagePoolBuilder.js';
import { createStorageVolumeDocument } from '../../main/libvirt/models/storageVolumeBuilder.js';
import { DeviceNotFoundError, DISK, GRAPHICS, INTERFACE } from '../../main/libvirt/xml/domainDevices.js';
import { DOMAIN, DomainDocument } from '../../main/libvirt/xml/domainDocument.js';
import { DOMAIN_SNAPSHOT, DomainSnapshotDocument } from '../../main/libvirt/xml/domainSnapshotDocument.js';
import { NetworkDocument } from '../../main/libvirt/xml/networkDocument.js';
import { STORAGE_POOL, StoragePoolDocument } from '../../main/libvirt/xml/storagePoolDocument.js';
import { STORAGE_VOLUME, StorageVolumeDocument } from '../../main/libvirt/xml/storageVolumeDocument.js';
import { diffXml } from '../support/canonicalXml.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Applies one change to a fresh document and returns what differs, sorted. */
function changed<D extends { toXml(): string }>(xml: string, parse: (xml: string) => D, change: (document: D) => void): string[] {
  const document = parse(xml);
  change(document);
  return diffXml(xml, document.toXml()).sort();
}

const FULL = fixture('domain-kvm-full.xml');
const full = (change: (document: DomainDocument) => void): string[] => changed(FULL, DomainDocument.parse, change);

describe('domain document: each change changes one thing', () => {
  it.each<[string, (document: DomainDocument) => void, string[]]>([
    ['name', (d) => d.setName('web02.lab'), ['~ /domain/name/text()']],
    ['title', (d) => d.setTitle('Web 2'), ['~ /domain/title/text()']],
    ['title removed', (d) => d.setTitle(undefined), ['- /domain/title']],
    ['description', (d) => d.setDescription('new'), ['~ /domain/description/text()']],
    ['memory', (d) => d.setMemory(8 * 1024 * 1024), ['~ /domain/memory/text()']],
    ['current memory', (d) => d.setCurrentMemory(1024 * 1024), ['~ /domain/currentMemory/text()']],
    ['current memory removed', (d) => d.setCurrentMemory(undefined), ['- /domain/currentMemory']],
    ['vcpus', (d) => d.setVcpus({ max: 8, current: 4 }), ['~ /domain/vcpu/@current', '~ /domain/vcpu/text()']],
    ['vcpus all online', (d) => d.setVcpus({ max: 4 }), ['- /domain/vcpu/@current']],
    ['OS variant', (d) => d.set(DOMAIN.osVariant, 'http://debian.org/debian/13'), ['~ /domain/metadata/libosinfo:libosinfo/libosinfo:os/@id']],
    ['machine', (d) => d.set(DOMAIN.osMachine, 'pc-q35-8.2'), ['~ /domain/os/type/@machine']],
    ['ACPI off', (d) => d.set(DOMAIN.acpi, false), ['- /domain/features/acpi']],
    ['VNC port', (d) => d.set(GRAPHICS.port, 5901, d.findDevice({ kind: 'graphics', type: 'vnc' })), ['~ /domain/devices/graphics[1]/@port']],
    ['disk cache cleared', (d) => d.clear(DISK.cache, d.findDevice({ kind: 'disk', target: 'vdb' })), ['- /domain/devices/disk[2]/driver/@cache']],
    ['disk made shareable', (d) => d.set(DISK.shareable, true, d.findDevice({ kind: 'disk', target: 'vdb' })), ['+ /domain/devices/disk[2]/shareable']],
    ['link down', (d) => d.set(INTERFACE.linkState, 'down', d.findDevice({ kind: 'interface', mac: '52:54:00:6b:3c:03' })), ['+ /domain/devices/interface[3]/link']],
    ['disk added', (d) => d.addDevice({ kind: 'disk', source: { type: 'file', file: '/var/lib/libvirt/images/new.qcow2' }, target: { dev: 'vde', bus: 'virtio' }, driver: { format: 'qcow2' } }), ['+ /domain/devices/disk[6]']],
    ['interface added from XML', (d) => d.addDevice(`<interface type='bridge'><source bridge='br1'/><model type='virtio'/></interface>`), ['+ /domain/devices/interface[4]']],
    ['guest agent channel added', (d) => d.addDevice({ kind: 'channel', type: 'unix', name: 'org.qemu.guest_agent.1' }), ['+ /domain/devices/channel[3]']],
    ['disk removed', (d) => d.removeDevice({ kind: 'disk', target: 'vdb' }), ['- /domain/devices/disk[2]']],
    ['interface removed by MAC in any case', (d) => d.removeDevice({ kind: 'interface', mac: '52:54:00:6B:3C:02' }), ['- /domain/devices/interface[2]']],
    ['controller removed', (d) => d.removeDevice({ kind: 'controller', type: 'sata', index: 0 }), ['- /domain/devices/controller[4]']],
    ['SPICE removed', (d) => d.removeDevice({ kind: 'graphics', type: 'spice' }), ['- /domain/devices/graphics[2]']],
    ['TPM removed', (d) => d.removeDevice({ kind: 'tpm' }), ['- /domain/devices/tpm']],
    ['disk file changed', (d) => d.setDiskSource('vda', { type: 'file', file: '/srv/web01.qcow2' }), ['~ /domain/devices/disk[1]/source/@file']],
    [
      'disk moved to a block device',
      (d) => d.setDiskSource('vda', { type: 'block', dev: '/dev/vg0/web01' }),
      ['+ /domain/devices/disk[1]/source/@dev', '- /domain/devices/disk[1]/source/@file', '~ /domain/devices/disk[1]/@type'],
    ],
    [
      'network disk moved to a pool volume',
      (d) => d.setDiskSource('vdc', { type: 'volume', pool: 'default', volume: 'logs.qcow2' }),
      [
        '+ /domain/devices/disk[3]/source/@pool', '+ /domain/devices/disk[3]/source/@volume', '- /domain/devices/disk[3]/auth', '- /domain/devices/disk[3]/source/@name',
        '- /domain/devices/disk[3]/source/@protocol', '- /domain/devices/disk[3]/source/host[1]', '- /domain/devices/disk[3]/source/host[2]',
        '~ /domain/devices/disk[3]/@type',
      ],
    ],
    ['CD-ROM ejected', (d) => d.setDiskSource('sda', undefined), ['- /domain/devices/disk[5]/source']],
    ['interface to another network', (d) => d.setInterfaceSource('52:54:00:6b:3c:01', { type: 'network', network: 'lab-nat' }), ['~ /domain/devices/interface[1]/source/@network']],
    [
      'interface to a bridge',
      (d) => d.setInterfaceSource('52:54:00:6b:3c:01', { type: 'bridge', bridge: 'br1' }),
      ['+ /domain/devices/interface[1]/source/@bridge', '- /domain/devices/interface[1]/source/@network', '~ /domain/devices/interface[1]/@type'],
    ],
  ])('%s', (_name, change, expected) => {
    expect(full(change)).toEqual(expected.sort());
  });

  it('puts a new device after the others of its kind, in libvirt order', () => {
    const document = DomainDocument.parse(FULL);
    document.addDevice({ kind: 'disk', device: 'cdrom', target: { dev: 'sdb', bus: 'sata' }, readonly: true });
    document.addDevice({ kind: 'rng', backend: '/dev/random' });
    const kinds = document.devices().map((device) => device.localName);
    expect(kinds.indexOf('controller')).toBe(kinds.lastIndexOf('disk') + 1);
    expect(kinds.at(-1)).toBe('rng');
    expect(document.get(DISK.targetDev, document.devices('disk').at(-1))).toBe('sdb');
  });

  it('finds devices by identity and says which one is missing', () => {
    const document = DomainDocument.parse(FULL);
    expect(document.get(DISK.sourceDev, document.findDevice({ kind: 'disk', target: 'vdb' }))).toBe('/dev/vg0/web01-data');
    expect(document.get(INTERFACE.sourceBridge, document.findDevice({ kind: 'interface', mac: '52:54:00:6B:3C:02' }))).toBe('br0');
    expect(document.findDevice({ kind: 'channel', name: 'org.qemu.guest_agent.0' })?.getAttribute('type')).toBe('unix');
    expect(document.findDevice({ kind: 'console', port: 0 })?.getAttribute('type')).toBe('pty');
    expect(document.findDevice({ kind: 'controller', type: 'pci', index: 1 })?.getAttribute('model')).toBe('pcie-root-port');
    expect(document.findDevice({ kind: 'input', nth: 2 })?.getAttribute('type')).toBe('keyboard');
    expect(document.removeDevice({ kind: 'disk', target: 'vdz' })).toBe(false);
    expect(() => document.setDiskSource('vdz', undefined)).toThrow(DeviceNotFoundError);
    expect(() => document.setDiskSource('vdz', undefined)).toThrow('the domain has no disk (target vdz)');
  });

  it('keeps what it does not know through many changes', () => {
    const document = DomainDocument.parse(FULL);
    document.setName('renamed');
    document.setMemory(2 * 1024 * 1024);
    document.removeDevice({ kind: 'disk', target: 'vdd' });
    document.addDevice({ kind: 'interface', source: { type: 'network', network: 'default' }, model: 'virtio' });
    const xml = document.toXml();
    for (const kept of ['<vd:owner>ops</vd:owner>', '<qemu:arg value=\'-fw_cfg\'/>', '<!-- data disk, moved from kvm03 in 2024 -->', "<tpm model='tpm-crb'>"]) {
      expect(xml).toContain(kept);
    }
    expect(DomainDocument.parse(xml).get(DOMAIN.name)).toBe('renamed');
  });

  it('refuses documents of another kind', () => {
    expect(() => DomainDocument.parse(fixture('network-nat.xml'))).toThrow('not a domain XML document');
    expect(() => NetworkDocument.parse(FULL)).toThrow('not a network XML document');
    expect(() => StoragePoolDocument.parse(FULL)).toThrow('not a storage pool XML document');
    expect(() => StorageVolumeDocument.parse(FULL)).toThrow('not a storage volume XML document');
    expect(() => DomainSnapshotDocument.parse(FULL)).toThrow('not a domain snapshot XML document');
  });
});

describe('hostile values', () => {
  const HOSTILE = [`a'b"c<d>&e`, '<![CDATA[x]]>', ']]>', '&amp;', '中文名字', '🚀 emoji 👩‍💻', '  leading and trailing  ', ' ', 'tab\tnew\nline\r\ncr\r', 'line\u2028sep\u0085nel', '$(touch pwned)'];

  it.each(HOSTILE)('round-trips %j as text and as an attribute', (value) => {
    const document = DomainDocument.parse(fixture('domain-lab.xml'));
    document.setName(value);
    document.setDescription(value);
    document.addDevice({ kind: 'disk', source: { type: 'file', file: value }, target: { dev: 'vda', bus: 'virtio' } });
    const again = DomainDocument.parse(document.toXml());
    expect(again.get(DOMAIN.name)).toBe(value);
    expect(again.get(DOMAIN.description)).toBe(value);
    expect(again.get(DISK.sourceFile, again.findDevice({ kind: 'disk', target: 'vda' }))).toBe(value);
    expect(parseDomainXml(document.toXml()).name).toBe(value);
    expect(diffXml(document.toXml(), again.toXml())).toEqual([]);
  });

  it('builds definitions with hostile names that read back exactly', () => {
    for (const name of HOSTILE) {
      expect(parseDomainXml(buildDomainXml({ name, type: 'test', memoryKiB: 1024, vcpus: 1, arch: 'x86_64' })).name).toBe(name);
      expect(parseNetworkXml(createNetworkDocument({ name }).toXml()).name).toBe(name);
      expect(parseStoragePoolXml(createStoragePoolDocument({ name, type: 'dir', targetPath: name }).toXml()).path).toBe(name);
    }
  });
});

describe('network document', () => {
  const NAT = fixture('network-nat.xml');
  it.each<[string, (document: NetworkDocument) => void, string[]]>([
    ['forward mode route (NAT settings go)', (d) => d.setForwardMode('route'), ['- /network/forward/nat', '~ /network/forward/@mode']],
    ['isolated', (d) => d.setForwardMode('isolated'), ['- /network/forward']],
    ['bridge name', (d) => d.setBridge('virbr20'), ['~ /network/bridge/@name']],
    ['IPv4 address, netmask style kept', (d) => d.setIp('ipv4', '10.20.0.1', 16), ['~ /network/ip[1]/@address', '~ /network/ip[1]/@netmask']],
    ['IPv6 prefix', (d) => d.setIp('ipv6', 'fd00:100::1', 56), ['~ /network/ip[2]/@prefix']],
    ['DHCP range added', (d) => d.addDhcpRange('ipv4', { start: '192.168.100.50', end: '192.168.100.60' }), ['+ /network/ip[1]/dhcp/range[2]']],
    ['last DHCP range removed, <dhcp> with it', (d) => d.removeDhcpRange('ipv6', 'fd00:100::100'), ['- /network/ip[2]/dhcp']],
    ['DHCP host added', (d) => d.addDhcpHost('ipv4', { mac: '52:54:00:AA:00:01', name: 'cache01', ip: '192.168.100.13' }), ['+ /network/ip[1]/dhcp/host[3]']],
    ['DHCP host removed', (d) => d.removeDhcpHost('ipv4', '192.168.100.12'), ['- /network/ip[1]/dhcp/host[2]']],
    ['IPv6 removed', (d) => d.removeIp('ipv6'), ['- /network/ip[2]']],
  ])('%s', (_name, change, expected) => {
    expect(changed(NAT, NetworkDocument.parse, change)).toEqual(expected.sort());
  });

  it('adds an address to an isolated network where libvirt puts it', () => {
    const document = NetworkDocument.parse(`<network>\n  <name>iso</name>\n  <bridge name='virbr9'/>\n  <route address='10.1.0.0' prefix='16' gateway='10.9.0.2'/>\n</network>\n`);
    document.setIp('ipv4', '10.9.0.1', 24);
    document.addDhcpRange('ipv4', { start: '10.9.0.100', end: '10.9.0.200' });
    expect(document.toXml()).toBe(
      `<network>\n  <name>iso</name>\n  <bridge name='virbr9'/>\n  <ip address='10.9.0.1' prefix='24'>\n    <dhcp>\n      <range start='10.9.0.100' end='10.9.0.200'/>\n    </dhcp>\n  </ip>\n  <route address='10.1.0.0' prefix='16' gateway='10.9.0.2'/>\n</network>\n`,
    );
    expect(document.dhcpRanges('ipv4')).toEqual([{ start: '10.9.0.100', end: '10.9.0.200' }]);
    expect(() => document.addDhcpRange('ipv6', { start: 'fd::10', end: 'fd::20' })).toThrow(/no ipv6 address/);
  });
});

describe('storage pool, volume and snapshot documents', () => {
  it.each<[string, (document: StoragePoolDocument) => void, string[]]>([
    ['target path', (d) => d.setTargetPath('/srv/images'), ['~ /pool/target/path/text()']],
    ['source host', (d) => d.setSourceHost('nas.lab', 2049), ['+ /pool/source/host']],
    ['source devices', (d) => d.setSourceDevices(['/dev/sdb1', '/dev/sdc1']), ['+ /pool/source/device[1]', '+ /pool/source/device[2]']],
    ['source format', (d) => d.setSourceFormat('nfs'), ['+ /pool/source/format']],
  ])('pool: %s', (_name, change, expected) => {
    expect(changed(fixture('pool-dir.xml'), StoragePoolDocument.parse, change)).toEqual(expected.sort());
  });

  it.each<[string, (document: StorageVolumeDocument) => void, string[]]>([
    ['capacity', (d) => d.setCapacity(40 * 1024 ** 3), ['~ /volume/capacity/text()']],
    ['format', (d) => d.setFormat('raw'), ['~ /volume/target/format/@type']],
    ['standalone', (d) => d.setBackingStore(undefined), ['- /volume/backingStore']],
  ])('volume: %s', (_name, change, expected) => {
    expect(changed(fixture('volume-qcow2.xml'), StorageVolumeDocument.parse, change)).toEqual(expected.sort());
  });

  it.each<[string, (document: DomainSnapshotDocument) => void, string[]]>([
    ['description', (d) => d.setDescription('changed'), ['~ /domainsnapshot/description/text()']],
    ['external disk snapshot', (d) => d.setDiskSnapshot({ disk: 'sda', mode: 'external', file: '/var/lib/libvirt/images/sda.snap' }), ['+ /domainsnapshot/disks/disk[2]/source', '~ /domainsnapshot/disks/disk[2]/@snapshot']],
    ['embedded domain memory', (d) => d.domain()?.setMemory(1024 * 1024), ['~ /domainsnapshot/domain/memory/text()']],
  ])('snapshot: %s', (_name, change, expected) => {
    expect(changed(fixture('snapshot.xml'), DomainSnapshotDocument.parse, change)).toEqual(expected.sort());
  });

  it('reads the snapshot and the domain inside it', () => {
    const snapshot = DomainSnapshotDocument.parse(fixture('snapshot.xml'));
    expect(snapshot.get(DOMAIN_SNAPSHOT.parent)).toBe('fresh-install');
    expect(snapshot.get(DOMAIN_SNAPSHOT.creationTime)).toBe(1715002987);
    expect(snapshot.diskSnapshots()).toEqual([{ disk: 'vda', mode: 'internal' }, { disk: 'sda', mode: 'no' }]);
    const domain = snapshot.domain();
    expect(domain && readDomainDefinition(domain)).toMatchObject({ name: 'web01.lab', vcpus: 4, macs: ['52:54:00:6b:3c:01'] });
    expect(domain && parseDomainXml(domain.toXml()).memoryKiB).toBe(2097152);
  });

  it('reads pool and volume sizes in bytes', () => {
    const volume = StorageVolumeDocument.parse(fixture('volume-qcow2.xml'));
    expect(volume.get(STORAGE_VOLUME.capacity)).toBe(21474836480);
    expect(volume.get(STORAGE_VOLUME.backingPath)).toBe('/var/lib/libvirt/images/debian-12-base.qcow2');
    expect(StoragePoolDocument.parse(fixture('pool-dir.xml')).get(STORAGE_POOL.available)).toBe(66606329856);
  });
});

describe('models read from documents', () => {
  // Recorded with the fast-xml-parser readers these replace, over the same fixtures.
  const before = JSON.parse(fixture('model-outputs.json')) as Record<string, unknown>;

  it('are what the earlier readers returned', () => {
    // The domain model has grown since (max memory, OS id, disks, NICs); what they read stays.
    expect(parseDomainXml(FULL)).toMatchObject(before.full as object);
    expect(parseDomainXml(fixture('domain-typical.xml'))).toMatchObject(before.typical as object);
    expect(parseDomainXml(fixture('domain-lab.xml'))).toMatchObject(before.lab as object);
    expect(parseNetworkXml(fixture('network-nat.xml'))).toEqual(before.net);
    expect(parseStoragePoolXml(fixture('pool-dir.xml'))).toEqual(before.pool);
    expect(parseCapabilitiesXml(fixture('capabilities-qemu-kvm.xml'))).toEqual(before.caps);
    expect(parseCapabilitiesXml(fixture('capabilities-test-driver.xml'))).toEqual(before.capsTest);
    expect(parseDomainCapabilitiesXml(fixture('domcapabilities-qemu-kvm.xml'))).toEqual(before.domcaps);
  });

  it('decode character references (the earlier reader left `&#13;` as text)', () => {
    expect(parseDomainXml(`<domain type='kvm'><name>a&#x1F680;&#32;b</name></domain>`).name).toBe('a🚀 b');
  });
});

let validator: boolean;
try {
  execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
  execFileSync('virt-xml-validate', ['--help'], { stdio: 'ignore' });
  validator = true;
} catch {
  validator = false;
}

describe.skipIf(!validator)('new definitions pass libvirt schema validation (virt-xml-validate)', () => {
  const validate = (xml: string, schema: string): void => {
    const dir = mkdtempSync(join(tmpdir(), 'virtdeck-xml-'));
    try {
      const file = join(dir, `${schema}.xml`);
      writeFileSync(file, xml);
      execFileSync('virt-xml-validate', [file, schema], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('a domain with every kind of device a spec can describe', () => {
    const document = createDomainDocument({
      name: 'new-vm', type: 'kvm', memoryKiB: 2 * 1024 * 1024, vcpus: 2, arch: 'x86_64', machine: 'q35',
      title: 'New VM', description: 'from a draft', osVariant: 'http://debian.org/debian/12',
      devices: [
        { kind: 'disk', source: { type: 'file', file: '/var/lib/libvirt/images/new-vm.qcow2' }, target: { dev: 'vda', bus: 'virtio' }, driver: { format: 'qcow2', discard: 'unmap' }, bootOrder: 1 },
        { kind: 'disk', device: 'cdrom', source: { type: 'volume', pool: 'iso', volume: 'debian-12.iso' }, target: { dev: 'sda', bus: 'sata' }, readonly: true, bootOrder: 2 },
        { kind: 'disk', source: { type: 'block', dev: '/dev/vg0/new-vm-data' }, target: { dev: 'vdb', bus: 'virtio' }, driver: { format: 'raw', cache: 'none', io: 'native' } },
        { kind: 'interface', source: { type: 'network', network: 'default' }, model: 'virtio', mac: '52:54:00:12:34:56' },
        { kind: 'interface', source: { type: 'bridge', bridge: 'br0' }, model: 'virtio' },
        { kind: 'interface', source: { type: 'direct', dev: 'eno2', mode: 'bridge' }, model: 'virtio' },
        { kind: 'controller', type: 'usb', model: 'qemu-xhci' },
        { kind: 'serial', type: 'pty' },
        { kind: 'console', type: 'pty', targetType: 'serial' },
        { kind: 'channel', type: 'unix', name: 'org.qemu.guest_agent.0' },
        { kind: 'input', type: 'tablet', bus: 'usb' },
        { kind: 'graphics', type: 'vnc', listen: '127.0.0.1' },
        { kind: 'graphics', type: 'spice' },
        { kind: 'video', model: 'virtio', heads: 1 },
        { kind: 'tpm', model: 'tpm-crb' },
        { kind: 'rng' },
        { kind: 'memballoon', model: 'virtio' },
      ],
    });
    validate(document.toXml(), 'domain');
    expect(readDomainDefinition(document)).toMatchObject({ name: 'new-vm', vcpus: 2, memoryKiB: 2 * 1024 * 1024, macs: ['52:54:00:12:34:56'] });
  });

  it('edited fixtures stay valid', () => {
    const document = DomainDocument.parse(FULL);
    document.setDiskSource('vdc', { type: 'volume', pool: 'default', volume: 'logs.qcow2' });
    document.setInterfaceSource('52:54:00:6b:3c:03', { type: 'network', network: 'default', portgroup: 'lab' });
    document.addDevice({ kind: 'disk', device: 'cdrom', target: { dev: 'sdb', bus: 'sata' }, readonly: true });
    validate(document.toXml(), 'domain');
    const network = NetworkDocument.parse(fixture('network-nat.xml'));
    network.setForwardMode('route');
    network.addDhcpRange('ipv6', { start: 'fd00:100::200', end: 'fd00:100::2ff' });
    validate(network.toXml(), 'network');
  });

  it('networks, pools, volumes and snapshots from drafts', () => {
    validate(
      createNetworkDocument({
        name: 'lab-nat', forwardMode: 'nat', bridge: 'virbr30',
        ipv4: { address: '10.30.0.1', prefix: 24, dhcpRange: { start: '10.30.0.100', end: '10.30.0.200' } },
        ipv6: { address: 'fd00:30::1', prefix: 64 },
      }).toXml(),
      'network',
    );
    validate(createNetworkDocument({ name: 'isolated' }).toXml(), 'network');
    validate(createStoragePoolDocument({ name: 'images', type: 'dir', targetPath: '/var/lib/libvirt/images' }).toXml(), 'storagepool');
    validate(
      createStoragePoolDocument({ name: 'nfs', type: 'netfs', targetPath: '/mnt/nfs', source: { host: 'nas.lab', dir: '/export/vm', format: 'nfs' } }).toXml(),
      'storagepool',
    );
    validate(
      createStorageVolumeDocument({ name: 'web02.qcow2', capacityBytes: 20 * 1024 ** 3, format: 'qcow2', backingStore: { path: '/var/lib/libvirt/images/base.qcow2', format: 'qcow2' } }).toXml(),
      'storagevol',
    );
    validate(
      createDomainSnapshotDocument({ name: 'before-upgrade', description: 'PHP 8.2', memory: 'no', disks: [{ disk: 'vda', mode: 'external', file: '/var/lib/libvirt/images/web01.before-upgrade.qcow2' }] }).toXml(),
      'domainsnapshot',
    );
  });
});
