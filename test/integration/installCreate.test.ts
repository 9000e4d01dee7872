// The new-VM wizard's create on a lab host's real libvirtd, through the app's own calls:
// (i) a URL-tree install (a Debian-layout tree served from this machine on the lab bridge, the
// mini guest's kernel + busybox initrd): the host fetches kernel and initrd into boot-scratch,
// the final definition is defined, the install definition runs (direct kernel boot); when the
// install phase ends (the guest stops, as on_reboot=destroy makes it at the installer's reboot)
// the watcher starts it from its final definition (no <kernel>) and removes the boot files;
// (ii) a create that fails at the define step undoes its volume and boot files; (iii) bad
// inputs come back as problems on their page and change nothing.
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic } from 'vitest';
import type { WizardSpec } from '../../preload/contract.js';
import { labExec, readLabHost } from '../lab/index.js';
import { putFile } from '../../main/connection/hostFiles.js';
import type { LibvirtHost } from '../../main/libvirt/libvirtHost.js';
import { putTftpRoot, startInstallSources, type InstallSources } from '../lab/installTree.js';
import { startLabApp, type LabApp } from '../support/labApp.js';

const HOST = 'lab1';
const tag = randomBytes(3).toString('hex');
const POOL = `vd-wiz-${tag}`;
const POOL_DIR = `/var/tmp/vd-wiz-pool-${tag}`;
const GOOD = `vd-wizok-${tag}`;
const FAIL = `vd-wizfail-${tag}`;
const CLOUD = `vd-wizcloud-${tag}`;
const IMPORT = `vd-wizimp-${tag}`;
const IMPORT_FAIL = `vd-wizimpfail-${tag}`;
const PXE = `vd-wizpxe-${tag}`;
const PXE_NET = `vd-wiznet-${tag}`;
const TFTP = `/var/tmp/vd-wiz-tftp-${tag}`;
const FAILING = new Set([FAIL, IMPORT_FAIL]);

let lab: LabApp;
let hostId: string;
let sources: InstallSources;
let kvm = false;
const cleanup: string[][] = [];
const started = Date.now();

async function sh(...argv: string[]): Promise<string> {
  const result = await labExec(HOST, argv);
  if (result.code !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}
const virsh = (...argv: string[]) => sh('virsh', '-c', 'qemu:///system', ...argv);
const tryVirsh = async (...argv: string[]) => (await labExec(HOST, ['virsh', '-c', 'qemu:///system', ...argv])).stdout.trim();
const call = <T>(name: string, args: unknown) => lab.app.registry.call(name as never, args as never) as Promise<T>;

function spec(name: string, changes: Partial<WizardSpec> = {}): WizardSpec {
  return {
    name,
    domainType: kvm ? 'kvm' : 'qemu',
    arch: 'x86_64',
    osId: 'http://debian.org/debian/12',
    memoryMiB: 256,
    vcpus: 1,
    firmware: 'bios',
    source: { kind: 'url', url: sources.debianUrl, kernelArgs: 'console=ttyS0' },
    storage: { kind: 'new', pool: POOL, sizeGiB: 0.0625, format: 'qcow2', sparse: true },
    diskBus: 'virtio',
    network: { kind: 'none' },
    ...changes,
  };
}

beforeAll(async () => {
  kvm = (await readLabHost(HOST)).kvm;
  sources = await startInstallSources({ flavour: 'mini' });
  lab = await startLabApp({
    // (ii): an emulator that does not exist, for the failing create only.
    installTestHooks: { finalXml: (xml) => ([...FAILING].some((name) => xml.includes(`<name>${name}</name>`)) ? xml.replace('<devices>', '<devices><emulator>/nonexistent/qemu-vd</emulator>') : xml) },
  });
  hostId = await lab.addHost(HOST);
  await sh('mkdir', '-p', POOL_DIR);
  cleanup.push(['rm', '-rf', POOL_DIR]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-destroy', POOL]);
  await virsh('pool-create-as', POOL, 'dir', '--target', POOL_DIR);
  // The lab's media onto the host through the file primitive, into the pool's folder.
  const runner = (lab.app.services.hosts.get(hostId).libvirt() as LibvirtHost).runner;
  await sh('chmod', '1777', POOL_DIR); // the app's login user puts the files; libvirtd (root) reads them
  for (const local of [sources.iso, sources.isoQcow2, sources.cloudQcow2]) {
    const bytes = await readFile(local);
    await putFile(runner, `${POOL_DIR}/${path.basename(local)}`, bytes, { size: bytes.length, mode: 0o644 });
  }
  cleanup.unshift(['rm', '-rf', TFTP]);
  await putTftpRoot(runner, TFTP, 'mini');
  await virsh('pool-refresh', '--pool', POOL);
  await lab.app.services.hosts.get(hostId).refresh();
}, 180_000);

afterAll(async () => {
  for (const name of [GOOD, FAIL, CLOUD, IMPORT, IMPORT_FAIL, PXE]) {
    await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]).catch(() => undefined);
    await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name]).catch(() => undefined);
    for (const file of ['kernel', 'initrd']) await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'vol-delete', '--pool', 'boot-scratch', '--vol', `${name}-${file}`]).catch(() => undefined);
  }
  await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'net-destroy', '--network', PXE_NET]).catch(() => undefined);
  await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'net-undefine', '--network', PXE_NET]).catch(() => undefined);
  for (const argv of cleanup) await labExec(HOST, argv).catch(() => undefined);
  await lab?.close();
  await sources?.stop();
  console.log(`installCreate: ${((Date.now() - started) / 1000).toFixed(1)} s wall time`);
});

