// Snapshots, clone and delete of real guests on a lab host, through the app's contract calls:
// data written to a qcow2 disk after a snapshot is gone after reverting to it (read back with
// qemu-io on the host), snapshots are deleted with and without their children, a raw-disk VM
// is told why internal snapshots are impossible, a clone boots with its own disk, new MACs and
// UUID while sharing the read-only ISO, a clone that fails half-way or is cancelled leaves
// nothing, and deleting a VM removes exactly the volumes chosen.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putFile } from '../../main/connection/hostFiles.js';
import { runRemoteJob } from '../../main/connection/remoteJob.js';
import type { ServerStream } from '../../main/core/registry.js';
import { defineXml } from '../../main/libvirt/definitions.js';
import type { ClonePlan, DeletePlan, SnapshotOverview, Task } from '../../preload/contract.js';
import { labExec, MINI_PROMPT, miniDomainXml, miniGuestFiles, readLabHost } from '../lab/index.js';
import { waitFor } from '../support/appEvents.js';
import { startLabApp, type LabApp } from '../support/labApp.js';

const HOST = 'lab3';
const tag = randomBytes(3).toString('hex');
const POOL = `vd-manage-${tag}`;
const POOL_DIR = `/var/tmp/vd-manage-${tag}`;
const MINI_DIR = `/var/tmp/vd-manage-mini-${tag}`;
let lab: LabApp;
let hostId: string;
let kvm = false;
const cleanup: string[][] = [];

async function virsh(...argv: string[]): Promise<string> {
  const result = await labExec(HOST, ['virsh', '-q', '-c', 'qemu:///system', ...argv]);
  if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

async function qemuIo(path: string, command: string): Promise<{ ok: boolean; out: string }> {
  const result = await labExec(HOST, ['qemu-io', '-f', 'qcow2', '-c', command, path]);
  return { ok: result.code === 0 && !/Pattern verification failed/.test(result.stdout), out: result.stdout + result.stderr };
}

const call = <T>(name: string, args: Record<string, unknown>): Promise<T> => lab.app.registry.call(name as never, args as never) as Promise<T>;

async function volumes(): Promise<string[]> {
  await virsh('pool-refresh', POOL);
  return (await virsh('vol-list', '--pool', POOL)).split('\n').map((line) => line.trim().split(/\s+/)[0]!).filter(Boolean).sort();
}

/** Without a pool refresh, which libvirt refuses while a volume is being built. */
async function volumeExists(name: string): Promise<boolean> {
  return (await labExec(HOST, ['virsh', '-q', '-c', 'qemu:///system', 'vol-info', '--pool', POOL, name])).code === 0;
}

async function newVolume(name: string, format: 'qcow2' | 'raw', size = '64M'): Promise<string> {
  await virsh('vol-create-as', '--pool', POOL, '--name', name, '--capacity', size, '--format', format);
  return `${POOL_DIR}/${name}`;
}

/** The mini guest with disks: a definition the test writes itself. */
async function defineGuest(name: string, disks: string[], extraDevices = ''): Promise<void> {
  const xml = miniDomainXml({ name, kvm, kernel: `${MINI_DIR}/vmlinuz`, initrd: `${MINI_DIR}/initrd.gz` }).replace('<devices>', `<devices>\n${disks.join('\n')}\n${extraDevices}`);
  await defineXml(lab.app.services.hosts.get(hostId).libvirt(), 'domain', xml);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name, '--snapshots-metadata', '--nvram']);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]);
}

const qcow2Disk = (path: string, dev = 'vda') => `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${path}'/><target dev='${dev}' bus='virtio'/></disk>`;

function collect(stream: ServerStream): { text: () => string } {
  const chunks: Buffer[] = [];
  stream.onData((data) => chunks.push(Buffer.from(data)));
  return { text: () => Buffer.concat(chunks).toString('utf8') };
}

