// Storage pools and volumes on a lab host's real libvirtd, through the app's contract calls:
// every pool type's definition validates against libvirt's schema and round-trips through
// pool-define + pool-dumpxml; fs and logical pools are built, started and deleted on loop
// devices; volume create (sparse and preallocated, with a backing volume), resize, clone,
// wipe, raw → qcow2 / vmdk conversion and delete leave exactly what `qemu-img info` expects;
// a pool and a volume used by a VM refuse deletion naming the VM; bad input is refused before
// anything changes; an upload into a pool stays sparse and a cancelled one leaves nothing.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRemoteJob } from '../../main/connection/remoteJob.js';
import { defineXml, withXmlOnHost } from '../../main/libvirt/definitions.js';
import { poolDefinition } from '../../main/libvirt/poolDefinition.js';
import { POOL_TYPES, type PoolDeletePlan, type PoolSpec, type PoolVolumes, type Task } from '../../preload/contract.js';
import { labExec, readLabHost } from '../lab/index.js';
import { waitFor } from '../support/appEvents.js';
import { startLabApp, type LabApp } from '../support/labApp.js';

const execFileAsync = promisify(execFile);
const HOST = 'lab3';
const tag = randomBytes(3).toString('hex');
const POOL = `vd-store-${tag}`;
const POOL_DIR = `/var/tmp/vd-store-${tag}`;
const ROOT_POOL = `vd-store-root-${tag}`;
const ROOT_POOL_DIR = `/var/tmp/vd-store-root-${tag}`;
let lab: LabApp;
let hostId: string;
const cleanup: string[][] = [];

async function sh(script: string, ...args: string[]): Promise<string> {
  const result = await labExec(HOST, ['sh', '-c', script, 'sh', ...args], { timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`${script}: ${result.stderr}`);
  return result.stdout.trim();
}
const virsh = (...argv: string[]) => sh('exec virsh -q -c qemu:///system "$@"', ...argv);
const call = <T>(name: string, args: Record<string, unknown>): Promise<T> => lab.app.registry.call(name as never, args as never) as Promise<T>;

async function qemuInfo(path: string): Promise<{ format: string; 'virtual-size': number; 'actual-size': number; 'backing-filename'?: string }> {
  return JSON.parse(await sh('exec qemu-img info --force-share --output=json "$1"', path)) as never;
}

async function volumes(pool = POOL): Promise<PoolVolumes> {
  return call<PoolVolumes>('storage.volumes', { hostId, pool });
}

async function expectRefused(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code: 'bad-arguments', message: expect.stringMatching(pattern) });
}

beforeAll(async () => {
  lab = await startLabApp();
  hostId = await lab.addHost(HOST);
  for (const [pool, dir] of [[POOL, POOL_DIR], [ROOT_POOL, ROOT_POOL_DIR]] as const) {
    cleanup.push(['rm', '-rf', dir]);
    await call('storage.poolCreate', { hostId, spec: { type: 'dir', name: pool, targetPath: dir }, options: { build: true, start: true, autostart: false } });
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-undefine', pool]);
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-destroy', pool]);
  }
  // The SSH user may write into POOL's folder (uploads go there through the file primitive);
  // ROOT_POOL's is root's alone (uploads go through libvirt's stream).
  await sh('chown "$1" "$2"', (await readLabHost(HOST)).user, POOL_DIR);
}, 120_000);

afterAll(async () => {
  for (const argv of cleanup) await labExec(HOST, argv).catch(() => undefined);
  await lab?.close();
});

