// Pure parts of the settings editor: the checks shared by the form and main, which part of a
// change reaches a running guest, the form's draft → typed changes, and the typed changes on a
// real definition (the kvm-full fixture) changing exactly one thing each.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyToDefinition,
  defineRefusalText,
  definitionRevision,
  liveArgv,
  liveUndo,
  parseDomainCapabilities,
  parseDomiflistMacs,
  parseNodeinfo,
  readLiveSettings,
  readSettingsFields,
} from '../../main/libvirt/domainSettings.js';
import { DomainDocument } from '../../main/libvirt/xml/domainDocument.js';
import { changeAppliesLive, nameProblem, settingsProblems, type VmSettings, type VmSettingsChange, type VmSettingsLimits } from '../../preload/contract.js';
import { draftChanges, draftFrom, moveBootDevice } from '../../renderer/src/components/vms/settings/settingsDraft.js';
import { diffXml } from '../support/canonicalXml.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const limits: VmSettingsLimits = { hostCpus: 4, hostMemoryKiB: 8 * 1024 * 1024, maxVcpus: 16, otherNames: ['web01', 'db01'], otherRunningVcpus: 2, balloon: true, otherMacs: ['52:54:00:00:00:99'], cpuModes: ['host-passthrough', 'host-model', 'custom'], cpuModels: ['Skylake-Client', 'qemu64'], efi: true, hostTopology: { sockets: 1, coresPerSocket: 2, threadsPerCore: 2, onlineCpus: [0, 1, 2, 3] }, networks: [{ name: 'default', active: true }], bridges: ['br0', 'virbr0'], volumes: [{ pool: 'images', name: 'free.qcow2', path: '/images/free.qcow2', usedBy: [] }, { pool: 'images', name: 'db.qcow2', path: '/images/db.qcow2', usedBy: ['db01'] }], hugepageSizesKiB: [] };

