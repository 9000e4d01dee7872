// The new-VM wizard's create on a lab host's real libvirtd, through the app's own calls:
// (i) a URL-tree install (a Debian-layout tree served from this machine on the lab bridge, the
// mini guest's kernel + busybox initrd): the host fetches kernel and initrd into boot-scratch,
// the final definition is defined, the install definition runs (direct kernel boot); when the
// install phase ends (the guest stops, as on_reboot=destroy makes it at the installer's reboot)
// the watcher starts it from its final definition (no <kernel>) and removes the boot files;
// (ii) a create that fails at the define step undoes its volume and boot files; (iii) bad
// inputs come back as problems on their page and change nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WizardSpec } from '../../preload/contract.js';
import { labExec, readLabHost } from '../lab/index.js';
import { startInstallSources, type InstallSources } from '../lab/installTree.js';
import { startLabApp, type LabApp } from '../support/labApp.js';

const HOST = 'lab1';
const tag = randomBytes(3).toString('hex');
const POOL = `vd-wiz-${tag}`;
const POOL_DIR = `/var/tmp/vd-wiz-pool-${tag}`;
const GOOD = `vd-wizok-${tag}`;
const FAIL = `vd-wizfail-${tag}`;

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
    installTestHooks: { finalXml: (xml) => (xml.includes(`<name>${FAIL}</name>`) ? xml.replace('<devices>', '<devices><emulator>/nonexistent/qemu-vd</emulator>') : xml) },
  });
  hostId = await lab.addHost(HOST);
  await sh('mkdir', '-p', POOL_DIR);
  cleanup.push(['rm', '-rf', POOL_DIR]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-destroy', POOL]);
  await virsh('pool-create-as', POOL, 'dir', '--target', POOL_DIR);
  await lab.app.services.hosts.get(hostId).refresh();
}, 180_000);

afterAll(async () => {
  for (const name of [GOOD, FAIL]) {
    await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]).catch(() => undefined);
    await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name]).catch(() => undefined);
    for (const file of ['kernel', 'initrd']) await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'vol-delete', '--pool', 'boot-scratch', '--vol', `${name}-${file}`]).catch(() => undefined);
  }
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
