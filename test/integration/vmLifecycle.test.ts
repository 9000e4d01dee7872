// Every lifecycle action through the app's own contract calls, on the mini guest (a real Linux
// guest, booted for real) on a lab host, for a plain name and for a hostile one; each outcome
// read back on the host itself with `virsh domstate --reason`, `dominfo` and `list --autostart`.
// Managed save then start restores the guest (reason "restored"); the mini guest has no ACPI
// daemon, so a shutdown runs into its deadline and says so (`timeout`), the guest still up; a
// bulk action across both VMs is one task with a log line per VM.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putFile } from '../../main/connection/hostFiles.js';
import { runRemoteJob } from '../../main/connection/remoteJob.js';
import { defineXml } from '../../main/libvirt/definitions.js';
import type { HostInventory, Task, VmActionOutcome, VmSummary } from '../../preload/contract.js';
import { labExec, miniDomainXml, miniGuestFiles, readLabHost } from '../lab/index.js';
import { startLabApp, type LabApp } from '../support/labApp.js';

const HOST = 'lab3';
const tag = randomBytes(3).toString('hex');
const marker = `vd-pwned-life-${tag}`;
const PLAIN = `vd-life-${tag}`;
// Quotes, a command substitution, a leading dash, spaces and CJK: the argv must carry it whole.
const HOSTILE = `--life "q" 'x' $(touch ${marker}) 中文 ${tag}`;
let lab: LabApp;
let hostId: string;
const cleanup: string[][] = [];

async function virsh(...argv: string[]): Promise<string> {
  const result = await labExec(HOST, ['virsh', '-c', 'qemu:///system', ...argv]);
  if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

const domstate = (name: string) => virsh('domstate', '--reason', '--domain', name);
const managedSaveOnHost = async (name: string) => /^Managed save:\s+yes$/m.test(await virsh('dominfo', '--domain', name));

async function act(name: string, action: string, extra: Record<string, unknown> = {}): Promise<void> {
  await lab.app.registry.call('vm.action', { hostId, name, action, ...extra } as never);
}

async function summary(name: string): Promise<VmSummary | undefined> {
  const inventory = (await lab.app.registry.call('inventory.get', { hostId })) as HostInventory;
  return inventory.vms.find((vm) => vm.name === name);
}

beforeAll(async () => {
  lab = await startLabApp();
  hostId = await lab.addHost(HOST);
  const libvirt = lab.app.services.hosts.get(hostId).libvirt();
  const files = await miniGuestFiles();
  const dir = `/var/tmp/vd-life-${tag}`;
  cleanup.push(['rm', '-rf', dir]);
  await runRemoteJob(libvirt.runner, ['mkdir', '-m', '0755', dir]);
  for (const [file, local] of [['vmlinuz', files.kernel], ['initrd.gz', files.initrd]] as const) {
    const bytes = await readFile(local);
    await putFile(libvirt.runner, `${dir}/${file}`, bytes, { size: bytes.length, mode: 0o644 });
  }
  const kvm = (await readLabHost(HOST)).kvm;
  for (const name of [PLAIN, HOSTILE]) {
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--managed-save', '--domain', name]);
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]);
    await defineXml(libvirt, 'domain', miniDomainXml({ name, kvm, kernel: `${dir}/vmlinuz`, initrd: `${dir}/initrd.gz` }));
  }
  console.log(`vmLifecycle: guests run under ${kvm ? 'KVM' : 'TCG'}`);
}, 120_000);

afterAll(async () => {
  for (const argv of cleanup) await labExec(HOST, argv).catch(() => undefined);
  await lab?.close();
});