describe('pool definitions', () => {
  const specs: PoolSpec[] = [
    { type: 'dir', name: `vd-def-dir-${tag}`, targetPath: `/var/tmp/vd-def-dir-${tag}` },
    { type: 'fs', name: `vd-def-fs-${tag}`, device: '/dev/loop7', format: 'ext4', targetPath: `/var/tmp/vd-def-fs-${tag}` },
    { type: 'netfs', name: `vd-def-nfs-${tag}`, server: '198.18.0.250', exportPath: '/export/images', format: 'nfs', targetPath: `/var/tmp/vd-def-nfs-${tag}` },
    { type: 'logical', name: `vd-def-lvm-${tag}`, volumeGroup: `vdvg${tag}`, devices: ['/dev/loop6'] },
    { type: 'iscsi', name: `vd-def-iscsi-${tag}`, portal: '198.18.0.251', port: 3260, iqn: 'iqn.2026-12.test.virtdeck:storage' },
  ];

  it('covers every type the form offers', () => {
    expect(specs.map((spec) => spec.type).sort()).toEqual([...POOL_TYPES].sort());
  });

  for (const spec of specs) {
    it(`${spec.type}: validates with virt-xml-validate and round-trips through pool-define + pool-dumpxml`, { timeout: 60_000 }, async () => {
      const xml = poolDefinition(spec).toXml();
      const libvirt = lab.app.services.hosts.get(hostId).libvirt();
      const validation = await withXmlOnHost(libvirt.runner, xml, (path) => runRemoteJob(libvirt.runner, ['virt-xml-validate', path, 'storagepool']));
      expect(validation.stdout + validation.stderr).toMatch(/validates/);
      expect(validation.code).toBe(0);
      await defineXml(libvirt, 'pool', xml);
      try {
        const dumped = await virsh('pool-dumpxml', '--inactive', spec.name);
        const again = await withXmlOnHost(libvirt.runner, dumped, (path) => runRemoteJob(libvirt.runner, ['virt-xml-validate', path, 'storagepool']));
        expect(again.code).toBe(0);
        expect(dumped).toContain(`<pool type='${spec.type}'>`);
        if (spec.type === 'netfs') expect(dumped).toMatch(/<host name='198\.18\.0\.250'\/>[\s\S]*<dir path='\/export\/images'\/>[\s\S]*<format type='nfs'\/>/);
        if (spec.type === 'iscsi') expect(dumped).toMatch(/<host name='198\.18\.0\.251' port='3260'\/>[\s\S]*<device path='iqn\.2026-12\.test\.virtdeck:storage'\/>/);
        if (spec.type === 'logical') expect(dumped).toMatch(new RegExp(`<name>vdvg${tag}</name>[\\s\\S]*<format type='lvm2'/>`));
        if (spec.type === 'fs') expect(dumped).toMatch(/<device path='\/dev\/loop7'\/>[\s\S]*<format type='ext4'\/>/);
      } finally {
        await virsh('pool-undefine', spec.name);
      }
    });
  }
});

describe('pools on loop devices', () => {
  async function loopDevice(name: string, mb: number): Promise<string> {
    const file = `/var/tmp/${name}.img`;
    await sh('truncate -s "$2M" "$1"', file, String(mb));
    const device = await sh('losetup -f --show "$1"', file);
    cleanup.push(['sh', '-c', 'losetup -d "$1"; rm -f "$2"', 'sh', device, file]);
    return device;
  }

  it('fs: a file system is made on the device, mounted as a pool, used and deleted', { timeout: 180_000 }, async () => {
    const device = await loopDevice(`vd-fs-${tag}`, 64);
    const name = `vd-fs-${tag}`;
    const target = `/var/tmp/vd-fs-mnt-${tag}`;
    cleanup.unshift(['sh', '-c', 'virsh -c qemu:///system pool-destroy "$1"; virsh -c qemu:///system pool-undefine "$1"; rm -rf "$2"', 'sh', name, target]);
    await expectRefused(call('storage.poolCreate', { hostId, spec: { type: 'fs', name, device: POOL_DIR, format: 'ext4', targetPath: target }, options: { build: true, start: true, autostart: false } }), /Not a block device/);
    await call('storage.poolCreate', { hostId, spec: { type: 'fs', name, device, format: 'ext4', targetPath: target }, options: { build: true, start: true, autostart: false } });
    expect(await sh('blkid -o value -s TYPE "$1"', device)).toBe('ext4');
    await call('storage.volumeCreate', { hostId, pool: name, spec: { name: 'a.qcow2', format: 'qcow2', capacityBytes: 32 << 20, preallocate: false } });
    expect((await qemuInfo(`${target}/a.qcow2`)).format).toBe('qcow2');
    await call('storage.poolDelete', { hostId, pool: name, deleteData: false });
    expect(await sh('virsh -c qemu:///system pool-list --all --name')).not.toContain(name);
  });

  it('logical: a volume group is built from the device, a volume made in it, and everything deleted', { timeout: 180_000 }, async () => {
    const device = await loopDevice(`vd-lvm-${tag}`, 64);
    const name = `vd-lvm-${tag}`;
    const vg = `vdvg${tag}`;
    cleanup.unshift(['sh', '-c', 'virsh -c qemu:///system pool-destroy "$1"; virsh -c qemu:///system pool-undefine "$1"; vgremove -f "$2"; pvremove -f "$3"', 'sh', name, vg, device]);
    await call('storage.poolCreate', { hostId, spec: { type: 'logical', name, volumeGroup: vg, devices: [device] }, options: { build: true, start: true, autostart: false } });
    expect(await sh('vgs --noheadings -o vg_name "$1"', vg)).toBe(vg);
    const create = call('storage.volumeCreate', { hostId, pool: name, spec: { name: 'lv1', format: 'raw', capacityBytes: 16 << 20, preallocate: true } });
    // Inside the lab's namespaces the kernel's device-mapper is not reachable (no module:
    // dmsetup cannot talk to it): the volume group is real, but lvcreate cannot make a volume.
    if ((await labExec(HOST, ['dmsetup', 'version'])).code === 0) {
      await create;
      expect((await volumes(name)).volumes.map((volume) => volume.name)).toEqual(['lv1']);
    } else {
      await expect(create).rejects.toMatchObject({ detail: expect.stringMatching(/device-mapper/) });
    }
    expect((await volumes(name)).fileBased).toBe(false);
    await call('storage.poolDelete', { hostId, pool: name, deleteData: true });
    expect(await sh('vgs --noheadings -o vg_name 2>/dev/null | tr -d " "')).not.toContain(vg);
  });
});