async function bootsToPrompt(name: string): Promise<void> {
  const stream = await lab.app.registry.openStream('vm.console', { hostId, name, size: { rows: 30, cols: 100 } });
  const output = collect(stream);
  try {
    await waitFor(
      `${name}'s prompt on its console (${kvm ? 'KVM' : 'TCG'})`,
      () => {
        stream.write(Buffer.from('\r'));
        return output.text().includes(MINI_PROMPT) ? true : undefined;
      },
      180_000,
      1_000,
    );
  } finally {
    stream.close();
  }
}

beforeAll(async () => {
  lab = await startLabApp();
  hostId = await lab.addHost(HOST);
  kvm = (await readLabHost(HOST)).kvm;
  const libvirt = lab.app.services.hosts.get(hostId).libvirt();
  cleanup.push(['rm', '-rf', MINI_DIR, POOL_DIR]);
  await runRemoteJob(libvirt.runner, ['mkdir', '-m', '0755', '-p', MINI_DIR, POOL_DIR]);
  const files = await miniGuestFiles();
  for (const [file, local] of [['vmlinuz', files.kernel], ['initrd.gz', files.initrd]] as const) {
    const bytes = await readFile(local);
    await putFile(libvirt.runner, `${MINI_DIR}/${file}`, bytes, { size: bytes.length, mode: 0o644 });
  }
  await defineXml(libvirt, 'pool', `<pool type='dir'><name>${POOL}</name><target><path>${POOL_DIR}</path></target></pool>`);
  await virsh('pool-start', POOL);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-undefine', POOL]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-destroy', POOL]);
}, 120_000);

afterAll(async () => {
  for (const argv of cleanup) await labExec(HOST, argv).catch(() => undefined);
  await lab?.close();
});

