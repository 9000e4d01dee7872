// The settings editor and the raw XML editor through the app's handlers, on a real lab host:
// each field changed through `vm.settings.apply` is read back from `virsh dumpxml --inactive`
// (and the live `dumpxml` of a running guest) and changes exactly that one thing; bad input and
// a stale revision change nothing, byte for byte; a live step that fails puts everything back;
// a raw XML edit libvirt refuses, or one that changes the name or UUID, leaves the definition
// exactly as it was; a definition changed on the host meanwhile is not overwritten unasked.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putFile } from '../../main/connection/hostFiles.js';
import { runRemoteJob } from '../../main/connection/remoteJob.js';
import { defineXml } from '../../main/libvirt/definitions.js';
import type { VmSettings, VmSettingsApplyResult, VmSettingsChange, VmXmlDefinition, VmXmlDefineResult } from '../../preload/contract.js';
import { labExec, miniDomainXml, miniGuestFiles, readLabHost } from '../lab/index.js';
import { waitFor } from '../support/appEvents.js';
import { diffXml } from '../support/canonicalXml.js';
import { defineLabDirPool } from '../support/labPool.js';
import { startLabApp, type LabApp } from '../support/labApp.js';

const HOST = 'lab1';
const tag = randomBytes(3).toString('hex');
let lab: LabApp;
let hostId: string;
let kvm: boolean;
let kernelDir: string;
const cleanup: string[][] = [];

async function virsh(...argv: string[]): Promise<string> {
  const result = await labExec(HOST, ['virsh', '-q', '-c', 'qemu:///system', ...argv]);
  if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const inactive = (name: string) => virsh('dumpxml', '--inactive', '--domain', name);
const liveXml = (name: string) => virsh('dumpxml', '--domain', name);

function call<T>(name: string, args: unknown): Promise<T> {
  return lab.app.registry.call(name as never, args as never) as Promise<T>;
}

const read = (name: string) => call<VmSettings>('vm.settings.read', { hostId, name });
async function apply(name: string, changes: VmSettingsChange[]): Promise<VmSettingsApplyResult> {
  const { revision } = await read(name);
  return call<VmSettingsApplyResult>('vm.settings.apply', { hostId, name, revision, changes });
}

/** Defines a mini guest (128 MiB, vCPUs as given) and registers its removal. */
async function defineGuest(name: string, options: { vcpus?: string; balloon?: boolean; nicMac?: string; devices?: string } = {}): Promise<void> {
  let xml = miniDomainXml({ name, kvm, kernel: `${kernelDir}/vmlinuz`, initrd: `${kernelDir}/initrd.gz` });
  // QEMU's user networking: an interface that needs no network on the host.
  if (options.nicMac) xml = xml.replace('<devices>', `<devices>\n    <interface type='user'><mac address='${options.nicMac}'/><model type='e1000e'/></interface>`);
  if (options.vcpus) xml = xml.replace('<vcpu>1</vcpu>', options.vcpus);
  if (options.devices) xml = xml.replace('<devices>', `<devices>\n${options.devices}`);
  if (options.balloon) xml = xml.replace("<memballoon model='none'/>", "<memballoon model='virtio'/>");
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]);
  await defineXml(lab.app.services.hosts.get(hostId).libvirt(), 'domain', xml);
  await lab.app.services.hosts.get(hostId).refresh();
}

beforeAll(async () => {
  lab = await startLabApp();
  hostId = await lab.addHost(HOST);
  kvm = (await readLabHost(HOST)).kvm;
  const libvirt = lab.app.services.hosts.get(hostId).libvirt();
  const files = await miniGuestFiles();
  kernelDir = `/var/tmp/vd-settings-${tag}`;
  cleanup.push(['rm', '-rf', kernelDir]);
  await runRemoteJob(libvirt.runner, ['mkdir', '-m', '0755', kernelDir]);
  for (const [file, local] of [['vmlinuz', files.kernel], ['initrd.gz', files.initrd]] as const) {
    const bytes = await readFile(local);
    await putFile(libvirt.runner, `${kernelDir}/${file}`, bytes, { size: bytes.length, mode: 0o644 });
  }
}, 120_000);

afterAll(async () => {
  for (const argv of cleanup) await labExec(HOST, argv).catch(() => undefined);
  await lab?.close();
});