describe('install.create', () => {
  it('bad inputs: problems on their page, nothing changes', { timeout: 60_000 }, async () => {
    const before = await virsh('list', '--all', '--name');
    const volumes = await virsh('vol-list', '--pool', POOL);
    const result = await call<{ ok: boolean; step?: string; problems?: { page: string; key: string }[] }>('install.create', {
      hostId,
      spec: spec('bad name/with slash', { memoryMiB: 64 * 1024 * 1024, storage: { kind: 'new', pool: 'no-such-pool', sizeGiB: 1, format: 'qcow2', sparse: true } }),
      start: true,
    });
    expect(result.ok).toBe(false);
    expect(result.step).toBe('check');
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ page: 'name', key: 'nameInvalid' }),
        expect.objectContaining({ page: 'resources', key: 'memoryBeyondHost' }),
        expect.objectContaining({ page: 'storage', key: 'poolMissing' }),
      ]),
    );
    // An install-phase source must start at once (nothing would boot its installer later).
    expect(await call('install.create', { hostId, spec: spec(GOOD), start: false })).toMatchObject({ ok: false, step: 'check', problems: [{ page: 'name', key: 'installNeedsStart' }] });
    const preview = await call<{ problems: unknown[]; installXml?: string }>('install.preview', { hostId, spec: spec(GOOD) });
    expect(preview.problems).toEqual([]);
    expect(preview.installXml).toContain('<kernel>');
    expect(await virsh('list', '--all', '--name')).toBe(before);
    expect(await virsh('vol-list', '--pool', POOL)).toBe(volumes);
  });

  it('a create failing at define leaves no volume and no boot files', { timeout: 120_000 }, async () => {
    const result = await call<{ ok: boolean; step?: string; message?: string }>('install.create', { hostId, spec: spec(FAIL), start: true });
    expect(result).toMatchObject({ ok: false, step: 'define' });
    expect(await tryVirsh('list', '--all', '--name')).not.toContain(FAIL);
    expect(await virsh('vol-list', '--pool', POOL)).not.toContain(FAIL);
    expect(await tryVirsh('vol-list', '--pool', 'boot-scratch')).not.toContain(FAIL);
  });

  it('a URL install boots the installer, then the watcher starts the final definition and removes the boot files', { timeout: 240_000 }, async () => {
    const result = await call<{ ok: boolean; name: string; started: boolean }>('install.create', { hostId, spec: spec(GOOD), start: true });
    expect(result).toMatchObject({ ok: true, name: GOOD, started: true });
    expect(await virsh('domstate', '--domain', GOOD)).toBe('running');
    const live = await virsh('dumpxml', '--domain', GOOD);
    expect(live).toMatch(/<kernel>\/var\/lib\/libvirt\/boot\/.*-kernel<\/kernel>/);
    expect(live).toContain('<on_reboot>destroy</on_reboot>');
    expect(await virsh('dumpxml', '--inactive', '--domain', GOOD)).not.toContain('<kernel>');
    expect(await virsh('vol-list', '--pool', 'boot-scratch')).toContain(`${GOOD}-kernel`);
    // The install phase ends as at the installer's reboot: the guest stops (on_reboot=destroy).
    await virsh('destroy', '--domain', GOOD);
    await expect
      .poll(async () => {
        const state = await tryVirsh('domstate', '--domain', GOOD);
        const xml = state === 'running' ? await tryVirsh('dumpxml', '--domain', GOOD) : '';
        return state === 'running' && !xml.includes('<kernel>') && !(await tryVirsh('vol-list', '--pool', 'boot-scratch')).includes(GOOD);
      }, { timeout: 120_000, interval: 1_000 })
      .toBe(true);
  });
});