describe('snapshots', () => {
  const vm = `vd-snap-${tag}`;
  let disk = '';

  it('an internal snapshot of a shut-off qcow2 guest: what was written after it is gone after reverting', { timeout: 120_000 }, async () => {
    disk = await newVolume(`${vm}.qcow2`, 'qcow2');
    await defineGuest(vm, [qcow2Disk(disk)]);
    const overview = await call<SnapshotOverview>('snapshots.list', { hostId, name: vm });
    expect(overview.snapshots).toEqual([]);
    expect(overview.options.find((option) => option.kind === 'internal')).toEqual({ kind: 'internal', available: true });
    expect(overview.options.find((option) => option.kind === 'external-memory')).toMatchObject({ available: false, reason: 'not-running' });

    expect((await qemuIo(disk, 'write -P 0x11 0 64k')).ok).toBe(true);
    await call('snapshots.create', { hostId, name: vm, snapshot: 'first', description: 'before the change', kind: 'internal' });
    expect((await qemuIo(disk, 'write -P 0x22 0 64k')).ok).toBe(true);
    expect((await qemuIo(disk, 'read -P 0x22 0 64k')).ok).toBe(true);

    await call('snapshots.revert', { hostId, name: vm, snapshot: 'first' });
    expect((await qemuIo(disk, 'read -P 0x11 0 64k')).ok).toBe(true);
    expect((await qemuIo(disk, 'read -P 0x22 0 64k')).ok).toBe(false);

    const after = await call<SnapshotOverview>('snapshots.list', { hostId, name: vm });
    expect(after.snapshots).toEqual([expect.objectContaining({ name: 'first', description: 'before the change', state: 'shutoff', current: true, memory: 'no', external: false })]);
    expect(after.snapshots[0]!.creationTime).toBeGreaterThan(Date.now() / 1000 - 600);
    const tasks = lab.app.services.tasks.list();
    expect(tasks.find((task: Task) => task.titleKey === 'task.snapshot.revert' && task.titleParams?.snapshot === 'first')?.state).toBe('succeeded');
  });

  it('refuses a taken or invalid name before anything changes', async () => {
    await expect(call('snapshots.create', { hostId, name: vm, snapshot: 'first', kind: 'internal' })).rejects.toMatchObject({ code: 'bad-arguments' });
    await expect(call('snapshots.create', { hostId, name: vm, snapshot: 'a b/c', kind: 'internal' })).rejects.toMatchObject({ code: 'bad-arguments' });
    expect((await call<SnapshotOverview>('snapshots.list', { hostId, name: vm })).snapshots.map((snapshot) => snapshot.name)).toEqual(['first']);
  });

  it('a tree of snapshots; deleting one without its children re-parents them, with its children removes the branch', { timeout: 120_000 }, async () => {
    await call('snapshots.create', { hostId, name: vm, snapshot: 'second', kind: 'internal' });
    await call('snapshots.create', { hostId, name: vm, snapshot: 'third', kind: 'internal' });
    let tree = (await call<SnapshotOverview>('snapshots.list', { hostId, name: vm })).snapshots;
    expect(tree.map(({ name, parent, current }) => ({ name, parent, current }))).toEqual([
      { name: 'first', parent: undefined, current: false },
      { name: 'second', parent: 'first', current: false },
      { name: 'third', parent: 'second', current: true },
    ]);

    await call('snapshots.delete', { hostId, name: vm, snapshot: 'second', children: false });
    tree = (await call<SnapshotOverview>('snapshots.list', { hostId, name: vm })).snapshots;
    expect(tree.map(({ name, parent }) => ({ name, parent }))).toEqual([
      { name: 'first', parent: undefined },
      { name: 'third', parent: 'first' },
    ]);
    expect(await labExec(HOST, ['qemu-img', 'snapshot', '-l', disk]).then((result) => result.stdout)).not.toMatch(/\bsecond\b/);

    await call('snapshots.delete', { hostId, name: vm, snapshot: 'first', children: true });
    expect((await call<SnapshotOverview>('snapshots.list', { hostId, name: vm })).snapshots).toEqual([]);
    const images = await labExec(HOST, ['qemu-img', 'snapshot', '-l', disk]);
    expect(images.stdout).not.toMatch(/\b(first|third)\b/);
  });

  it('a running guest: an internal snapshot with memory and a revert run as tasks', { timeout: 300_000 }, async () => {
    await virsh('start', vm);
    await bootsToPrompt(vm);
    const overview = await call<SnapshotOverview>('snapshots.list', { hostId, name: vm });
    expect(overview.running).toBe(true);
    expect(overview.options.find((option) => option.kind === 'external-memory')?.available).toBe(true);
    await call('snapshots.create', { hostId, name: vm, snapshot: 'live', kind: 'internal' });
    const live = (await call<SnapshotOverview>('snapshots.list', { hostId, name: vm })).snapshots.find((snapshot) => snapshot.name === 'live');
    expect(live).toMatchObject({ state: 'running', memory: 'internal', current: true });
    await virsh('destroy', vm);
    await call('snapshots.revert', { hostId, name: vm, snapshot: 'live' });
    expect(await virsh('domstate', vm)).toBe('running');
    const created = lab.app.services.tasks.list().find((task: Task) => task.titleKey === 'task.snapshot.create' && task.titleParams?.snapshot === 'live');
    expect(created?.state).toBe('succeeded');
    await virsh('destroy', vm);
    await call('snapshots.delete', { hostId, name: vm, snapshot: 'live', children: false });
  });

  it('a raw-disk VM: internal snapshots are not possible, and the reason is given', async () => {
    const raw = `vd-raw-${tag}`;
    const path = await newVolume(`${raw}.img`, 'raw');
    await defineGuest(raw, [`<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${path}'/><target dev='vda' bus='virtio'/></disk>`]);
    const overview = await call<SnapshotOverview>('snapshots.list', { hostId, name: raw });
    expect(overview.options.find((option) => option.kind === 'internal')).toEqual({ kind: 'internal', available: false, reason: 'raw-disk' });
    expect(overview.options.find((option) => option.kind === 'external-disk')?.available).toBe(true);
    expect(overview.disks).toEqual([{ target: 'vda', format: 'raw', path }]);
    await expect(call('snapshots.create', { hostId, name: raw, snapshot: 'nope', kind: 'internal' })).rejects.toMatchObject({ code: 'bad-arguments' });
    expect(await virsh('snapshot-list', raw, '--name')).toBe('');

    // What it offers instead: an external, disk-only snapshot puts a qcow2 overlay on the raw disk.
    await call('snapshots.create', { hostId, name: raw, snapshot: 'overlay', kind: 'external-disk' });
    const after = await call<SnapshotOverview>('snapshots.list', { hostId, name: raw });
    expect(after.snapshots).toEqual([expect.objectContaining({ name: 'overlay', external: true, memory: 'no', current: true })]);
    const source = /<source file='([^']+)'/.exec(await virsh('dumpxml', '--inactive', raw))?.[1] ?? '';
    expect(source).not.toBe(path);
    expect((await labExec(HOST, ['qemu-img', 'info', '--output=json', source])).stdout).toMatch(/"format": "qcow2"[\s\S]*"backing-filename": "[^"]*\.img"/);
    cleanup.unshift(['rm', '-f', source]);
    if (!after.externalRevert) {
      await expect(call('snapshots.revert', { hostId, name: raw, snapshot: 'overlay' })).rejects.toMatchObject({ code: 'bad-arguments' });
    }
    await call('snapshots.delete', { hostId, name: raw, snapshot: 'overlay', children: false });
    expect(await virsh('snapshot-list', raw, '--name')).toBe('');
  });
});