describe('settings of a shut-off VM: each change changes exactly that one thing', () => {
  const name = `vd-set-${tag}`;
  beforeAll(() => defineGuest(name));

  it('reads the fields and the host limits', async () => {
    const settings = await read(name);
    // Typed fields only: the definition's text (which may hold a VNC password) stays in main.
    expect(settings).not.toHaveProperty('inactiveXml');
    expect(settings.running).toBe(false);
    expect(settings.fields).toMatchObject({ name, title: '', vcpus: { max: 1, current: 1 }, memory: { maxKiB: 128 * 1024, currentKiB: 128 * 1024 } });
    const nodeinfo = await virsh('nodeinfo');
    expect(settings.limits.hostCpus).toBe(Number(/CPU\(s\):\s*(\d+)/.exec(nodeinfo)?.[1]));
    expect(settings.limits.hostMemoryKiB).toBe(Number(/Memory size:\s*(\d+)/.exec(nodeinfo)?.[1]));
    expect(settings.limits.maxVcpus).toBeGreaterThanOrEqual(1);
  });

  it.each<[string, VmSettingsChange, string[]]>([
    ['title', { field: 'title', value: `Web ${tag} “quoted” 中文` }, ['+ /domain/title']],
    ['description', { field: 'description', value: 'line one\nline two & <three>' }, ['+ /domain/description']],
    ['vCPUs', { field: 'vcpus', max: 2, current: 1 }, ['~ /domain/vcpu/text()', '+ /domain/vcpu/@current']],
    ['memory', { field: 'memory', maxKiB: 256 * 1024, currentKiB: 192 * 1024 }, ['~ /domain/memory/text()', '~ /domain/currentMemory/text()']],
  ])('%s', async (_what, change, expected) => {
    const before = await inactive(name);
    expect(await apply(name, [change])).toEqual({ outcome: 'applied', name });
    expect(diffXml(before, await inactive(name)).sort()).toEqual(expected.sort());
    const fields = (await read(name)).fields;
    if (change.field === 'title') expect(fields.title).toBe(change.value);
    if (change.field === 'description') expect(fields.description).toBe(change.value);
    if (change.field === 'vcpus') expect(fields.vcpus).toEqual({ max: 2, current: 1 });
    if (change.field === 'memory') expect(fields.memory).toEqual({ maxKiB: 256 * 1024, currentKiB: 192 * 1024 });
  });

  it('CPU topology and a named CPU model from domcapabilities change only <cpu>', async () => {
    let before = await inactive(name);
    // The vCPU test above left the maximum at 2.
    expect(await apply(name, [{ field: 'cpuTopology', sockets: 1, cores: 2, threads: 1 }])).toEqual({ outcome: 'applied', name });
    let after = await inactive(name);
    expect(after).toMatch(/<topology sockets='1'( dies='1')? cores='2' threads='1'\/>/);
    expect(diffXml(before, after).every((line) => line.includes(' /domain/cpu'))).toBe(true);

    const { limits } = await read(name);
    expect(limits.cpuModes).toContain('custom');
    // Not qemu64: libvirt may already have written that one for a TCG guest.
    const model = limits.cpuModels.find((candidate) => candidate !== 'qemu64') ?? limits.cpuModels[0]!;
    before = after;
    expect(await apply(name, [{ field: 'cpuMode', mode: 'custom', model }])).toEqual({ outcome: 'applied', name });
    after = await inactive(name);
    expect(after).toContain(`>${model}</model>`);
    expect(diffXml(before, after).length).toBeGreaterThan(0);
    expect(diffXml(before, after).every((line) => line.includes(' /domain/cpu'))).toBe(true);
    expect((await read(name)).fields.cpu).toEqual({ mode: 'custom', model });

    before = after;
    expect(await apply(name, [{ field: 'cpuMode', mode: 'host-model' }])).toEqual({ outcome: 'applied', name });
    after = await inactive(name);
    expect(after).toMatch(/<cpu mode='host-model'/);
    expect(after).toMatch(/<topology sockets='1'( dies='1')? cores='2' threads='1'\/>/);
    expect(diffXml(before, after).every((line) => line.includes(' /domain/cpu'))).toBe(true);
  });

  it('boot order and boot menu change only <os>', async () => {
    const before = await inactive(name);
    expect(await apply(name, [{ field: 'boot', devices: ['cdrom', 'hd'], menu: true }])).toEqual({ outcome: 'applied', name });
    const after = await inactive(name);
    expect(after).toMatch(/<boot dev='cdrom'\/>\s*<boot dev='hd'\/>\s*<bootmenu enable='yes'\/>/);
    expect(diffXml(before, after).every((line) => line.includes(' /domain/os/'))).toBe(true);
    expect((await read(name)).fields.boot).toEqual({ devices: ['cdrom', 'hd'], menu: true, perDevice: false });
    await expect(apply(name, [{ field: 'boot', devices: [], menu: true }])).rejects.toMatchObject({ code: 'bad-arguments' });
    expect(await inactive(name)).toBe(after);
  });

  it('a topology that does not make the maximum, or a CPU model the host lacks, is refused', async () => {
    const before = await inactive(name);
    await expect(apply(name, [{ field: 'cpuTopology', sockets: 2, cores: 2, threads: 1 }])).rejects.toMatchObject({ code: 'bad-arguments' });
    await expect(apply(name, [{ field: 'cpuMode', mode: 'custom', model: 'Pentium-9000' }])).rejects.toMatchObject({ code: 'bad-arguments' });
    expect(await inactive(name)).toBe(before);
  });

  it('firmware: UEFI is libvirt’s auto-selection of the host’s OVMF (only <os> changes), and back to BIOS', async () => {
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--nvram', '--domain', name]);
    const original = await inactive(name);
    const settings = await read(name);
    expect(settings.fields.firmware).toBe('bios');
    // The lab installs OVMF; domcapabilities must say so.
    expect(settings.limits.efi).toBe(true);
    expect(await apply(name, [{ field: 'firmware', value: 'efi' }])).toEqual({ outcome: 'applied', name });
    const efi = await inactive(name);
    expect(efi).toMatch(/<os firmware='efi'>/);
    expect(diffXml(original, efi).length).toBeGreaterThan(0);
    expect(diffXml(original, efi).every((line) => / \/domain\/os(\/|$)/.test(line))).toBe(true);
    expect((await read(name)).fields.firmware).toBe('efi');
    expect(await apply(name, [{ field: 'firmware', value: 'bios' }])).toEqual({ outcome: 'applied', name });
    expect(diffXml(original, await inactive(name))).toEqual([]);
    expect((await read(name)).fields.firmware).toBe('bios');
  });

  it('a VNC password in the definition survives a change of another field, and never reaches the form', async () => {
    // QEMU takes at most 8 characters for a VNC password (libvirt refuses more).
    const secret = `pw${tag}`;
    const withPassword = (await virsh('dumpxml', '--inactive', '--security-info', '--domain', name)).replace(/<graphics type='vnc'/, `<graphics type='vnc' passwd='${secret}'`);
    await defineXml(lab.app.services.hosts.get(hostId).libvirt(), 'domain', withPassword);
    expect(await virsh('dumpxml', '--inactive', '--security-info', '--domain', name)).toContain(`passwd='${secret}'`);
    expect(JSON.stringify(await read(name))).not.toContain(secret);
    expect(await apply(name, [{ field: 'description', value: `kept ${tag}` }])).toEqual({ outcome: 'applied', name });
    const after = await virsh('dumpxml', '--inactive', '--security-info', '--domain', name);
    expect(after).toContain(`passwd='${secret}'`);
    expect(after).toContain(`<description>kept ${tag}</description>`);
  });

  it('clearing the title removes it', async () => {
    const before = await inactive(name);
    await apply(name, [{ field: 'title', value: '' }]);
    expect(diffXml(before, await inactive(name))).toEqual(['- /domain/title']);
  });

  it('rename keeps the UUID and leaves one VM', async () => {
    const uuid = (await read(name)).fields.uuid;
    const renamed = `${name}-renamed`;
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', renamed]);
    expect(await apply(name, [{ field: 'name', value: renamed }])).toEqual({ outcome: 'applied', name: renamed });
    expect((await virsh('domuuid', '--domain', renamed)).trim()).toBe(uuid);
    expect((await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'domuuid', '--domain', name])).code).not.toBe(0);
    // And back, so the other tests find it.
    expect(await apply(renamed, [{ field: 'name', value: name }])).toEqual({ outcome: 'applied', name });
  });

  it.each<[string, VmSettingsChange]>([
    ['an empty name', { field: 'name', value: '' }],
    ['a name with a slash', { field: 'name', value: 'a/b' }],
    ['the name of another VM', { field: 'name', value: '' }],
    ['memory above the host', { field: 'memory', maxKiB: 1024 ** 4, currentKiB: 1024 ** 3 }],
    ['current memory above the maximum', { field: 'memory', maxKiB: 128 * 1024, currentKiB: 256 * 1024 }],
    ['more vCPUs online than the maximum', { field: 'vcpus', max: 1, current: 2 }],
    ['vCPUs above the limit for this guest type', { field: 'vcpus', max: 100_000, current: 1 }],
    ['no vCPU', { field: 'vcpus', max: 0, current: 0 }],
  ])('%s is refused and nothing changes', async (what, change) => {
    const other = `vd-set-other-${tag}`;
    if (what === 'the name of another VM') {
      await defineGuest(other);
      change = { field: 'name', value: other };
    }
    const before = await inactive(name);
    // A valid change beside the bad one is not made either.
    await expect(apply(name, [{ field: 'title', value: 'must not appear' }, change])).rejects.toMatchObject({ code: 'bad-arguments' });
    expect(await inactive(name)).toBe(before);
  });

  it('a revision read before a change on the host: nothing is overwritten', async () => {
    const { revision } = await read(name);
    await virsh('desc', '--domain', name, '--config', '--title', '--new-desc', `set on the host ${tag}`);
    const before = await inactive(name);
    expect(await call('vm.settings.apply', { hostId, name, revision, changes: [{ field: 'title', value: 'from the app' }] })).toEqual({ outcome: 'changed-on-host' });
    expect(await inactive(name)).toBe(before);
  });
});