describe('volumes', () => {
  it('create sparse and preallocated, with a backing volume; qemu-img agrees', { timeout: 120_000 }, async () => {
    await call('storage.volumeCreate', { hostId, pool: POOL, spec: { name: 'base.raw', format: 'raw', capacityBytes: 64 << 20, preallocate: false } });
    await call('storage.volumeCreate', { hostId, pool: POOL, spec: { name: 'full.raw', format: 'raw', capacityBytes: 16 << 20, preallocate: true } });
    await call('storage.volumeCreate', { hostId, pool: POOL, spec: { name: 'over.qcow2', format: 'qcow2', capacityBytes: 64 << 20, preallocate: false, backingVolume: 'base.raw' } });
    const base = await qemuInfo(`${POOL_DIR}/base.raw`);
    expect(base).toMatchObject({ format: 'raw', 'virtual-size': 64 << 20 });
    expect(base['actual-size']).toBeLessThan(1 << 20);
    const full = await qemuInfo(`${POOL_DIR}/full.raw`);
    expect(full['actual-size']).toBeGreaterThanOrEqual(16 << 20);
    const over = await qemuInfo(`${POOL_DIR}/over.qcow2`);
    expect(over).toMatchObject({ format: 'qcow2', 'virtual-size': 64 << 20, 'backing-filename': `${POOL_DIR}/base.raw` });
    const listing = await volumes();
    expect(listing.volumes.find((volume) => volume.name === 'over.qcow2')).toMatchObject({ format: 'qcow2', capacityBytes: 64 << 20, backingPath: `${POOL_DIR}/base.raw`, usedBy: [] });
  });

  it('bad input is refused before anything changes', { timeout: 60_000 }, async () => {
    const before = (await volumes()).volumes.map((volume) => volume.name);
    await expectRefused(call('storage.volumeCreate', { hostId, pool: POOL, spec: { name: '', format: 'raw', capacityBytes: 1 << 20, preallocate: false } }), /empty/);
    await expectRefused(call('storage.volumeCreate', { hostId, pool: POOL, spec: { name: 'a/b', format: 'raw', capacityBytes: 1 << 20, preallocate: false } }), /slash/);
    await expectRefused(call('storage.volumeCreate', { hostId, pool: POOL, spec: { name: 'base.raw', format: 'raw', capacityBytes: 1 << 20, preallocate: false } }), /duplicate/);
    await expectRefused(call('storage.volumeCreate', { hostId, pool: POOL, spec: { name: 'huge.raw', format: 'raw', capacityBytes: 2 ** 50, preallocate: true } }), /more space/);
    await expectRefused(call('storage.volumeResize', { hostId, pool: POOL, volume: 'over.qcow2', capacityBytes: 32 << 20 }), /cannot shrink qcow2/);
    await expectRefused(call('storage.volumeResize', { hostId, pool: POOL, volume: 'base.raw', capacityBytes: 32 << 20 }), /cut off data/);
    await expectRefused(call('storage.poolCreate', { hostId, spec: { type: 'dir', name: POOL, targetPath: '/var/tmp/x' }, options: { build: true, start: true, autostart: false } }), /duplicate/);
    expect((await volumes()).volumes.map((volume) => volume.name)).toEqual(before);
  });

  it('resize grows; clone copies; wipe zeroes and stays sparse; delete removes', { timeout: 120_000 }, async () => {
    await call('storage.volumeResize', { hostId, pool: POOL, volume: 'over.qcow2', capacityBytes: 96 << 20 });
    expect((await qemuInfo(`${POOL_DIR}/over.qcow2`))['virtual-size']).toBe(96 << 20);

    await sh('printf "VirtDeck data" | dd of="$1" conv=notrunc 2>/dev/null', `${POOL_DIR}/base.raw`);
    await call('storage.volumeClone', { hostId, pool: POOL, volume: 'base.raw', newName: 'copy.raw' });
    expect(await qemuInfo(`${POOL_DIR}/copy.raw`)).toMatchObject({ format: 'raw', 'virtual-size': 64 << 20 });
    expect(await sh('head -c 13 "$1"', `${POOL_DIR}/copy.raw`)).toBe('VirtDeck data');

    await call('storage.volumeWipe', { hostId, pool: POOL, volume: 'copy.raw', algorithm: 'zero' });
    expect(await sh('cmp -n 67108864 "$1" /dev/zero && echo zero', `${POOL_DIR}/copy.raw`)).toBe('zero');
    expect((await qemuInfo(`${POOL_DIR}/copy.raw`))['virtual-size']).toBe(64 << 20);

    await call('storage.volumeDelete', { hostId, pool: POOL, volume: 'copy.raw' });
    expect(await sh('[ -e "$1" ] && echo there || echo gone', `${POOL_DIR}/copy.raw`)).toBe('gone');
    const tasks = lab.app.services.tasks.list();
    expect(tasks.find((task: Task) => task.titleKey === 'task.volume.clone' && task.titleParams?.newName === 'copy.raw')?.state).toBe('succeeded');
    expect(tasks.find((task: Task) => task.titleKey === 'task.volume.wipe')?.state).toBe('succeeded');
  });

  it('raw → qcow2 and vmdk conversion keep the data, and the VM can be pointed at the new volume', { timeout: 120_000 }, async () => {
    const vm = `vd-store-vm-${tag}`;
    await sh('printf "converted!" | dd of="$1" bs=1 seek=1048576 conv=notrunc 2>/dev/null', `${POOL_DIR}/base.raw`);
    const result = await call<{ path: string }>('storage.volumeConvert', { hostId, pool: POOL, volume: 'base.raw', format: 'qcow2', newName: 'base.qcow2' });
    expect(result.path).toBe(`${POOL_DIR}/base.qcow2`);
    expect(await qemuInfo(result.path)).toMatchObject({ format: 'qcow2', 'virtual-size': 64 << 20 });
    expect(await sh('qemu-img compare -f raw -F qcow2 "$1" "$2"', `${POOL_DIR}/base.raw`, result.path)).toMatch(/identical/);
    await call('storage.volumeConvert', { hostId, pool: POOL, volume: 'base.qcow2', format: 'vmdk', newName: 'base.vmdk' });
    expect((await qemuInfo(`${POOL_DIR}/base.vmdk`)).format).toBe('vmdk');
    await expectRefused(call('storage.volumeConvert', { hostId, pool: POOL, volume: 'base.raw', format: 'qcow2', newName: 'base.qcow2' }), /duplicate/);

    const xml = `<domain type='qemu'><name>${vm}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${POOL_DIR}/base.raw'/><target dev='vda' bus='virtio'/></disk></devices></domain>`;
    await defineXml(lab.app.services.hosts.get(hostId).libvirt(), 'domain', xml);
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', vm]);
    expect((await volumes()).volumes.find((volume) => volume.name === 'base.raw')?.usedBy).toEqual([vm]);
    await call('storage.retargetDisk', { hostId, vm, fromPath: `${POOL_DIR}/base.raw`, toPath: `${POOL_DIR}/base.qcow2`, format: 'qcow2' });
    const dumped = await virsh('dumpxml', vm);
    expect(dumped).toContain(`<source file='${POOL_DIR}/base.qcow2'/>`);
    expect(dumped).toMatch(/<driver name='qemu' type='qcow2'\/>/);
    expect((await volumes()).volumes.find((volume) => volume.name === 'base.qcow2')?.usedBy).toEqual([vm]);
  });

  it('a volume and a pool used by a VM refuse deletion and name it', { timeout: 60_000 }, async () => {
    const vm = `vd-store-vm-${tag}`;
    await expectRefused(call('storage.volumeDelete', { hostId, pool: POOL, volume: 'base.qcow2' }), new RegExp(`used by ${vm}`));
    const plan = await call<PoolDeletePlan>('storage.poolDeletePlan', { hostId, pool: POOL });
    expect(plan).toMatchObject({ active: true, usedBy: [vm], canDeleteData: true });
    await expect(call('storage.poolDelete', { hostId, pool: POOL, deleteData: true })).rejects.toMatchObject({ message: expect.stringContaining(`in use by ${vm}`) });
    expect(await sh('[ -e "$1" ] && echo there', `${POOL_DIR}/base.qcow2`)).toBe('there');
    await virsh('undefine', vm);
    await waitFor('the pool free of VMs', async () => ((await call<PoolDeletePlan>('storage.poolDeletePlan', { hostId, pool: POOL })).usedBy.length === 0 ? true : undefined), 20_000, 250);
  });
});