describe('checks on the form’s input', () => {
  it.each([
    ['', 'name-empty'],
    ['   ', 'name-empty'],
    [' web', 'name-spaces'],
    ['a/b', 'name-slash'],
    ['tab\there', 'name-control'],
    ['x'.repeat(201), 'name-too-long'],
    ['web01', 'name-taken'],
    ['新的-vm 🚀', undefined],
  ])('name %j → %s', (name, code) => {
    expect(nameProblem(name, limits.otherNames)).toBe(code);
  });

  it('refuses a rename while running, and bad vCPU and memory values with their limits', () => {
    expect(settingsProblems([{ field: 'name', value: 'fresh' }], limits, true)).toEqual([{ field: 'name', code: 'rename-running' }]);
    expect(settingsProblems([{ field: 'vcpus', max: 2, current: 3 }], limits, false)[0]).toMatchObject({ code: 'vcpus-current-above-max', params: { max: 2 } });
    expect(settingsProblems([{ field: 'vcpus', max: 17, current: 1 }], limits, false)[0]).toMatchObject({ code: 'vcpus-above-limit', params: { limit: 16 } });
    expect(settingsProblems([{ field: 'vcpus', max: 0, current: 0 }], limits, false)[0]?.code).toBe('vcpus-min');
    const fields = { vcpus: { max: 4, current: 4 }, cpuTopology: { sockets: 1, cores: 2, threads: 2 }, boot: { devices: ['hd'], menu: false, perDevice: false }, disks: [{ target: 'vda', device: 'disk', bus: 'virtio', source: '/x.qcow2', format: 'qcow2', cache: '', io: '', usedBy: [] }], nics: [{ mac: '52:54:00:00:00:01', type: 'network', source: 'default', model: 'e1000e', link: 'up' as const }] };
    expect(settingsProblems([{ field: 'vcpus', max: 6, current: 2 }], limits, false, fields)[0]).toMatchObject({ code: 'vcpus-topology', params: { product: 4 } });
    expect(settingsProblems([{ field: 'cpuTopology', sockets: 2, cores: 2, threads: 2 }], limits, false, fields)[0]).toMatchObject({ field: 'cpuTopology', code: 'vcpus-topology', params: { product: 8 } });
    // Both changed together: checked against each other.
    expect(settingsProblems([{ field: 'vcpus', max: 8, current: 2 }, { field: 'cpuTopology', sockets: 2, cores: 2, threads: 2 }], limits, false, fields)).toEqual([]);
    expect(settingsProblems([{ field: 'cpuTopology', sockets: 0, cores: 2, threads: 2 }], limits, false, fields)[0]?.code).toBe('topology-min');
    expect(settingsProblems([{ field: 'cpuMode', mode: 'custom', model: 'Pentium-9000' }], limits, false)[0]?.code).toBe('cpu-model-unknown');
    expect(settingsProblems([{ field: 'cpuMode', mode: 'custom', model: 'qemu64' }], limits, false)).toEqual([]);
    expect(settingsProblems([{ field: 'cpuMode', mode: 'host-passthrough' }], { ...limits, cpuModes: ['host-model'] }, false)[0]?.code).toBe('cpu-mode-unsupported');
    expect(settingsProblems([{ field: 'boot', devices: [], menu: false }], limits, false, fields)[0]?.code).toBe('boot-empty');
    expect(settingsProblems([{ field: 'boot', devices: ['hd', 'hd'], menu: false }], limits, false, fields)[0]?.code).toBe('boot-duplicate');
    const perDevice = { ...fields, boot: { devices: [], menu: false, perDevice: true } };
    expect(settingsProblems([{ field: 'boot', devices: ['cdrom'], menu: false }], limits, false, perDevice)[0]?.code).toBe('boot-per-device');
    expect(settingsProblems([{ field: 'disk', target: 'vda', cache: 'writeback', io: 'native' }], limits, false, fields)[0]).toMatchObject({ code: 'io-native-cache', params: { target: 'vda' } });
    expect(settingsProblems([{ field: 'disk', target: 'vda', cache: 'none', io: 'native' }], limits, false, fields)).toEqual([]);
    expect(settingsProblems([{ field: 'disk', target: 'vdz', cache: 'none', io: '' }], limits, false, fields)[0]?.code).toBe('disk-missing');
    const nic = (newMac: string) => settingsProblems([{ field: 'nic', mac: '52:54:00:00:00:01', model: 'virtio', newMac }], limits, false, fields)[0]?.code;
    expect(nic('52:54:00:00:00:01')).toBeUndefined();
    expect(nic('52:54:00:00:00:02')).toBeUndefined();
    expect(nic('52:54:00:00:00:99')).toBe('mac-taken');
    expect(nic('53:54:00:00:00:02')).toBe('mac-multicast');
    expect(nic('ff:ff:ff:ff:ff:ff')).toBe('mac-multicast');
    expect(nic('52:54:00:00:02')).toBe('mac-invalid');
    expect(settingsProblems([{ field: 'nicLink', mac: '52:54:00:00:00:77', link: 'down' }], limits, false, fields)[0]?.code).toBe('nic-missing');
    // Only the menu changes: fine even where the order is per device.
    expect(settingsProblems([{ field: 'boot', devices: [], menu: true }], limits, false, perDevice)).toEqual([]);
    expect(settingsProblems([{ field: 'memory', maxKiB: 9 * 1024 * 1024, currentKiB: 1024 * 1024 }], limits, false)[0]).toMatchObject({ code: 'memory-above-host', params: { hostMiB: 8192 } });
    expect(settingsProblems([{ field: 'memory', maxKiB: 1024 * 1024, currentKiB: 2 * 1024 * 1024 }], limits, false)[0]?.code).toBe('memory-current-above-max');
    expect(settingsProblems([{ field: 'memory', maxKiB: 1024, currentKiB: 1024 }], limits, false)[0]?.code).toBe('memory-min');
    expect(settingsProblems([{ field: 'title', value: 'anything' }, { field: 'vcpus', max: 4, current: 2 }], limits, true)).toEqual([]);
  });

  it('says which changes reach a running guest now', () => {
    const live = { vcpus: 1, vcpusMax: 4, memoryKiB: 1024 * 1024, memoryMaxKiB: 2 * 1024 * 1024, title: '', description: '', nicLinks: { '52:54:00:00:00:01': 'up' as const }, media: { sda: '' }, disks: { sda: { bus: 'sata', device: 'cdrom' }, vda: { bus: 'virtio', device: 'disk' } }, nicMacs: ['52:54:00:00:00:01'] };
    expect(changeAppliesLive({ field: 'nicLink', mac: '52:54:00:00:00:01', link: 'down' }, live, limits)).toBe(true);
    expect(changeAppliesLive({ field: 'nic', mac: '52:54:00:00:00:01', model: 'virtio', newMac: '52:54:00:00:00:01' }, live, limits)).toBe(false);
    expect(changeAppliesLive({ field: 'vcpus', max: 4, current: 3 }, live, limits)).toBe(true);
    expect(changeAppliesLive({ field: 'vcpus', max: 6, current: 3 }, live, limits)).toBe(false);
    expect(changeAppliesLive({ field: 'memory', maxKiB: 2 * 1024 * 1024, currentKiB: 1536 * 1024 }, live, limits)).toBe(true);
    expect(changeAppliesLive({ field: 'memory', maxKiB: 2 * 1024 * 1024, currentKiB: 1536 * 1024 }, live, { balloon: false })).toBe(false);
    expect(changeAppliesLive({ field: 'description', value: 'one\ntwo' }, live, limits)).toBe(false);
    expect(changeAppliesLive({ field: 'name', value: 'x' }, live, limits)).toBe(false);
    expect(changeAppliesLive({ field: 'name', value: 'x' }, undefined, limits)).toBe(true);
    expect(changeAppliesLive({ field: 'cdrom', target: 'sda', source: '/iso/a.iso' }, live, limits)).toBe(true);
    // A drive the running guest does not have (added to the definition only) waits for the start.
    expect(changeAppliesLive({ field: 'cdrom', target: 'sdb', source: '' }, live, limits)).toBe(false);
  });

  it('firmware: UEFI only where the host has it; it applies after a restart', () => {
    expect(settingsProblems([{ field: 'firmware', value: 'efi' }], { ...limits, efi: false }, false)).toEqual([{ field: 'firmware', code: 'firmware-efi-unavailable' }]);
    expect(settingsProblems([{ field: 'firmware', value: 'efi' }], limits, false)).toEqual([]);
    expect(settingsProblems([{ field: 'firmware', value: 'bios' }], { ...limits, efi: false }, false)).toEqual([]);
    const live = { vcpus: 1, vcpusMax: 1, memoryKiB: 1, memoryMaxKiB: 1, title: '', description: '', nicLinks: {}, media: {}, disks: {}, nicMacs: [] };
    expect(changeAppliesLive({ field: 'firmware', value: 'efi' }, live, limits)).toBe(false);
    expect(liveArgv('vm', { field: 'firmware', value: 'efi' })).toBeUndefined();
  });

  it('VNC listen address and password; a serial console only where there is none', () => {
    const vnc = (listen: string, password?: string) => settingsProblems([password === undefined ? { field: 'vnc', listen } : { field: 'vnc', listen, password }], limits, false)[0]?.code;
    for (const listen of ['127.0.0.1', '0.0.0.0', '192.168.122.1', '::', '::1', 'fe80::1', '2001:db8:0:0:0:0:0:1']) expect(vnc(listen), listen).toBeUndefined();
    for (const listen of ['', 'localhost', '256.1.1.1', '1.2.3', ':::', '2001:db8::1::2', '12345::1']) expect(vnc(listen), listen).toBe('vnc-listen-invalid');
    expect(vnc('127.0.0.1', 'secret12')).toBeUndefined();
    expect(vnc('127.0.0.1', '')).toBeUndefined();
    expect(vnc('127.0.0.1', 'secret123')).toBe('vnc-password-too-long');
    expect(vnc('127.0.0.1', 'has sp')).toBe('vnc-password-chars');
    expect(vnc('127.0.0.1', 'pässwd')).toBe('vnc-password-chars');
    const fields = { vcpus: { max: 1, current: 1 }, boot: { devices: ['hd'], menu: false, perDevice: false }, nics: [], disks: [] };
    expect(settingsProblems([{ field: 'serialConsole' }], limits, false, { ...fields, serialConsole: true })[0]?.code).toBe('serial-present');
    expect(settingsProblems([{ field: 'serialConsole' }], limits, false, { ...fields, serialConsole: false })).toEqual([]);
    const live = { vcpus: 1, vcpusMax: 1, memoryKiB: 1, memoryMaxKiB: 1, title: '', description: '', nicLinks: {}, media: {}, disks: {}, nicMacs: [] };
    expect(changeAppliesLive({ field: 'vnc', listen: '0.0.0.0' }, live, limits)).toBe(false);
    expect(changeAppliesLive({ field: 'serialConsole' }, live, limits)).toBe(false);
  });

  it('CD-ROM media: only a CD-ROM, an absolute path, and a regular file that exists on the host', () => {
    const fields = { vcpus: { max: 1, current: 1 }, boot: { devices: ['hd'], menu: false, perDevice: false }, nics: [], disks: [
      { target: 'vda', device: 'disk', bus: 'virtio', source: '/x.qcow2', format: 'qcow2', cache: '', io: '', usedBy: [] },
      { target: 'sda', device: 'cdrom', bus: 'sata', source: '', format: 'raw', cache: '', io: '', usedBy: [] },
    ] };
    const problem = (source: string, target = 'sda', hostPaths = {}) => settingsProblems([{ field: 'cdrom', target, source }], limits, true, fields, hostPaths)[0];
    expect(problem('/iso/a.iso', 'vda')).toMatchObject({ field: 'cdrom', code: 'cdrom-missing', params: { target: 'vda' } });
    expect(problem('iso/a.iso')?.code).toBe('cdrom-path-relative');
    expect(problem('/iso/a.iso', 'sda', { '/iso/a.iso': 'missing' })).toMatchObject({ code: 'cdrom-path-missing', params: { path: '/iso/a.iso' } });
    expect(problem('/dev', 'sda', { '/dev': 'other' })?.code).toBe('cdrom-path-not-file');
    expect(problem('/iso/a.iso', 'sda', { '/iso/a.iso': 'file' })).toBeUndefined();
    expect(problem('')).toBeUndefined();
  });
});