const NIC_MAC = `52:54:00:5e:${tag.slice(0, 2)}:${tag.slice(2, 4)}`;
const LIVE_MAC = `52:54:00:5f:${tag.slice(0, 2)}:${tag.slice(2, 4)}`;

describe('disks: cache and I/O modes; network interfaces', () => {
  const name = `vd-set-disk-${tag}`;
  beforeAll(async () => {
    await defineGuest(name, { nicMac: NIC_MAC });
    // A disk to set modes on (defining does not open the file).
    const xml = (await inactive(name)).replace(
      '<devices>',
      `<devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n      <source file='/var/tmp/vd-set-disk-${tag}.qcow2'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>`,
    );
    await defineXml(lab.app.services.hosts.get(hostId).libvirt(), 'domain', xml);
  });

  it('each mode is written to the disk’s driver and nothing else changes', async () => {
    for (const [cache, io] of [['none', 'native'], ['writeback', 'threads'], ['unsafe', ''], ['', '']] as const) {
      const before = await inactive(name);
      expect(await apply(name, [{ field: 'disk', target: 'vda', cache, io }])).toEqual({ outcome: 'applied', name });
      const after = await inactive(name);
      expect(diffXml(before, after).every((line) => line.startsWith('+ /domain/devices/disk/driver/@') || line.startsWith('- /domain/devices/disk/driver/@') || line.startsWith('~ /domain/devices/disk/driver/@'))).toBe(true);
      expect((await read(name)).fields.disks[0]).toMatchObject({ target: 'vda', cache, io, format: 'qcow2', bus: 'virtio' });
    }
  });

  it('NIC model, link and MAC: each changes only that interface', async () => {
    let before = await inactive(name);
    expect(await apply(name, [{ field: 'nic', mac: NIC_MAC, model: 'virtio', newMac: NIC_MAC }])).toEqual({ outcome: 'applied', name });
    let after = await inactive(name);
    expect(diffXml(before, after)).toEqual(['~ /domain/devices/interface/model/@type']);
    before = after;
    expect(await apply(name, [{ field: 'nicLink', mac: NIC_MAC, link: 'down' }])).toEqual({ outcome: 'applied', name });
    after = await inactive(name);
    expect(diffXml(before, after)).toEqual(['+ /domain/devices/interface/link']);
    expect(after).toContain("<link state='down'/>");
    before = after;
    const newMac = `52:54:00:5d:${tag.slice(0, 2)}:${tag.slice(2, 4)}`;
    expect(await apply(name, [{ field: 'nicLink', mac: NIC_MAC, link: 'up' }, { field: 'nic', mac: NIC_MAC, model: 'rtl8139', newMac }])).toEqual({ outcome: 'applied', name });
    after = await inactive(name);
    expect(diffXml(before, after).sort()).toEqual(['~ /domain/devices/interface/link/@state', '~ /domain/devices/interface/mac/@address', '~ /domain/devices/interface/model/@type'].sort());
    expect((await read(name)).fields.nics).toEqual([{ mac: newMac, type: 'user', source: '', model: 'rtl8139', link: 'up' }]);
    // Back, for the test of refused MACs.
    await apply(name, [{ field: 'nic', mac: newMac, model: 'rtl8139', newMac: NIC_MAC }]);
  });

  it('a MAC that is multicast, malformed or used by another VM on this host is refused; nothing changes', async () => {
    const other = `vd-set-mac-${tag}`;
    await defineGuest(other, { nicMac: LIVE_MAC });
    await lab.app.services.hosts.get(hostId).refresh();
    const before = await inactive(name);
    for (const newMac of ['01:00:5e:00:00:01', 'ff:ff:ff:ff:ff:ff', '52:54:00:zz:00:01', LIVE_MAC]) {
      await expect(apply(name, [{ field: 'nic', mac: NIC_MAC, model: 'rtl8139', newMac }])).rejects.toMatchObject({ code: 'bad-arguments' });
    }
    expect(await inactive(name)).toBe(before);
  });

  it('native I/O with a host-cached mode is refused; nothing changes', async () => {
    const before = await inactive(name);
    await expect(apply(name, [{ field: 'disk', target: 'vda', cache: 'writeback', io: 'native' }])).rejects.toMatchObject({ code: 'bad-arguments' });
    expect(await inactive(name)).toBe(before);
  });
});