describe('clone', () => {
  const vm = `vd-orig-${tag}`;
  const iso = `${POOL_DIR}/shared-${tag}.iso`;
  const ethernet = `<interface type='ethernet'><mac address='52:54:00:aa:${tag.slice(0, 2)}:${tag.slice(2, 4)}'/><model type='virtio'/></interface>`;
  let disk = '';

  it('a clone boots on its own copied disk with new MACs and UUID, sharing the read-only ISO', { timeout: 300_000 }, async () => {
    disk = await newVolume(`${vm}.qcow2`, 'qcow2');
    await newVolume(`shared-${tag}.iso`, 'raw', '1M');
    expect((await qemuIo(disk, 'write -P 0x33 0 1M')).ok).toBe(true);
    await defineGuest(vm, [qcow2Disk(disk), `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='${iso}'/><target dev='sda' bus='sata'/><readonly/></disk>`], ethernet);
    const original = await virsh('dumpxml', vm);
    const before = await volumes();

    const copy = `vd-copy-${tag}`;
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', copy]);
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'destroy', '--domain', copy]);
    const plan = await call<ClonePlan>('vm.clonePlan', { hostId, name: vm, newName: copy });
    expect(plan.blockers).toEqual([]);
    expect(plan.disks.map(({ target, action, newVolume: volume }) => ({ target, action, volume }))).toEqual([
      { target: 'vda', action: 'copy', volume: `${copy}.qcow2` },
      { target: 'sda', action: 'share', volume: undefined },
    ]);

    const result = await call<{ name: string; uuid: string }>('vm.clone', { hostId, name: vm, newName: copy });
    expect(result.name).toBe(copy);
    const cloned = await virsh('dumpxml', copy);
    const uuidOf = (xml: string) => /<uuid>([^<]+)<\/uuid>/.exec(xml)?.[1];
    const macsOf = (xml: string) => [...xml.matchAll(/<mac address='([^']+)'/g)].map((match) => match[1]);
    expect(uuidOf(cloned)).toBe(result.uuid);
    expect(uuidOf(cloned)).not.toBe(uuidOf(original));
    expect(macsOf(cloned)).toHaveLength(1);
    expect(macsOf(cloned)[0]).not.toBe(macsOf(original)[0]);
    expect(macsOf(cloned)[0]).toMatch(/^52:54:00:/);
    expect(cloned).toContain(`<source file='${POOL_DIR}/${copy}.qcow2'`);
    expect(cloned).toContain(`<source file='${iso}'`);
    expect(await volumes()).toEqual([...before, `${copy}.qcow2`].sort());
    // The data came along, into a file of its own.
    expect((await qemuIo(`${POOL_DIR}/${copy}.qcow2`, 'read -P 0x33 0 1M')).ok).toBe(true);
    expect((await qemuIo(`${POOL_DIR}/${copy}.qcow2`, 'write -P 0x44 0 64k')).ok).toBe(true);
    expect((await qemuIo(disk, 'read -P 0x33 0 64k')).ok).toBe(true);
    const task = lab.app.services.tasks.list().find((candidate: Task) => candidate.titleKey === 'task.vm.clone' && candidate.titleParams?.newName === copy);
    expect(task).toMatchObject({ state: 'succeeded', progress: 1, cancellable: true });

    await virsh('start', copy);
    await bootsToPrompt(copy);
    expect(await virsh('domblklist', copy)).toContain(`${POOL_DIR}/${copy}.qcow2`);
    await virsh('destroy', copy);
  });

  it('refuses an empty, taken or invalid name, and a VM that runs', { timeout: 60_000 }, async () => {
    await virsh('start', vm);
    expect((await call<ClonePlan>('vm.clonePlan', { hostId, name: vm, newName: `vd-run-${tag}` })).blockers).toEqual([{ reason: 'running' }]);
    await expect(call('vm.clone', { hostId, name: vm, newName: `vd-run-${tag}` })).rejects.toMatchObject({ code: 'bad-arguments' });
    await virsh('destroy', vm);
    expect((await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'dominfo', `vd-run-${tag}`])).code).not.toBe(0);
    await expect(call('vm.clone', { hostId, name: vm, newName: vm })).rejects.toMatchObject({ code: 'bad-arguments' });
    await expect(call('vm.clone', { hostId, name: vm, newName: 'bad name/x' })).rejects.toMatchObject({ code: 'bad-arguments' });
    await expect(call('vm.clone', { hostId, name: vm, newName: '' })).rejects.toMatchObject({ code: 'bad-arguments' });
  });

  it('a clone that fails half-way (its second disk\'s name is taken) removes the copy it made and defines nothing', { timeout: 120_000 }, async () => {
    const two = `vd-two-${tag}`;
    const first = await newVolume(`${two}.qcow2`, 'qcow2', '1G');
    // Enough data that copying it takes a moment, in which the second name gets taken.
    expect((await qemuIo(first, 'write -P 0x66 0 768M')).ok).toBe(true);
    const second = await newVolume(`${two}-data.qcow2`, 'qcow2');
    await defineGuest(two, [qcow2Disk(first), qcow2Disk(second, 'vdb')]);
    const copy = `vd-two-c-${tag}`;
    // Someone else's volume has the name the second copy would get: it is not ours to touch.
    await newVolume(`${copy}-data.qcow2`, 'qcow2');
    const plan = await call<ClonePlan>('vm.clonePlan', { hostId, name: two, newName: copy });
    expect(plan.blockers).toEqual([{ reason: 'volume-exists', subject: `${POOL}/${copy}-data.qcow2` }]);
    const before = await volumes();
    // Made to fail between the two copies: the name check is raced by the volume appearing.
    await virsh('vol-delete', '--pool', POOL, `${copy}-data.qcow2`);
    const clone = call('vm.clone', { hostId, name: two, newName: copy });
    clone.catch(() => undefined);
    await waitFor('the first copy', async () => ((await volumeExists(`${copy}.qcow2`)) ? true : undefined), 60_000, 50);
    await newVolume(`${copy}-data.qcow2`, 'qcow2');
    await expect(clone).rejects.toBeTruthy();
    expect(await volumes()).toEqual(before);
    expect((await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'dominfo', copy])).code).not.toBe(0);
  });

  it('a cancelled clone removes what it made', { timeout: 180_000 }, async () => {
    const big = `vd-big-${tag}`;
    const path = await newVolume(`${big}.qcow2`, 'qcow2', '1G');
    expect((await qemuIo(path, 'write -P 0x55 0 768M')).ok).toBe(true);
    await defineGuest(big, [qcow2Disk(path)]);
    const before = await volumes();
    const copy = `vd-big-c-${tag}`;
    const clone = call('vm.clone', { hostId, name: big, newName: copy });
    clone.catch(() => undefined);
    const task = await waitFor('the clone task', () => lab.app.services.tasks.list().find((candidate: Task) => candidate.titleKey === 'task.vm.clone' && candidate.titleParams?.newName === copy && candidate.state === 'running'), 30_000);
    await waitFor('the copy to begin', async () => ((await volumeExists(`${copy}.qcow2`)) ? true : undefined), 60_000, 100);
    await call('tasks.cancel', { taskId: task.id });
    await expect(clone).rejects.toMatchObject({ code: 'cancelled' });
    expect(lab.app.services.tasks.list().find((candidate) => candidate.id === task.id)?.state).toBe('cancelled');
    expect(await volumes()).toEqual(before);
    expect((await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'dominfo', copy])).code).not.toBe(0);
  });
});