describe.each([
  ['a plain name', PLAIN],
  ['a hostile name', HOSTILE],
])('lifecycle of a running guest with %s', (_label, name) => {
  it('start, pause, resume, reboot, and a shutdown the guest ignores', { timeout: 120_000 }, async () => {
    await act(name, 'start');
    expect(await domstate(name)).toBe('running (booted)');
    await act(name, 'suspend');
    expect(await domstate(name)).toBe('paused (user)');
    expect((await summary(name))?.state).toBe('paused');
    await act(name, 'resume');
    expect(await domstate(name)).toBe('running (unpaused)');
    // The request is accepted; the guest (no ACPI daemon) stays up.
    await act(name, 'reboot');
    expect(await domstate(name)).toMatch(/^running/);
    const started = Date.now();
    await expect(act(name, 'shutdown', { shutdownTimeoutS: 3 })).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect(await domstate(name)).toMatch(/^running/);
    const task = lab.app.services.tasks.list().find((entry) => entry.titleKey === 'task.vm.shutdown' && entry.titleParams?.name === name);
    expect(task?.state).toBe('failed');
    expect(task?.log?.[0]?.text).toContain('virsh shutdown --domain');
  });

  it('managed save, shown as saved; start restores it; discard drops the image', { timeout: 180_000 }, async () => {
    await act(name, 'save');
    expect(await domstate(name)).toBe('shut off (saved)');
    expect(await managedSaveOnHost(name)).toBe(true);
    expect(await summary(name)).toMatchObject({ state: 'shutoff', managedSave: true });
    const saveTask = lab.app.services.tasks.list().find((entry) => entry.titleKey === 'task.vm.save' && entry.titleParams?.name === name);
    expect(saveTask).toMatchObject({ state: 'succeeded', cancellable: true });

    await act(name, 'start');
    expect(await domstate(name)).toBe('running (restored)');
    // The task says what happened: a restore, not a fresh start.
    expect(lab.app.services.tasks.list().some((entry) => entry.titleKey === 'task.vm.restore' && entry.titleParams?.name === name && entry.state === 'succeeded')).toBe(true);
    expect(await managedSaveOnHost(name)).toBe(false);
    expect((await summary(name))?.managedSave).toBeUndefined();

    await act(name, 'save');
    expect(await managedSaveOnHost(name)).toBe(true);
    await act(name, 'discard-save');
    expect(await managedSaveOnHost(name)).toBe(false);
    expect(await domstate(name)).toMatch(/^shut off/);
    expect((await summary(name))?.managedSave).toBeUndefined();
  });

  it('autostart on and off, read back from the host', { timeout: 60_000 }, async () => {
    await act(name, 'autostart-enable');
    expect((await virsh('list', '--all', '--autostart', '--name')).split('\n')).toContain(name);
    expect((await summary(name))?.autostart).toBe(true);
    await act(name, 'autostart-disable');
    expect((await virsh('list', '--all', '--autostart', '--name')).split('\n')).not.toContain(name);
    expect((await summary(name))?.autostart).toBe(false);
  });

  it('force off', { timeout: 60_000 }, async () => {
    await act(name, 'start');
    await act(name, 'destroy');
    expect(await domstate(name)).toBe('shut off (destroyed)');
  });
});

describe('bulk actions', () => {
  it('act on both guests as one task with a log line per VM, and report each outcome', { timeout: 120_000 }, async () => {
    const targets = [PLAIN, HOSTILE].map((name) => ({ hostId, name }));
    const started = (await lab.app.registry.call('vm.bulkAction', { targets, action: 'start' })) as VmActionOutcome[];
    expect(started.map((outcome) => outcome.ok)).toEqual([true, true]);
    for (const name of [PLAIN, HOSTILE]) expect(await domstate(name)).toBe('running (booted)');
    const task = lab.app.services.tasks.list().find((entry: Task) => entry.titleKey === 'task.bulk.start');
    expect(task).toMatchObject({ state: 'succeeded', progress: 1, titleParams: { count: '2' } });
    expect(task?.log?.filter((line) => line.key === 'taskLog.vmDone').map((line) => line.params?.name).sort()).toEqual([PLAIN, HOSTILE].sort());

    // One of the two is already off: it fails on its own, the other is forced off.
    await virsh('destroy', '--domain', PLAIN);
    const forced = (await lab.app.registry.call('vm.bulkAction', { targets, action: 'destroy' })) as VmActionOutcome[];
    expect(forced.find((outcome) => outcome.name === PLAIN)).toMatchObject({ ok: false, error: { code: 'libvirt-error' } });
    expect(forced.find((outcome) => outcome.name === HOSTILE)?.ok).toBe(true);
    expect(await domstate(HOSTILE)).toBe('shut off (destroyed)');
    const failedTask = lab.app.services.tasks.list().find((entry: Task) => entry.titleKey === 'task.bulk.destroy');
    expect(failedTask?.state).toBe('failed');
    expect(failedTask?.log?.find((line) => line.key === 'taskLog.vmFailed')?.params?.name).toBe(PLAIN);
  });

  it('ran no name as a command', async () => {
    const result = await labExec(HOST, ['sh', '-c', `ls -a ~ /tmp / 2>/dev/null | grep -c -- '${marker}' || true`]);
    expect(result.stdout.trim()).toBe('0');
  });
});