describe('settings of a running guest: live where libvirt allows, after restart otherwise', () => {
  const name = `vd-set-live-${tag}`;
  beforeAll(async () => {
    await defineGuest(name, { vcpus: "<vcpu current='1'>2</vcpu>", balloon: true, nicMac: `52:54:00:5c:${tag.slice(0, 2)}:${tag.slice(2, 4)}` });
    await virsh('start', '--domain', name);
  }, 60_000);

  it('a NIC’s link goes down on the running guest and in its definition', async () => {
    const mac = `52:54:00:5c:${tag.slice(0, 2)}:${tag.slice(2, 4)}`;
    const liveBefore = await liveXml(name);
    expect(await apply(name, [{ field: 'nicLink', mac, link: 'down' }])).toEqual({ outcome: 'applied', name });
    expect((await virsh('domif-getlink', '--domain', name, '--interface', mac)).trim()).toMatch(/down$/);
    expect(await inactive(name)).toContain("<link state='down'/>");
    expect(diffXml(liveBefore, await liveXml(name))).toEqual(['+ /domain/devices/interface/link']);
    expect(await apply(name, [{ field: 'nicLink', mac, link: 'up' }])).toEqual({ outcome: 'applied', name });
    expect((await virsh('domif-getlink', '--domain', name, '--interface', mac)).trim()).toMatch(/up$/);
  });

  it('vCPUs online, memory (balloon) and title reach the running guest and its definition', { timeout: 120_000 }, async () => {
    const settings = await read(name);
    expect(settings.running).toBe(true);
    expect(settings.live).toMatchObject({ vcpus: 1, vcpusMax: 2 });
    expect(settings.limits.balloon).toBe(true);
    const liveBefore = await liveXml(name);
    const inactiveBefore = await inactive(name);
    const changes: VmSettingsChange[] = [
      { field: 'title', value: `live ${tag}` },
      { field: 'vcpus', max: 2, current: 2 },
      { field: 'memory', maxKiB: 128 * 1024, currentKiB: 96 * 1024 },
    ];
    expect(await call('vm.settings.apply', { hostId, name, revision: settings.revision, changes })).toEqual({ outcome: 'applied', name });
    expect(diffXml(inactiveBefore, await inactive(name)).sort()).toEqual(['+ /domain/title', '- /domain/vcpu/@current', '~ /domain/currentMemory/text()'].sort());
    const liveAfter = await liveXml(name);
    expect(liveAfter).toContain(`<title>live ${tag}</title>`);
    expect(liveAfter).not.toContain("current='1'");
    expect((await virsh('vcpucount', '--domain', name, '--live', '--active')).trim()).toBe('2');
    // The balloon's target went to QEMU (setmem --live succeeded); how far the guest gives the
    // memory back is up to its balloon driver, which the mini guest does not load: libvirt's
    // live currentMemory reports what the guest actually has, so it is not asserted here.
    // Only the title and the vCPUs changed in the live definition (vCPU entries follow the count).
    const liveDiff = diffXml(liveBefore, liveAfter).filter((line) => !/ \/domain\/(vcpus|currentMemory)(\/|$)/.test(line));
    expect(liveDiff.sort()).toEqual(['+ /domain/title', '- /domain/vcpu/@current'].sort());
  });

  it('a change of the maximum goes to the definition only (applies after restart)', async () => {
    const liveBefore = await liveXml(name);
    expect(await apply(name, [{ field: 'memory', maxKiB: 160 * 1024, currentKiB: 96 * 1024 }])).toEqual({ outcome: 'applied', name });
    expect(await inactive(name)).toContain("<memory unit='KiB'>163840</memory>");
    expect(diffXml(liveBefore, await liveXml(name))).toEqual([]);
  });

  it('firmware goes to the definition only (applies after restart)', async () => {
    const liveBefore = await liveXml(name);
    const inactiveBefore = await inactive(name);
    expect(await apply(name, [{ field: 'firmware', value: 'efi' }])).toEqual({ outcome: 'applied', name });
    expect(await inactive(name)).toMatch(/<os firmware='efi'>/);
    expect(diffXml(liveBefore, await liveXml(name))).toEqual([]);
    expect(await apply(name, [{ field: 'firmware', value: 'bios' }])).toEqual({ outcome: 'applied', name });
    expect(diffXml(inactiveBefore, await inactive(name))).toEqual([]);
  });

  it('a running VM is not renamed', async () => {
    const before = await inactive(name);
    await expect(apply(name, [{ field: 'name', value: `${name}-x` }])).rejects.toMatchObject({ code: 'bad-arguments' });
    expect(await inactive(name)).toBe(before);
  });

  afterAll(() => virsh('destroy', '--domain', name).catch(() => undefined));
});

describe('a live step that fails undoes the steps before it', () => {
  const name = `vd-set-undo-${tag}`;
  beforeAll(async () => {
    // Both vCPUs exist from boot (QEMU's -smp), so neither can be unplugged: libvirt refuses.
    await defineGuest(name, { vcpus: '<vcpu>2</vcpu>', balloon: true });
    await virsh('start', '--domain', name);
  }, 60_000);
  afterAll(() => virsh('destroy', '--domain', name).catch(() => undefined));

  it('title and balloon are put back on the running guest, and the definition is byte for byte the old one', { timeout: 60_000 }, async () => {
    const settings = await read(name);
    const liveBefore = await liveXml(name);
    const inactiveBefore = await inactive(name);
    const changes: VmSettingsChange[] = [
      { field: 'title', value: 'must be undone' },
      { field: 'memory', maxKiB: 128 * 1024, currentKiB: 96 * 1024 },
      { field: 'vcpus', max: 2, current: 1 },
    ];
    const error = await call('vm.settings.apply', { hostId, name, revision: settings.revision, changes }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'libvirt-error' });
    expect(await inactive(name)).toBe(inactiveBefore);
    const liveNow = await waitFor('the balloon back at 128 MiB', async () => {
      const xml = await liveXml(name);
      return xml.includes("<currentMemory unit='KiB'>131072</currentMemory>") ? xml : undefined;
    });
    expect(liveNow).not.toContain('<title>');
    expect((await virsh('vcpucount', '--domain', name, '--live', '--active')).trim()).toBe('2');
    expect(diffXml(liveBefore, liveNow)).toEqual([]);
  });

});

const secureDump = (name: string) => virsh('dumpxml', '--inactive', '--security-info', '--domain', name);

describe('display and console: VNC listen address and password, a VNC display and a serial console added', () => {
  const name = `vd-set-vnc-${tag}`;
  const bare = `vd-set-bare-${tag}`;
  const live = `vd-set-vnclive-${tag}`;
  beforeAll(async () => {
    await defineGuest(name);
    await defineGuest(bare);
    // No serial port, console or display at all.
    const stripped = (await inactive(bare)).replace(/\s*<(serial|console|graphics)\b[\s\S]*?<\/\1>/g, '');
    await defineXml(lab.app.services.hosts.get(hostId).libvirt(), 'domain', stripped);
    await defineGuest(live);
    await virsh('start', '--domain', live);
  }, 60_000);
  afterAll(() => virsh('destroy', '--domain', live).catch(() => undefined));

  it('listen address and a password: only <graphics> changes; the form learns only that there is one', async () => {
    const before = await inactive(name);
    expect((await read(name)).fields).toMatchObject({ vnc: { listen: '127.0.0.1', hasPassword: false }, serialConsole: true });
    const password = `v${tag}`;
    expect(await apply(name, [{ field: 'vnc', listen: '0.0.0.0', password }])).toEqual({ outcome: 'applied', name });
    const after = await inactive(name);
    expect(diffXml(before, after).length).toBeGreaterThan(0);
    expect(diffXml(before, after).every((line) => line.includes(' /domain/devices/graphics/'))).toBe(true);
    expect(after).toMatch(/<graphics type='vnc'[^>]* listen='0\.0\.0\.0'/);
    expect(after).toContain("<listen type='address' address='0.0.0.0'/>");
    expect(await secureDump(name)).toContain(`passwd='${password}'`);
    const settings = await read(name);
    expect(settings.fields.vnc).toEqual({ listen: '0.0.0.0', hasPassword: true });
    expect(JSON.stringify(settings)).not.toContain(password);
    // Another change keeps the password; then it is removed.
    expect(await apply(name, [{ field: 'vnc', listen: '127.0.0.1' }])).toEqual({ outcome: 'applied', name });
    expect(await secureDump(name)).toContain(`passwd='${password}'`);
    expect(await apply(name, [{ field: 'vnc', listen: '127.0.0.1', password: '' }])).toEqual({ outcome: 'applied', name });
    expect(await secureDump(name)).not.toContain('passwd=');
    expect(diffXml(before, await inactive(name))).toEqual([]);
  });

  it('a listen address that is no IP address, or a password QEMU refuses, changes nothing', async () => {
    const before = await secureDump(name);
    for (const change of [{ field: 'vnc', listen: 'everywhere' }, { field: 'vnc', listen: '127.0.0.1', password: 'ninechars' }, { field: 'vnc', listen: '127.0.0.1', password: 'a b' }] as VmSettingsChange[]) {
      await expect(apply(name, [change])).rejects.toMatchObject({ code: 'bad-arguments' });
    }
    await expect(apply(name, [{ field: 'serialConsole' }])).rejects.toMatchObject({ code: 'bad-arguments' });
    expect(await secureDump(name)).toBe(before);
  });

  it('a guest without them gets a VNC display and a serial console', async () => {
    expect((await read(bare)).fields).toMatchObject({ serialConsole: false });
    expect((await read(bare)).fields.vnc).toBeUndefined();
    const before = await inactive(bare);
    expect(await apply(bare, [{ field: 'vnc', listen: '127.0.0.1' }, { field: 'serialConsole' }])).toEqual({ outcome: 'applied', name: bare });
    const after = await inactive(bare);
    expect(after).toMatch(/<serial type='pty'>\s*<target type='isa-serial' port='0'>|<serial type='pty'>\s*<target port='0'/);
    expect(after).toMatch(/<console type='pty'>\s*<target type='serial' port='0'\/>/);
    expect(after).toMatch(/<graphics type='vnc' port='-1' autoport='yes' listen='127\.0\.0\.1'>/);
    expect(diffXml(before, after).every((line) => / \/domain\/devices\/(serial|console|graphics|input|audio)/.test(line))).toBe(true);
    expect((await read(bare)).fields).toMatchObject({ vnc: { listen: '127.0.0.1', hasPassword: false }, serialConsole: true });
  });

  it('on a running guest the listen address applies after restart: the live display is unchanged', async () => {
    const liveBefore = await liveXml(live);
    const inactiveBefore = await inactive(live);
    expect(await apply(live, [{ field: 'vnc', listen: '0.0.0.0' }])).toEqual({ outcome: 'applied', name: live });
    expect(await inactive(live)).toContain("<listen type='address' address='0.0.0.0'/>");
    expect(diffXml(liveBefore, await liveXml(live))).toEqual([]);
    expect(await apply(live, [{ field: 'vnc', listen: '127.0.0.1' }])).toEqual({ outcome: 'applied', name: live });
    expect(diffXml(inactiveBefore, await inactive(live))).toEqual([]);
  });
});