const NIC_MAC = /<mac address='([^']+)'/.exec(fixture('domain-typical.xml'))?.[1] ?? '';

describe('the typed changes on a real definition', () => {
  const xml = fixture('domain-typical.xml');

  it('read the fields', () => {
    const fields = readSettingsFields(DomainDocument.parse(xml));
    expect(fields.name).not.toBe('');
    expect(fields.vcpus.max).toBeGreaterThanOrEqual(fields.vcpus.current);
    expect(fields.memory.maxKiB).toBeGreaterThan(0);
  });

  it.each<[VmSettingsChange, string[]]>([
    [{ field: 'title', value: 'A title' }, ['+ /domain/title']],
    [{ field: 'description', value: 'Two\nlines' }, ['+ /domain/description']],
    [{ field: 'memory', maxKiB: 3 * 1024 * 1024, currentKiB: 1024 * 1024 }, ['~ /domain/memory/text()', '~ /domain/currentMemory/text()']],
    [{ field: 'vcpus', max: 4, current: 1 }, ['~ /domain/vcpu/text()', '+ /domain/vcpu/@current']],
    [{ field: 'cpuTopology', sockets: 1, cores: 2, threads: 1 }, ['+ /domain/cpu/topology']],
    [{ field: 'boot', devices: ['hd'], menu: true }, ['+ /domain/os/bootmenu']],
    [{ field: 'disk', target: 'vda', cache: 'writethrough', io: '' }, ['+ /domain/devices/disk/driver/@cache']],
    [{ field: 'nicLink', mac: NIC_MAC, link: 'down' }, ['+ /domain/devices/interface/link']],
    [{ field: 'nicLink', mac: NIC_MAC, link: 'up' }, []],
    [{ field: 'nic', mac: NIC_MAC, model: 'e1000e', newMac: NIC_MAC }, ['~ /domain/devices/interface/model/@type']],
    [{ field: 'nic', mac: NIC_MAC, model: 'virtio', newMac: '52:54:00:aa:bb:cc' }, ['~ /domain/devices/interface/mac/@address']],
    [{ field: 'boot', devices: ['cdrom', 'hd'], menu: false }, ['+ /domain/os/boot[1]']],
    [{ field: 'cpuMode', mode: 'custom', model: 'qemu64' }, ['~ /domain/cpu/@mode', '- /domain/cpu/@migratable', '+ /domain/cpu/@match', '+ /domain/cpu/model']],
  ])('%o changes exactly one thing', (change, expected) => {
    const document = DomainDocument.parse(xml);
    applyToDefinition(document, change);
    expect(diffXml(xml, document.toXml()).sort()).toEqual([...expected].sort());
  });

  it('a new vCPU maximum drops the per-vCPU entries of the old one', () => {
    const document = DomainDocument.parse(fixture('domain-kvm-full.xml').replace('<vcpu', "<vcpus><vcpu id='0' enabled='yes' hotpluggable='no'/></vcpus>\n  <vcpu"));
    applyToDefinition(document, { field: 'vcpus', max: 8, current: 2 });
    expect(document.toXml()).not.toContain('<vcpus>');
    expect(readSettingsFields(document).vcpus).toEqual({ max: 8, current: 2 });
  });

  it('firmware in the definition: UEFI is <os firmware=efi>; BIOS drops the named loader and NVRAM, the rest of <os> stays', () => {
    const typical = DomainDocument.parse(xml);
    expect(readSettingsFields(typical).firmware).toBe('bios');
    applyToDefinition(typical, { field: 'firmware', value: 'efi' });
    expect(diffXml(xml, typical.toXml())).toEqual(['+ /domain/os/@firmware']);
    expect(readSettingsFields(typical).firmware).toBe('efi');
    applyToDefinition(typical, { field: 'firmware', value: 'bios' });
    expect(diffXml(xml, typical.toXml())).toEqual([]);

    const full = fixture('domain-kvm-full.xml');
    const document = DomainDocument.parse(full);
    // A pflash loader named in the definition is UEFI too; setting UEFI again changes nothing.
    expect(readSettingsFields(document).firmware).toBe('efi');
    applyToDefinition(document, { field: 'firmware', value: 'efi' });
    expect(diffXml(full, document.toXml())).toEqual([]);
    applyToDefinition(document, { field: 'firmware', value: 'bios' });
    expect(diffXml(full, document.toXml()).sort()).toEqual(['- /domain/os/loader', '- /domain/os/nvram']);
    expect(readSettingsFields(document)).toMatchObject({ firmware: 'bios', boot: { menu: true } });
  });

  it('VNC in the definition: listen address in both places, password set and removed; a display and a serial console added', () => {
    const withVnc = "<domain type='kvm'><name>g</name><memory>131072</memory><os><type>hvm</type></os><devices><graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics><video><model type='vga'/></video></devices></domain>";
    const document = DomainDocument.parse(withVnc);
    expect(readSettingsFields(document)).toMatchObject({ vnc: { listen: '127.0.0.1', hasPassword: false }, serialConsole: false });
    applyToDefinition(document, { field: 'vnc', listen: '0.0.0.0', password: 'pw12' });
    const changed = document.toXml();
    expect(diffXml(withVnc, changed).sort()).toEqual(['+ /domain/devices/graphics/@passwd', '~ /domain/devices/graphics/@listen', '~ /domain/devices/graphics/listen/@address'].sort());
    expect(readSettingsFields(document).vnc).toEqual({ listen: '0.0.0.0', hasPassword: true });
    // No password given: the one there stays.
    applyToDefinition(document, { field: 'vnc', listen: '0.0.0.0' });
    expect(document.toXml()).toBe(changed);
    applyToDefinition(document, { field: 'vnc', listen: '0.0.0.0', password: '' });
    expect(diffXml(changed, document.toXml())).toEqual(['- /domain/devices/graphics/@passwd']);

    const bare = DomainDocument.parse("<domain type='kvm'><name>g</name><memory>131072</memory><os><type>hvm</type></os><devices><video><model type='vga'/></video></devices></domain>");
    expect(readSettingsFields(bare).vnc).toBeUndefined();
    applyToDefinition(bare, { field: 'vnc', listen: '::1', password: 'abc' });
    applyToDefinition(bare, { field: 'serialConsole' });
    const added = readSettingsFields(bare);
    expect(added).toMatchObject({ vnc: { listen: '::1', hasPassword: true }, serialConsole: true });
    expect(bare.toXml()).toMatch(/<serial type="pty"><target port="0"\/><\/serial>|<serial type='pty'><target port='0'\/><\/serial>/);
    expect(bare.toXml()).toMatch(/<console type=.pty.><target type=.serial. port=.0.\/><\/console>/);
  });

  it('CD-ROM media in the definition: insert sets <source file>, eject removes it, nothing else changes', () => {
    const full = fixture('domain-kvm-full.xml');
    const document = DomainDocument.parse(full);
    applyToDefinition(document, { field: 'cdrom', target: 'sda', source: '' });
    const ejected = document.toXml();
    expect(diffXml(full, ejected)).toEqual(['- /domain/devices/disk[5]/source']);
    expect(readSettingsFields(document).disks.find((disk) => disk.target === 'sda')).toMatchObject({ device: 'cdrom', source: '' });
    applyToDefinition(document, { field: 'cdrom', target: 'sda', source: '/srv/iso/new “one”.iso' });
    expect(diffXml(ejected, document.toXml())).toEqual(['+ /domain/devices/disk[5]/source']);
    expect(readSettingsFields(document).disks.find((disk) => disk.target === 'sda')?.source).toBe('/srv/iso/new “one”.iso');
    // A disk that is not a CD-ROM gets no media.
    expect(() => applyToDefinition(DomainDocument.parse(full), { field: 'cdrom', target: 'vda', source: '/x.iso' })).toThrow(/CD-ROM vda/);
  });

  it('CD-ROM media of the running guest: an open tray is empty; change-media --live and its undo', () => {
    const running = DomainDocument.parse(fixture('domain-kvm-full.xml').replace("<target dev='sda' bus='sata'/>", "<target dev='sda' bus='sata' tray='open'/>"));
    expect(readLiveSettings(running).media).toEqual({ sda: '' });
    const closed = readLiveSettings(DomainDocument.parse(fixture('domain-kvm-full.xml')));
    expect(closed.media).toEqual({ sda: '/var/lib/libvirt/boot/debian-12.5.0-amd64-netinst.iso' });
    expect(liveArgv('vm', { field: 'cdrom', target: 'sda', source: '/iso/b.iso' })).toEqual(['change-media', '--domain', 'vm', '--path', 'sda', '--source', '/iso/b.iso', '--update', '--live']);
    expect(liveArgv('vm', { field: 'cdrom', target: 'sda', source: '' })).toEqual(['change-media', '--domain', 'vm', '--path', 'sda', '--eject', '--live']);
    expect(liveUndo({ field: 'cdrom', target: 'sda', source: '' }, closed)).toEqual({ field: 'cdrom', target: 'sda', source: '/var/lib/libvirt/boot/debian-12.5.0-amd64-netinst.iso' });
  });

  it('live commands and their undo', () => {
    expect(liveArgv('vm', { field: 'vcpus', max: 4, current: 2 })).toEqual(['setvcpus', '--domain', 'vm', '--count', '2', '--live']);
    expect(liveArgv('vm', { field: 'memory', maxKiB: 4096, currentKiB: 2048 })).toEqual(['setmem', '--domain', 'vm', '--size', '2048KiB', '--live']);
    expect(liveArgv('vm', { field: 'title', value: '' })).toEqual(['desc', '--domain', 'vm', '--live', '--title', '--new-desc', '']);
    const live = readLiveSettings(DomainDocument.parse(xml));
    expect(liveUndo({ field: 'vcpus', max: 9, current: 9 }, live)).toEqual({ field: 'vcpus', max: live.vcpusMax, current: live.vcpus });
  });

  it('a refused definition reads as libvirt said it, without the temporary file', () => {
    expect(defineRefusalText('error: Failed to define domain from /tmp/virtdeck-ab.xml\nerror: XML document failed to validate against schema: Unable to validate doc\nExtra element devices in interleave\n')).toBe(
      'XML document failed to validate against schema: Unable to validate doc\nExtra element devices in interleave',
    );
  });

  it('host facts', () => {
    expect(parseNodeinfo('CPU model:           x86_64\nCPU(s):              2\nMemory size:         8134572 KiB\n')).toEqual({ cpus: 2, memoryKiB: 8134572 });
    const caps = parseDomainCapabilities(fixture('domcapabilities-qemu-kvm.xml'));
    expect(caps.maxVcpus).toBeGreaterThan(1);
    expect(caps.cpuModes).toEqual(['host-passthrough', 'maximum', 'host-model']);
    expect(parseDomainCapabilities(
      "<domainCapabilities><vcpu max='255'/><cpu><mode name='custom' supported='yes'><model usable='yes'>qemu64</model><model usable='no'>EPYC</model><model usable='unknown'>Haswell</model></mode></cpu></domainCapabilities>",
    )).toEqual({ maxVcpus: 255, cpuModes: ['custom'], cpuModels: ['Haswell', 'qemu64'], efi: false });
    expect(parseDomainCapabilities('not xml')).toEqual({ cpuModes: [], cpuModels: [], efi: false });
    // OVMF: the firmware enum offers efi (and the loader is OVMF's).
    expect(caps.efi).toBe(true);
    expect(parseDomainCapabilities("<domainCapabilities><os supported='yes'><loader supported='yes'><value>/usr/share/OVMF/OVMF_CODE_4M.fd</value></loader></os></domainCapabilities>").efi).toBe(true);
    // No OVMF: SeaBIOS only (an empty firmware enum, no loader paths).
    expect(parseDomainCapabilities("<domainCapabilities><os supported='yes'><enum name='firmware'/><loader supported='yes'><enum name='type'><value>rom</value></enum></loader></os></domainCapabilities>").efi).toBe(false);
    expect(definitionRevision('a')).not.toBe(definitionRevision('a '));
  });
});