// The other sources and the ISO calls, concurrently (one guest boot each for cloud, import, PXE).
describe.concurrent('install sources through the contract', () => {
  const onHost = (local: string) => `${POOL_DIR}/${path.basename(local)}`;
  const running = (name: string, local: ExpectStatic) => local.poll(() => tryVirsh('domstate', '--domain', name), { timeout: 60_000, interval: 1_000 }).toBe('running');

  it('inspectIso: the ISO in the pool; a qcow2 and a missing path are iso-unreadable', { timeout: 60_000 }, async () => {
    const iso = await call<{ ok: boolean; iso?: { path: string; sizeBytes: number } }>('install.inspectIso', { hostId, path: onHost(sources.iso) });
    expect(iso).toMatchObject({ ok: true, iso: { path: onHost(sources.iso), sizeBytes: (await stat(sources.iso)).size } });
    for (const bad of [onHost(sources.isoQcow2), `${POOL_DIR}/missing.iso`]) {
      expect(await call('install.inspectIso', { hostId, path: bad })).toEqual({ ok: false, problem: { reason: 'iso-unreadable', params: { path: bad } } });
    }
  });

  it('downloadIso: the host fetches the ISO into the pool; a bad URL is unreachable and leaves no volume', { timeout: 120_000 }, async () => {
    const name = `dl-${tag}.iso`;
    const done = await call<{ ok: boolean; path?: string }>('install.downloadIso', { hostId, url: sources.isoUrl, pool: POOL, name });
    expect(done).toEqual({ ok: true, path: `${POOL_DIR}/${name}` });
    expect(await sh('stat', '-c', '%s', `${POOL_DIR}/${name}`)).toBe(String((await stat(sources.iso)).size));
    expect(await virsh('vol-list', '--pool', POOL)).toContain(name);
    const bad = await call<{ ok: boolean; problem?: { reason: string } }>('install.downloadIso', { hostId, url: `${sources.isoUrl}.missing`, pool: POOL, name: `bad-${name}` });
    expect(bad).toMatchObject({ ok: false, problem: { reason: 'unreachable' } });
    expect(await virsh('vol-list', '--pool', POOL)).not.toContain(`bad-${name}`);
  });

  it('cloud: a qcow2 overlay on the base volume and a seed CD-ROM; the guest runs', { timeout: 180_000 }, async ({ expect: local }) => {
    const base = path.basename(sources.cloudQcow2);
    const result = await call('install.create', {
      hostId,
      spec: spec(CLOUD, { source: { kind: 'cloud', base: { pool: POOL, volume: base }, cloudInit: { hostname: CLOUD, user: 'deploy', password: `pw-${tag}`, sshKeys: [`ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${'k'.repeat(43)} vd@lab`] } }, storage: { kind: 'none' } }),
      start: true,
    });
    expect(result).toMatchObject({ ok: true, name: CLOUD, started: true });
    await running(CLOUD, local);
    const overlay = await virsh('vol-dumpxml', '--pool', POOL, '--vol', `${CLOUD}.qcow2`);
    expect(overlay).toContain("<format type='qcow2'/>");
    expect(overlay).toMatch(new RegExp(`<backingStore>\\s*<path>${POOL_DIR}/${base}</path>`));
    const live = await virsh('dumpxml', '--domain', CLOUD);
    expect(live).toMatch(/<disk type='(file|volume)' device='cdrom'>[\s\S]*?-seed\.iso/);
  });

  it('import: the disk is used as it is and the guest runs; a failing import never deletes the disk', { timeout: 180_000 }, async ({ expect: local }) => {
    const disk = onHost(sources.isoQcow2);
    const importSpec = (name: string) => spec(name, { source: { kind: 'import', path: disk }, storage: { kind: 'none' } });
    const failed = await call('install.create', { hostId, spec: importSpec(IMPORT_FAIL), start: true });
    expect(failed).toMatchObject({ ok: false, step: 'define' });
    expect(await sh('stat', '-c', '%s', disk)).toBe(String((await stat(sources.isoQcow2)).size));
    const result = await call('install.create', { hostId, spec: importSpec(IMPORT), start: true });
    expect(result).toMatchObject({ ok: true, name: IMPORT, started: true });
    await running(IMPORT, local);
    expect(await virsh('dumpxml', '--domain', IMPORT)).toContain(`<source file='${disk}'`);
  });

  it('pxe: on a network made by createPxeNetwork, network then disk; the guest runs', { timeout: 180_000 }, async ({ expect: local }) => {
    const net = await call('install.createPxeNetwork', { hostId, spec: { name: PXE_NET, tftpRoot: TFTP, firmware: 'bios' } });
    expect(net).toEqual({ ok: true, name: PXE_NET, bootFile: 'pxelinux.0' });
    await lab.app.services.hosts.get(hostId).refresh();
    const result = await call('install.create', { hostId, spec: spec(PXE, { source: { kind: 'pxe' }, network: { kind: 'network', name: PXE_NET } }), start: true });
    expect(result).toMatchObject({ ok: true, name: PXE, started: true });
    await running(PXE, local);
    // The install phase (the running definition) boots network first, then the disk.
    const xml = await virsh('dumpxml', '--domain', PXE);
    expect(xml).toMatch(/<boot dev='network'\/>\s*<boot dev='hd'\/>/);
  });
});