describe('delete', () => {
  it('lists the volumes, keeps the ISO and a volume another VM uses by default, and removes exactly the chosen ones', { timeout: 240_000 }, async () => {
    const vm = `vd-del-${tag}`;
    const other = `vd-del-other-${tag}`;
    const system = await newVolume(`${vm}.qcow2`, 'qcow2');
    const data = await newVolume(`${vm}-data.qcow2`, 'qcow2');
    const sharedDisk = await newVolume(`shared-disk-${tag}.qcow2`, 'qcow2');
    const iso = await newVolume(`del-${tag}.iso`, 'raw', '1M');
    const cdrom = `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='${iso}'/><target dev='sda' bus='sata'/><readonly/></disk>`;
    await defineGuest(vm, [qcow2Disk(system), qcow2Disk(data, 'vdb'), qcow2Disk(sharedDisk, 'vdc'), cdrom]);
    await defineGuest(other, [qcow2Disk(sharedDisk)]);
    await virsh('snapshot-create-as', vm, 'kept-metadata');

    const plan = await call<DeletePlan>('vm.deletePlan', { hostId, name: vm });
    expect(plan).toMatchObject({ running: false, persistent: true, snapshots: 1, managedSave: false });
    expect(plan.volumes.map(({ target, path, iso: isIso, usedBy, deleteByDefault }) => ({ target, path, isIso, usedBy, deleteByDefault }))).toEqual([
      { target: 'vda', path: system, isIso: false, usedBy: [], deleteByDefault: true },
      { target: 'vdb', path: data, isIso: false, usedBy: [], deleteByDefault: true },
      { target: 'vdc', path: sharedDisk, isIso: false, usedBy: [other], deleteByDefault: false },
      { target: 'sda', path: iso, isIso: true, usedBy: [], deleteByDefault: false },
    ]);

    await virsh('start', vm);
    await expect(call('vm.delete', { hostId, name: vm, volumes: [system] })).rejects.toMatchObject({ code: 'bad-arguments' });
    expect(await virsh('domstate', vm)).toBe('running');

    const before = await volumes();
    const result = await call<{ removedVolumes: string[] }>('vm.delete', { hostId, name: vm, volumes: [system], confirmName: vm });
    expect(result.removedVolumes).toEqual([system]);
    expect(await volumes()).toEqual(before.filter((name) => name !== `${vm}.qcow2`));
    expect((await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'dominfo', vm])).code).not.toBe(0);
    // No snapshot metadata was left behind: a VM of that name can be defined and has none.
    await defineGuest(vm, [qcow2Disk(data)]);
    expect(await virsh('snapshot-list', vm, '--name')).toBe('');
    const inventory = await lab.app.services.hosts.get(hostId).getInventory();
    expect(inventory.vms.some((candidate) => candidate.name === other)).toBe(true);
  });
});