describe('the form’s draft', () => {
  const settings: VmSettings = {
    revision: 'r',
    running: false,
    fields: { name: 'vm1', uuid: 'u', title: '', description: '', vcpus: { max: 2, current: 2 }, memory: { maxKiB: 1536 * 1024, currentKiB: 1536 * 1024 }, cpu: { mode: 'host-model' }, boot: { devices: ['hd'], menu: false, perDevice: false }, firmware: 'bios', serialConsole: false, osId: 'http://debian.org/debian/12', pinning: { vcpus: {}, emulator: '' }, hugepages: false, disks: [{ target: 'vda', device: 'disk', bus: 'virtio', source: '/x.qcow2', format: 'qcow2', cache: '', io: '', usedBy: [] }], nics: [{ mac: '52:54:00:00:00:01', type: 'network', source: 'default', model: 'e1000e', link: 'up' as const }] },
    limits,
  };

  it('no edits, no changes', () => {
    expect(draftChanges(draftFrom(settings), settings)).toEqual({ changes: [], problems: [] });
  });

  it('edits become typed changes; memory is typed in MiB', () => {
    const draft = { ...draftFrom(settings), title: 'T', vcpusCurrent: '1', memoryCurrentMiB: '1024.5' };
    expect(draftChanges(draft, settings).changes).toEqual([
      { field: 'title', value: 'T' },
      { field: 'vcpus', max: 2, current: 1 },
      { field: 'memory', maxKiB: 1536 * 1024, currentKiB: 1024.5 * 1024 },
    ]);
  });

  it('input that is not a number, or breaks a rule, is a problem before anything is sent', () => {
    expect(draftChanges({ ...draftFrom(settings), vcpusMax: 'two' }, settings).problems).toEqual([{ field: 'vcpus', code: 'not-a-number' }]);
    expect(draftChanges({ ...draftFrom(settings), name: 'db01' }, settings).problems).toEqual([{ field: 'name', code: 'name-taken' }]);
    expect(draftChanges({ ...draftFrom(settings), sockets: '1', cores: '2', threads: '' }, settings).problems).toEqual([{ field: 'cpuTopology', code: 'not-a-number' }]);
  });

  it('boot order: checked devices in the order shown', () => {
    const draft = draftFrom(settings);
    expect(draft.bootOrder.map((entry) => `${entry.dev}:${entry.on}`)).toEqual(['hd:true', 'cdrom:false', 'network:false', 'fd:false']);
    const order = moveBootDevice(draft.bootOrder.map((entry) => (entry.dev === 'cdrom' ? { ...entry, on: true } : entry)), 1, -1);
    expect(draftChanges({ ...draft, bootOrder: order, bootMenu: true }, settings).changes).toEqual([{ field: 'boot', devices: ['cdrom', 'hd'], menu: true }]);
  });

  it('disk cache and I/O per disk', () => {
    const draft = draftFrom(settings);
    expect(draftChanges({ ...draft, disks: { vda: { ...draft.disks.vda!, cache: 'none', io: 'native' } } }, settings)).toEqual({ changes: [{ field: 'disk', target: 'vda', cache: 'none', io: 'native' }], problems: [] });
  });

  it('NIC link first, then model and MAC', () => {
    const draft = draftFrom(settings);
    expect(draftChanges({ ...draft, nics: { '52:54:00:00:00:01': { ...draft.nics['52:54:00:00:00:01']!, model: 'virtio', mac: '52:54:00:00:00:0A', link: 'down' } } }, settings).changes).toEqual([
      { field: 'nicLink', mac: '52:54:00:00:00:01', link: 'down' },
      { field: 'nic', mac: '52:54:00:00:00:01', model: 'virtio', newMac: '52:54:00:00:00:0a' },
    ]);
    expect(parseDomiflistMacs(' Interface   Type      Source    Model    MAC\n----\n -           network   default   virtio   52:54:00:AB:cd:01\n')).toEqual(['52:54:00:ab:cd:01']);
  });

  it('CD-ROM media: a typed path waits for the host’s answer, then is refused or becomes a change', () => {
    const withCdrom: VmSettings = { ...settings, fields: { ...settings.fields, disks: [...settings.fields.disks, { target: 'sda', device: 'cdrom', bus: 'sata', source: '/iso/old.iso', format: 'raw', cache: '', io: '', usedBy: [] }] } };
    const draft = draftFrom(withCdrom);
    expect(draft.media).toEqual({ sda: '/iso/old.iso' });
    expect(draftChanges({ ...draft, media: { sda: '/iso/new.iso ' } }, withCdrom)).toEqual({ changes: [{ field: 'cdrom', target: 'sda', source: '/iso/new.iso' }], problems: [{ field: 'cdrom', code: 'cdrom-path-checking', params: { target: 'sda' } }] });
    expect(draftChanges({ ...draft, media: { sda: '/iso/new.iso' } }, withCdrom, { '/iso/new.iso': 'missing' }).problems).toEqual([{ field: 'cdrom', code: 'cdrom-path-missing', params: { target: 'sda', path: '/iso/new.iso' } }]);
    expect(draftChanges({ ...draft, media: { sda: '/iso/new.iso' } }, withCdrom, { '/iso/new.iso': 'file' }).problems).toEqual([]);
    expect(draftChanges({ ...draft, media: { sda: '' } }, withCdrom)).toEqual({ changes: [{ field: 'cdrom', target: 'sda', source: '' }], problems: [] });
  });

  it('VNC and serial console: a typed password becomes a change, the one there is never in the draft', () => {
    const withVnc: VmSettings = { ...settings, fields: { ...settings.fields, vnc: { listen: '127.0.0.1', hasPassword: true } } };
    const draft = draftFrom(withVnc);
    expect(draft.vnc).toEqual({ listen: '127.0.0.1', password: '', removePassword: false, add: false });
    expect(draftChanges(draft, withVnc).changes).toEqual([]);
    expect(draftChanges({ ...draft, vnc: { ...draft.vnc, listen: '0.0.0.0' } }, withVnc).changes).toEqual([{ field: 'vnc', listen: '0.0.0.0' }]);
    expect(draftChanges({ ...draft, vnc: { ...draft.vnc, password: 'n3w' } }, withVnc).changes).toEqual([{ field: 'vnc', listen: '127.0.0.1', password: 'n3w' }]);
    expect(draftChanges({ ...draft, vnc: { ...draft.vnc, removePassword: true } }, withVnc).changes).toEqual([{ field: 'vnc', listen: '127.0.0.1', password: '' }]);
    expect(draftChanges({ ...draft, vnc: { ...draft.vnc, password: 'toolong99' } }, withVnc).problems).toEqual([{ field: 'vnc', code: 'vnc-password-too-long' }]);
    // No display: nothing unless the user adds one.
    expect(draftChanges(draftFrom(settings), settings).changes).toEqual([]);
    expect(draftChanges({ ...draftFrom(settings), vnc: { listen: '127.0.0.1', password: '', removePassword: false, add: true }, addSerialConsole: true }, settings).changes).toEqual([{ field: 'vnc', listen: '127.0.0.1' }, { field: 'serialConsole' }]);
  });

  it('firmware', () => {
    expect(draftChanges({ ...draftFrom(settings), firmware: 'efi' }, settings)).toEqual({ changes: [{ field: 'firmware', value: 'efi' }], problems: [] });
    expect(draftChanges({ ...draftFrom(settings), firmware: 'efi' }, { ...settings, limits: { ...limits, efi: false } }).problems).toEqual([{ field: 'firmware', code: 'firmware-efi-unavailable' }]);
  });

  it('topology and CPU model', () => {
    expect(draftChanges({ ...draftFrom(settings), sockets: '1', cores: '1', threads: '2' }, settings)).toEqual({ changes: [{ field: 'cpuTopology', sockets: 1, cores: 1, threads: 2 }], problems: [] });
    expect(draftChanges({ ...draftFrom(settings), cpuMode: 'custom', cpuModel: 'qemu64' }, settings).changes).toEqual([{ field: 'cpuMode', mode: 'custom', model: 'qemu64' }]);
  });
});