describe('uploads into a pool', () => {
  async function upload(pool: string, name: string, data: Buffer): Promise<unknown> {
    const stream = await lab.app.registry.openStream('volume.upload', { hostId, pool, name, size: data.length });
    const closed = new Promise<unknown>((resolve) => stream.onClose((error) => resolve(error)));
    for (let offset = 0; offset < data.length; offset += 1 << 20) stream.write(data.subarray(offset, offset + (1 << 20)));
    stream.control({ kind: 'end' });
    return closed;
  }

  async function download(pool: string, volume: string): Promise<Buffer> {
    const stream = await lab.app.registry.openStream('volume.download', { hostId, pool, volume });
    const chunks: Buffer[] = [];
    stream.onData((data) => chunks.push(Buffer.from(data)));
    const error = await new Promise<unknown>((resolve) => stream.onClose((closeError) => resolve(closeError)));
    expect(error).toBeUndefined();
    return Buffer.concat(chunks);
  }

  const size = 32 << 20;
  const data = Buffer.alloc(size);
  data.write('VirtDeck upload', 0);
  data.write('the end', size - 7);

  it('into a folder the user may write: through the file primitive, sparse, and back byte for byte', { timeout: 120_000 }, async () => {
    expect(await upload(POOL, 'up.img', data)).toBeUndefined();
    const [apparent, used] = (await sh('stat -c "%s %b" "$1"', `${POOL_DIR}/up.img`)).split(' ').map(Number);
    expect(apparent).toBe(size);
    expect(used! * 512).toBeLessThan(1 << 20);
    expect((await volumes()).volumes.map((volume) => volume.name)).toContain('up.img');
    expect((await download(POOL, 'up.img')).equals(data)).toBe(true);
    const task = lab.app.services.tasks.list().find((candidate: Task) => candidate.titleKey === 'task.volume.upload' && candidate.titleParams?.volume === 'up.img');
    expect(task?.state).toBe('succeeded');
    expect(task?.log?.some((line) => line.key === 'task.log.method.file')).toBe(true);
  });

  /** What the SSH user's stage folders hold on the host (nothing once a transfer has ended). */
  const stages = async () => sh('ls -A "$1/.cache/virtdeck" 2>/dev/null | grep "^transfer-" || true', `/home/${(await readLabHost(HOST)).user}`);

  it("into root's folder: staged in the user's folder, copied by libvirt on the host, sparse, and back byte for byte", { timeout: 120_000 }, async () => {
    expect(await upload(ROOT_POOL, 'up.img', data)).toBeUndefined();
    const [apparent, used] = (await sh('stat -c "%s %b" "$1"', `${ROOT_POOL_DIR}/up.img`)).split(' ').map(Number);
    expect(apparent).toBe(size);
    expect(used! * 512).toBeLessThan(1 << 20);
    expect((await download(ROOT_POOL, 'up.img')).equals(data)).toBe(true);
    const upTask = lab.app.services.tasks.list().find((candidate: Task) => candidate.titleKey === 'task.volume.upload' && candidate.titleParams?.pool === ROOT_POOL && candidate.titleParams?.volume === 'up.img');
    expect(upTask?.log?.some((line) => line.key === 'task.log.method.staged')).toBe(true);
    const downTask = lab.app.services.tasks.list().find((candidate: Task) => candidate.titleKey === 'task.volume.download' && candidate.titleParams?.pool === ROOT_POOL);
    expect(downTask?.log?.some((line) => line.key === 'task.log.method.staged')).toBe(true);
    await waitFor('the stage folders removed', async () => ((await stages()) === '' ? true : undefined), 20_000, 250);
  });

  it("an ISO and a qcow2 image into root's folder arrive byte for byte (libvirt copies the ISO, streams the qcow2 from the stage)", { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vd-store-'));
    try {
      await writeFile(path.join(dir, 'hello.txt'), 'VirtDeck ISO\n');
      await execFileAsync('xorriso', ['-as', 'mkisofs', '-quiet', '-V', 'VDTEST', '-o', path.join(dir, 'small.iso'), path.join(dir, 'hello.txt')]);
      await execFileAsync('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(dir, 'small.qcow2'), '64M']);
      for (const file of ['small.iso', 'small.qcow2']) {
        const bytes = await readFile(path.join(dir, file));
        expect(await upload(ROOT_POOL, file, bytes)).toBeUndefined();
        const onHost = await sh('sha256sum "$1" | cut -d" " -f1', `${ROOT_POOL_DIR}/${file}`);
        expect(onHost).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
      const formats = Object.fromEntries((await volumes(ROOT_POOL)).volumes.map((volume) => [volume.name, volume.format]));
      expect(formats['small.iso']).toBe('iso');
      expect(formats['small.qcow2']).toBe('qcow2');
      expect((await download(ROOT_POOL, 'small.qcow2')).equals(await readFile(path.join(dir, 'small.qcow2')))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("into root's folder with staging off: through libvirt's stream over SSH, and back byte for byte", { timeout: 120_000 }, async () => {
    process.env.VIRTDECK_STAGE_TRANSFERS = 'off';
    try {
      expect(await upload(ROOT_POOL, 'stream.img', data)).toBeUndefined();
      expect(await sh('stat -c %s "$1"', `${ROOT_POOL_DIR}/stream.img`)).toBe(String(size));
      expect((await download(ROOT_POOL, 'stream.img')).equals(data)).toBe(true);
    } finally {
      delete process.env.VIRTDECK_STAGE_TRANSFERS;
    }
    const task = lab.app.services.tasks.list().find((candidate: Task) => candidate.titleKey === 'task.volume.upload' && candidate.titleParams?.volume === 'stream.img');
    expect(task?.log?.some((line) => line.key === 'task.log.method.libvirt')).toBe(true);
  });

  for (const pool of [POOL, ROOT_POOL]) {
    it(`a cancelled upload leaves nothing (${pool === POOL ? 'file primitive' : 'staged'})`, { timeout: 120_000 }, async () => {
      const dir = pool === POOL ? POOL_DIR : ROOT_POOL_DIR;
      const partial = await lab.app.registry.openStream('volume.upload', { hostId, pool, name: 'gone.img', size });
      const partialClosed = new Promise<unknown>((resolve) => partial.onClose((error) => resolve(error)));
      partial.write(data.subarray(0, 4 << 20));
      const task = await waitFor('the cancellable upload task', () => lab.app.services.tasks.list().find((candidate: Task) => candidate.titleKey === 'task.volume.upload' && candidate.titleParams?.pool === pool && candidate.titleParams?.volume === 'gone.img' && candidate.state === 'running'), 20_000);
      await call('tasks.cancel', { taskId: task.id });
      expect(await partialClosed).toMatchObject({ code: 'cancelled' });
      await waitFor('the task cancelled', () => (lab.app.services.tasks.list().find((candidate: Task) => candidate.id === task.id)?.state === 'cancelled' ? true : undefined), 20_000);
      await waitFor('no partial file', async () => (/gone\.img|\.vdpart/.test(await sh('ls -A "$1"', dir)) ? undefined : true), 20_000, 250);
      expect((await volumes(pool)).volumes.map((volume) => volume.name)).not.toContain('gone.img');
      await waitFor('the stage folders removed', async () => ((await stages()) === '' ? true : undefined), 20_000, 250);
    });
  }

  it('a file larger than the free space is refused before a byte moves', async () => {
    await expectRefused(lab.app.registry.openStream('volume.upload', { hostId, pool: POOL, name: 'too-big.img', size: 2 ** 50 }), /larger than the free space/);
  });
});