/** A SATA CD-ROM holding `source` ('' for empty). */
function cdromXml(source: string): string {
  return `    <disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw'/>\n${source ? `      <source file='${source}'/>\n` : ''}      <target dev='sda' bus='sata'/>\n      <readonly/>\n    </disk>`;
}

const cdromSource = (xml: string): string | undefined => /<disk[^>]*device='cdrom'[^>]*>[\s\S]*?<\/disk>/.exec(xml)?.[0].match(/<source file='([^']*)'/)?.[1];

describe('CD-ROM media: insert and eject', () => {
  const name = `vd-set-cd-${tag}`;
  const running = `vd-set-cdlive-${tag}`;
  let discOne: string;
  let discTwo: string;
  beforeAll(async () => {
    const libvirt = lab.app.services.hosts.get(hostId).libvirt();
    // Names with a space and a quote: every path goes through the quoting as an argument.
    discOne = `${kernelDir}/disc one.iso`;
    discTwo = `${kernelDir}/disc "two".iso`;
    for (const path of [discOne, discTwo]) {
      const bytes = Buffer.alloc(256 * 1024, path === discOne ? 1 : 2);
      await putFile(libvirt.runner, path, bytes, { size: bytes.length, mode: 0o644 });
    }
    await defineGuest(name, { devices: cdromXml('') });
    await defineGuest(running, { vcpus: '<vcpu>2</vcpu>', devices: cdromXml(discOne.replace(/"/g, '&quot;')) });
    await virsh('start', '--domain', running);
  }, 60_000);
  afterAll(() => virsh('destroy', '--domain', running).catch(() => undefined));

  it('the form asks what a path is on the host', async () => {
    expect(await call('vm.settings.hostPath', { hostId, path: discOne })).toEqual({ kind: 'file' });
    expect(await call('vm.settings.hostPath', { hostId, path: kernelDir })).toEqual({ kind: 'other' });
    expect(await call('vm.settings.hostPath', { hostId, path: `${kernelDir}/no such.iso` })).toEqual({ kind: 'missing' });
  });

  it('shut off: insert writes only <source file>, eject removes only it', async () => {
    const before = await inactive(name);
    expect((await read(name)).fields.disks).toEqual([expect.objectContaining({ target: 'sda', device: 'cdrom', source: '' })]);
    expect(await apply(name, [{ field: 'cdrom', target: 'sda', source: discTwo }])).toEqual({ outcome: 'applied', name });
    const inserted = await inactive(name);
    expect(diffXml(before, inserted)).toEqual(['+ /domain/devices/disk/source']);
    expect(cdromSource(inserted)).toBe(discTwo.replace(/"/g, '&quot;'));
    expect((await read(name)).fields.disks[0]?.source).toBe(discTwo);
    expect(await apply(name, [{ field: 'cdrom', target: 'sda', source: '' }])).toEqual({ outcome: 'applied', name });
    expect(diffXml(inserted, await inactive(name))).toEqual(['- /domain/devices/disk/source']);
  });

  it('a path that does not exist on the host, is not a file, or is relative is refused; nothing changes', async () => {
    const before = await inactive(name);
    for (const source of [`${kernelDir}/no such.iso`, kernelDir, 'disc one.iso']) {
      const error = await apply(name, [{ field: 'title', value: 'must not appear' }, { field: 'cdrom', target: 'sda', source }]).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'bad-arguments' });
      expect(JSON.parse(String((error as { detail?: string }).detail))[0]).toMatchObject({ field: 'cdrom', code: source.startsWith('/') ? (source === kernelDir ? 'cdrom-path-not-file' : 'cdrom-path-missing') : 'cdrom-path-relative' });
    }
    expect(await inactive(name)).toBe(before);
  });

  it('running: the image changes in the guest at once and in its definition; eject empties both', { timeout: 60_000 }, async () => {
    const settings = await read(running);
    expect(settings.live?.media).toEqual({ sda: discOne });
    const inactiveBefore = await inactive(running);
    expect(await call('vm.settings.apply', { hostId, name: running, revision: settings.revision, changes: [{ field: 'cdrom', target: 'sda', source: discTwo }] })).toEqual({ outcome: 'applied', name: running });
    expect(cdromSource(await liveXml(running))).toBe(discTwo.replace(/"/g, '&quot;'));
    const inactiveAfter = await inactive(running);
    expect(diffXml(inactiveBefore, inactiveAfter)).toEqual(['~ /domain/devices/disk/source/@file']);
    expect((await read(running)).live?.media).toEqual({ sda: discTwo });

    expect(await apply(running, [{ field: 'cdrom', target: 'sda', source: '' }])).toEqual({ outcome: 'applied', name: running });
    expect(cdromSource(await liveXml(running))).toBeUndefined();
    expect(diffXml(inactiveAfter, await inactive(running))).toEqual(['- /domain/devices/disk/source']);
    expect((await read(running)).live?.media).toEqual({ sda: '' });

    // And in again while the drive is empty.
    expect(await apply(running, [{ field: 'cdrom', target: 'sda', source: discOne }])).toEqual({ outcome: 'applied', name: running });
    expect(cdromSource(await liveXml(running))).toBe(discOne);
    expect((await read(running)).live?.media).toEqual({ sda: discOne });
  });

  it('a later live step that fails puts the guest’s media back and the definition byte for byte', { timeout: 60_000 }, async () => {
    const settings = await read(running);
    expect(settings.live?.media).toEqual({ sda: discOne });
    const inactiveBefore = await inactive(running);
    // Both vCPUs exist from boot, so libvirt refuses to unplug one: the step after the media.
    const changes: VmSettingsChange[] = [{ field: 'cdrom', target: 'sda', source: discTwo }, { field: 'vcpus', max: 2, current: 1 }];
    const error = await call('vm.settings.apply', { hostId, name: running, revision: settings.revision, changes }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'libvirt-error' });
    expect(await inactive(running)).toBe(inactiveBefore);
    expect(cdromSource(await liveXml(running))).toBe(discOne);
  });
});

describe('the raw XML editor', () => {
  const name = `vd-xml-${tag}`;
  beforeAll(() => defineGuest(name));

  const readXml = () => call<VmXmlDefinition>('vm.xml.read', { hostId, name });
  const define = (args: { xml: string; revision: string; overwrite?: boolean }) => call<VmXmlDefineResult>('vm.xml.define', { hostId, name, ...args });

  it('shows the persistent definition, byte for byte what dumpxml --inactive prints', async () => {
    // virsh run as a command and the session differ only in the line breaks after the XML.
    expect((await readXml()).xml.replace(/\n*$/, '')).toBe((await inactive(name)).replace(/\n*$/, ''));
  });

  it('a valid edit is defined and changes exactly that', async () => {
    const { xml, revision } = await readXml();
    const result = await define({ xml: xml.replace('<on_reboot>restart</on_reboot>', '<on_reboot>destroy</on_reboot>'), revision });
    expect(result.outcome).toBe('defined');
    const after = await inactive(name);
    expect(result.outcome === 'defined' && result.xml).toBe(after);
    expect(diffXml(xml, after)).toEqual(['~ /domain/on_reboot/text()']);
  });

  it('an element the schema does not know is refused with libvirt’s message; the old definition is intact byte for byte', async () => {
    const { xml, revision } = await readXml();
    const before = await inactive(name);
    const error = await define({ xml: xml.replace('<devices>', '<devices>\n    <bogus-device/>'), revision }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'libvirt-error' });
    expect(String((error as { detail?: string }).detail)).toMatch(/validate|schema|bogus/i);
    expect(await inactive(name)).toBe(before);
  });

  it('a value libvirt refuses (no validate needed) leaves it intact too', async () => {
    const { xml, revision } = await readXml();
    const before = await inactive(name);
    await expect(define({ xml: xml.replace(/<memory unit='KiB'>\d+<\/memory>/, "<memory unit='KiB'>lots</memory>"), revision })).rejects.toMatchObject({ code: 'libvirt-error' });
    expect(await inactive(name)).toBe(before);
  });

  it('saving an edit keeps a VNC password (the editor reads the definition with its secrets, as virsh edit does)', async () => {
    const secret = `x${tag}`.slice(0, 8);
    const secure = () => virsh('dumpxml', '--inactive', '--security-info', '--domain', name);
    const start = await secure();
    const withPassword = /<graphics type='vnc'/.test(start)
      ? start.replace(/<graphics type='vnc'/, `<graphics type='vnc' passwd='${secret}'`)
      : start.replace('</devices>', `<graphics type='vnc' port='-1' autoport='yes' passwd='${secret}'/></devices>`);
    await defineXml(lab.app.services.hosts.get(hostId).libvirt(), 'domain', withPassword);
    const { xml, revision } = await readXml();
    expect(xml).toContain(`passwd='${secret}'`);
    expect((await define({ xml: xml.replace(/<on_poweroff>\w+<\/on_poweroff>/, '<on_poweroff>destroy</on_poweroff>').replace('<on_reboot>destroy</on_reboot>', '<on_reboot>restart</on_reboot>'), revision })).outcome).toBe('defined');
    expect(await secure()).toContain(`passwd='${secret}'`);
    // The tests after this one compare with the definition as read without secrets.
    await defineXml(lab.app.services.hosts.get(hostId).libvirt(), 'domain', start);
  });

  it('malformed XML never reaches libvirt', async () => {
    const { xml, revision } = await readXml();
    const before = await inactive(name);
    expect(await define({ xml: xml.replace('</domain>', ''), revision })).toMatchObject({ outcome: 'malformed' });
    expect(await inactive(name)).toBe(before);
  });

  it('a changed name or UUID is refused: no second VM appears', async () => {
    const { xml, revision } = await readXml();
    const before = await inactive(name);
    const list = await virsh('list', '--all', '--name');
    expect(await define({ xml: xml.replace(`<name>${name}</name>`, `<name>${name}-copy</name>`), revision })).toMatchObject({ outcome: 'identity-changed', field: 'name', now: `${name}-copy` });
    expect(await define({ xml: xml.replace(/<uuid>[^<]+<\/uuid>/, `<uuid>${randomUUID()}</uuid>`), revision })).toMatchObject({ outcome: 'identity-changed', field: 'uuid' });
    expect(await define({ xml: xml.replace(/<uuid>[^<]+<\/uuid>/, ''), revision })).toMatchObject({ outcome: 'identity-changed', field: 'uuid', now: '' });
    expect(await inactive(name)).toBe(before);
    expect(await virsh('list', '--all', '--name')).toBe(list);
  });

  it('a definition changed on the host since it was read is not overwritten unless asked', async () => {
    const { xml, revision } = await readXml();
    await virsh('desc', '--domain', name, '--config', '--title', '--new-desc', `host edit ${tag}`);
    const onHost = await inactive(name);
    const mine = xml.replace('<on_crash>destroy</on_crash>', '<on_crash>restart</on_crash>');
    const result = await define({ xml: mine, revision });
    expect(result).toMatchObject({ outcome: 'changed-on-host', xml: onHost });
    expect(await inactive(name)).toBe(onHost);
    expect(await define({ xml: mine, revision, overwrite: true })).toMatchObject({ outcome: 'defined' });
    const after = await inactive(name);
    expect(after).toContain('<on_crash>restart</on_crash>');
    expect(after).not.toContain(`host edit ${tag}`);
  });
});

describe('pinning, disks and NICs added and removed, applied as a task', () => {
  const off = `vd-dev-${tag}`;
  const running = `vd-devlive-${tag}`;
  const pool = `vd-devpool-${tag}`;
  const poolDir = `/var/tmp/${pool}`;
  const domblk = async (name: string, ...flags: string[]) =>
    (await virsh('domblklist', '--domain', name, ...flags)).split('\n').map((line) => line.trim().split(/\s+/)[0] ?? '').filter((target) => target !== '' && target !== 'Target' && !target.startsWith('-'));
  const domifMacs = async (name: string, ...flags: string[]) => (await virsh('domiflist', '--domain', name, ...flags)).match(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g) ?? [];
  const exists = async (path: string) => (await labExec(HOST, ['test', '-e', path])).code === 0;

  beforeAll(async () => {
    await defineLabDirPool(HOST, pool, poolDir, cleanup);
    for (const volume of ['data.qcow2', 'keep.raw', 'spare.qcow2']) {
      await virsh('vol-create-as', '--pool', pool, '--name', volume, '--capacity', '8M', '--format', volume.endsWith('.raw') ? 'raw' : 'qcow2');
    }
    await labExec(HOST, ['qemu-img', 'create', '-q', '-f', 'qcow2', `${kernelDir}/loose disk.qcow2`, '8M']);
    await defineGuest(off, { vcpus: '<vcpu>2</vcpu>' });
    await defineGuest(running, { vcpus: '<vcpu>2</vcpu>', devices: `    <controller type='scsi' model='virtio-scsi'/>` });
    await lab.app.services.hosts.get(hostId).refresh();
    await virsh('start', '--domain', running);
  }, 120_000);

  it('reads the host topology, its networks, bridges and pool volumes', async () => {
    const { limits, fields } = await read(off);
    expect(limits.hostTopology.onlineCpus).toEqual(Array.from({ length: limits.hostCpus }, (_, cpu) => cpu));
    expect(limits.hostTopology.sockets * limits.hostTopology.coresPerSocket * limits.hostTopology.threadsPerCore).toBeGreaterThanOrEqual(1);
    expect(limits.networks.map((network) => network.name)).toContain('default');
    expect(limits.bridges).toContain((await virsh('net-info', 'default')).match(/Bridge:\s*(\S+)/)?.[1]);
    expect(limits.volumes.filter((volume) => volume.pool === pool).map((volume) => volume.name).sort()).toEqual(['data.qcow2', 'keep.raw', 'spare.qcow2']);
    expect(fields.pinning).toEqual({ vcpus: {}, emulator: '' });
  });

  it('shut off: pinning goes to <cputune>; a host CPU that does not exist is refused and nothing changes', async () => {
    const before = await inactive(off);
    const { limits } = await read(off);
    const error = await apply(off, [{ field: 'pinning', vcpus: { '0': `${limits.hostCpus}` }, emulator: '' }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'bad-arguments' });
    expect(String((error as { detail?: string }).detail)).toContain('pin-cpu-missing');
    expect(await inactive(off)).toBe(before);
    expect(await apply(off, [{ field: 'pinning', vcpus: { '0': '0', '1': '0' }, emulator: '0' }])).toEqual({ outcome: 'applied', name: off });
    const after = await inactive(off);
    expect(after).toMatch(/<cputune>\s*<vcpupin vcpu='0' cpuset='0'\/>\s*<vcpupin vcpu='1' cpuset='0'\/>\s*<emulatorpin cpuset='0'\/>\s*<\/cputune>/);
    expect(diffXml(before, after).every((line) => line.includes('/domain/cputune'))).toBe(true);
    expect((await read(off)).fields.pinning).toEqual({ vcpus: { '0': '0', '1': '0' }, emulator: '0' });
    // Unpinning removes <cputune> again.
    expect(await apply(off, [{ field: 'pinning', vcpus: {}, emulator: '' }])).toEqual({ outcome: 'applied', name: off });
    expect(await inactive(off)).not.toContain('<cputune');
  });

  it('hugepages: offered as the host has them (read from /sys on the host); refused without, written to <memoryBacking> with', async () => {
    const sys = await labExec(HOST, ['sh', '-c', 'for f in /sys/kernel/mm/hugepages/hugepages-*/nr_hugepages; do echo "$f $(cat "$f")"; done']);
    const sizes = [...sys.stdout.matchAll(/hugepages-(\d+)kB\/nr_hugepages (\d+)/g)].filter((match) => Number(match[2]) > 0).map((match) => Number(match[1]));
    const { limits } = await read(off);
    expect(limits.hugepageSizesKiB).toEqual(sizes.sort((a, b) => a - b));
    const before = await inactive(off);
    if (sizes.length === 0) {
      const error = await apply(off, [{ field: 'hugepages', value: true }]).catch((e: unknown) => e);
      expect(String((error as { detail?: string }).detail)).toContain('hugepages-unavailable');
      expect(await inactive(off)).toBe(before);
      return;
    }
    expect(await apply(off, [{ field: 'hugepages', value: true }])).toEqual({ outcome: 'applied', name: off });
    expect(await inactive(off)).toMatch(/<memoryBacking>\s*<hugepages\/>\s*<\/memoryBacking>/);
    expect(await apply(off, [{ field: 'hugepages', value: false }])).toEqual({ outcome: 'applied', name: off });
    expect(await inactive(off)).toBe(before);
  });

  it('shut off: a pool volume and a file on the host are added with their formats; a volume another VM uses is refused', async () => {
    expect(await apply(off, [
      { field: 'diskAdd', target: 'vda', bus: 'virtio', source: { kind: 'volume', pool, volume: 'data.qcow2' } },
      { field: 'diskAdd', target: 'sda', bus: 'sata', source: { kind: 'file', path: `${kernelDir}/loose disk.qcow2` } },
      { field: 'diskAdd', target: 'sdb', bus: 'sata', source: { kind: 'cdrom', path: '' } },
    ])).toEqual({ outcome: 'applied', name: off });
    expect(await domblk(off, '--inactive')).toEqual(['vda', 'sda', 'sdb']);
    const xml = await inactive(off);
    expect(xml).toMatch(new RegExp(`<disk type='volume' device='disk'>\\s*<driver name='qemu' type='qcow2'/>\\s*<source pool='${pool}' volume='data.qcow2'/>`));
    expect(xml).toMatch(/<disk type='file' device='disk'>\s*<driver name='qemu' type='qcow2'\/>\s*<source file='[^']*loose disk.qcow2'\/>\s*<target dev='sda' bus='sata'\/>/);
    expect(xml).toMatch(/<disk type='file' device='cdrom'>\s*<driver name='qemu' type='raw'\/>\s*<target dev='sdb' bus='sata'\/>\s*<readonly\/>/);
    const settings = await read(running);
    expect(settings.limits.volumes.find((volume) => volume.name === 'data.qcow2')?.usedBy).toEqual([off]);
    const error = await apply(running, [{ field: 'diskAdd', target: 'sdc', bus: 'scsi', source: { kind: 'volume', pool, volume: 'data.qcow2' } }]).catch((e: unknown) => e);
    expect(String((error as { detail?: string }).detail)).toContain('disk-in-use');
    const missing = await apply(off, [{ field: 'diskAdd', target: 'vdb', bus: 'virtio', source: { kind: 'file', path: `${kernelDir}/no such file` } }]).catch((e: unknown) => e);
    expect(String((missing as { detail?: string }).detail)).toContain('disk-path-missing');
  });

  it('shut off: bus change renames the target; remove keeps the file unless asked; asked, deletes the volume', async () => {
    expect(await apply(off, [{ field: 'diskBus', target: 'sda', bus: 'virtio' }])).toEqual({ outcome: 'applied', name: off });
    expect(await domblk(off, '--inactive')).toEqual(['vda', 'vdb', 'sdb']);
    expect(await inactive(off)).toMatch(/loose disk.qcow2'\/>\s*<target dev='vdb' bus='virtio'\/>/);
    expect(await apply(off, [{ field: 'diskRemove', target: 'vdb', deleteFile: false }, { field: 'diskRemove', target: 'vda', deleteFile: true }])).toEqual({ outcome: 'applied', name: off });
    expect(await domblk(off, '--inactive')).toEqual(['sdb']);
    expect(await exists(`${kernelDir}/loose disk.qcow2`)).toBe(true);
    expect(await exists(`${poolDir}/data.qcow2`)).toBe(false);
    expect(await virsh('vol-list', '--pool', pool)).not.toContain('data.qcow2');
  });

  it('shut off: a NIC added on a network, moved to the network’s bridge, and removed (domiflist --inactive)', async () => {
    const mac = '52:54:00:5e:7a:02';
    const bridge = (await virsh('net-info', 'default')).match(/Bridge:\s*(\S+)/)?.[1] ?? '';
    expect(await apply(off, [{ field: 'nicAdd', mac, model: 'virtio', source: { type: 'network', name: 'default' } }])).toEqual({ outcome: 'applied', name: off });
    expect(await virsh('domiflist', '--domain', off, '--inactive')).toMatch(new RegExp(`network\\s+default\\s+virtio\\s+${mac}`));
    const refused = await apply(off, [{ field: 'nicSource', mac, source: { type: 'bridge', name: 'no-such-br0' } }]).catch((e: unknown) => e);
    expect(String((refused as { detail?: string }).detail)).toContain('nic-bridge-invalid');
    expect(await apply(off, [{ field: 'nicSource', mac, source: { type: 'bridge', name: bridge } }])).toEqual({ outcome: 'applied', name: off });
    expect(await virsh('domiflist', '--domain', off, '--inactive')).toMatch(new RegExp(`bridge\\s+${bridge}\\s+virtio\\s+${mac}`));
    expect(await apply(off, [{ field: 'nicRemove', mac }])).toEqual({ outcome: 'applied', name: off });
    expect(await domifMacs(off, '--inactive')).not.toContain(mac);
  });

  it('running: pinning reaches the guest (vcpuinfo, emulatorpin) and its definition; the apply is a task with a log', { timeout: 60_000 }, async () => {
    expect(await apply(running, [{ field: 'pinning', vcpus: { '1': '0' }, emulator: '0' }])).toEqual({ outcome: 'applied', name: running });
    const vcpuinfo = await virsh('vcpuinfo', '--domain', running, '--pretty');
    expect(vcpuinfo).toMatch(/VCPU:\s*1[\s\S]*?CPU Affinity:\s*0 \(out of/);
    expect((await virsh('emulatorpin', '--domain', running)).trim()).toMatch(/^(\*:\s*)?0$/m);
    expect(await inactive(running)).toMatch(/<vcpupin vcpu='1' cpuset='0'\/>\s*<emulatorpin cpuset='0'\/>/);
    expect((await read(running)).live?.pinning).toMatchObject({ vcpus: { '1': '0' }, emulator: '0' });
    const task = lab.app.services.tasks.list().find((candidate) => candidate.titleKey === 'task.vm.settings' && candidate.titleParams?.name === running);
    expect(task).toMatchObject({ state: 'succeeded' });
    expect(task?.log?.map((line) => line.text ?? line.key)).toEqual(expect.arrayContaining(['vmSettings.task.define', expect.stringContaining('virsh vcpupin'), expect.stringContaining('virsh emulatorpin')]));
  });

  it('running: a SCSI disk is hot-plugged and unplugged (domblklist, live and --inactive)', { timeout: 60_000 }, async () => {
    expect(await apply(running, [{ field: 'diskAdd', target: 'sda', bus: 'scsi', source: { kind: 'volume', pool, volume: 'spare.qcow2' } }])).toEqual({ outcome: 'applied', name: running });
    expect(await domblk(running)).toContain('sda');
    expect(await domblk(running, '--inactive')).toContain('sda');
    expect(await apply(running, [{ field: 'diskRemove', target: 'sda', deleteFile: false }])).toEqual({ outcome: 'applied', name: running });
    await waitFor('sda unplugged', async () => !(await domblk(running)).includes('sda'), 30_000, 250);
    expect(await domblk(running, '--inactive')).not.toContain('sda');
    expect(await exists(`${poolDir}/spare.qcow2`)).toBe(true);
  });

  it('running: a NIC on the default network is hot-plugged with its MAC; removed, it leaves the definition', { timeout: 90_000 }, async () => {
    const mac = '52:54:00:5e:7a:01';
    expect(await apply(running, [{ field: 'nicAdd', mac, model: 'virtio', source: { type: 'network', name: 'default' } }])).toEqual({ outcome: 'applied', name: running });
    expect(await domifMacs(running)).toContain(mac);
    expect(await domifMacs(running, '--inactive')).toContain(mac);
    const taken = await apply(off, [{ field: 'nicAdd', mac, model: 'virtio', source: { type: 'network', name: 'default' } }]).catch((e: unknown) => e);
    expect(String((taken as { detail?: string }).detail)).toContain('mac-taken');
    expect(await apply(running, [{ field: 'nicRemove', mac }])).toEqual({ outcome: 'applied', name: running });
    expect(await domifMacs(running, '--inactive')).not.toContain(mac);
  });

  it('a multi-step apply that fails undoes its hot-plug and pinning; the definition is byte for byte the old one', { timeout: 60_000 }, async () => {
    const settings = await read(running);
    const before = await inactive(running);
    const pinBefore = await virsh('vcpuinfo', '--domain', running, '--pretty');
    const changes: VmSettingsChange[] = [
      { field: 'pinning', vcpus: { '0': '0', '1': '0' }, emulator: '' },
      { field: 'diskAdd', target: 'sda', bus: 'scsi', source: { kind: 'volume', pool, volume: 'keep.raw' } },
      // Both vCPUs exist from boot, so libvirt refuses to unplug one: the last step fails.
      { field: 'vcpus', max: 2, current: 1 },
    ];
    const error = await call('vm.settings.apply', { hostId, name: running, revision: settings.revision, changes }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'libvirt-error' });
    expect(await inactive(running)).toBe(before);
    await waitFor('sda unplugged', async () => !(await domblk(running)).includes('sda'), 30_000, 250);
    const affinity = (text: string) => text.match(/CPU Affinity:.*$/gm);
    expect(affinity(await virsh('vcpuinfo', '--domain', running, '--pretty'))).toEqual(affinity(pinBefore));
    const task = lab.app.services.tasks.list().filter((candidate) => candidate.titleKey === 'task.vm.settings' && candidate.titleParams?.name === running).at(-1);
    expect(task?.state).toBe('failed');
    expect(task?.log?.some((line) => line.key === 'vmSettings.task.undo')).toBe(true);
  });
});
