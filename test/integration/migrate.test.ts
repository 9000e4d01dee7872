// Live migration between two lab hosts (separate namespaces, each its own libvirtd; their
// /var/lib/libvirt is private, so the disk must be copied): the mini guest with a small qcow2
// disk and a NIC on an isolated network. Through the app's contract: the checklist refuses while
// the network is missing on the target; the source's libvirt connection to the target is set up
// with VirtDeck's consented key; a bandwidth-limited migration is cancelled and the guest keeps
// running on the source; then it migrates live with copy-storage and runs on the target only.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putFile } from '../../main/connection/hostFiles.js';
import { runRemoteJob } from '../../main/connection/remoteJob.js';
import { defineXml } from '../../main/libvirt/definitions.js';
import type { MigrationChecklist, Task } from '../../preload/contract.js';
import { labExec, miniDomainXml, miniGuestFiles, readLabHost } from '../lab/index.js';
import { LAB_USER } from '../lab/plan.js';
import { waitFor } from '../support/appEvents.js';
import { startLabApp, type LabApp } from '../support/labApp.js';
import { defineLabDirPool } from '../support/labPool.js';

const SOURCE = 'lab1';
const TARGET = 'lab2';
const tag = randomBytes(3).toString('hex');
const NAME = `vd-mig-${tag}`;
const NETWORK = `vd-mig-${tag}`;
const POOL_PATH = `/var/lib/libvirt/images/vd-mig-${tag}`;
const DISK = `${POOL_PATH}/disk.qcow2`;
let lab: LabApp;
let sourceId: string;
let targetId: string;
const cleanup: Record<string, string[][]> = { [SOURCE]: [], [TARGET]: [] };

async function virsh(host: string, ...argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = await labExec(host, ['virsh', '-c', 'qemu:///system', ...argv]);
  return { code: result.code, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

async function defineNetwork(host: string): Promise<void> {
  const xml = `<network><name>${NETWORK}</name><bridge name='vdm${tag}'/></network>`;
  await labExec(host, ['sh', '-c', 'cat > "$1"', 'sh', `/tmp/${NETWORK}.xml`], { input: xml });
  for (const argv of [['net-define', `/tmp/${NETWORK}.xml`], ['net-start', NETWORK]]) {
    const result = await virsh(host, ...argv);
    if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')} on ${host}: ${result.stderr}`);
  }
  cleanup[host]!.unshift(['virsh', '-c', 'qemu:///system', 'net-undefine', NETWORK], ['virsh', '-c', 'qemu:///system', 'net-destroy', NETWORK]);
}

const request = () => ({ hostId: sourceId, name: NAME, targetHostId: targetId, mode: 'live' as const, storage: 'copy' as const });
const check = () => lab.app.registry.call('vm.migrationCheck', request()) as Promise<MigrationChecklist>;
const summary = (list: MigrationChecklist) => list.checks.map((entry) => `${entry.id}:${entry.status}:${entry.reason} ${JSON.stringify(entry.params)}${entry.detail ? ` (${entry.detail.split('\n')[0]})` : ''}`).join('\n  ');

beforeAll(async () => {
  lab = await startLabApp();
  [sourceId, targetId] = await Promise.all([lab.addHost(SOURCE), lab.addHost(TARGET)]);
  const libvirt = lab.app.services.hosts.get(sourceId).libvirt();
  // The kernel and initrd at the same path on both hosts (QEMU on the target opens them too).
  const files = await miniGuestFiles();
  const dir = `/var/tmp/vd-mig-${tag}`;
  for (const [host, id] of [[SOURCE, sourceId], [TARGET, targetId]] as const) {
    const runner = lab.app.services.hosts.get(id).libvirt().runner;
    cleanup[host]!.push(['rm', '-rf', dir]);
    await runRemoteJob(runner, ['mkdir', '-m', '0755', dir]);
    for (const [file, local] of [['vmlinuz', files.kernel], ['initrd.gz', files.initrd]] as const) {
      const bytes = await readFile(local);
      await putFile(runner, `${dir}/${file}`, bytes, { size: bytes.length, mode: 0o644 });
    }
  }
  // The disk's directory is a pool on both hosts (libvirt creates the copy there), private to each.
  await defineLabDirPool(SOURCE, `vd-mig-${tag}`, POOL_PATH, cleanup[SOURCE]!);
  await defineLabDirPool(TARGET, `vd-mig-${tag}`, POOL_PATH, cleanup[TARGET]!);
  const created = await virsh(SOURCE, 'vol-create-as', `vd-mig-${tag}`, 'disk.qcow2', '16M', '--format', 'qcow2');
  if (created.code !== 0) throw new Error(created.stderr);
  await defineNetwork(SOURCE);
  const kvm = (await readLabHost(SOURCE)).kvm;
  const xml = miniDomainXml({ name: NAME, kvm, kernel: `${dir}/vmlinuz`, initrd: `${dir}/initrd.gz` }).replace(
    '<devices>',
    `<devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${DISK}'/><target dev='vda' bus='virtio'/></disk>
    <interface type='network'><source network='${NETWORK}'/><model type='virtio'/></interface>`,
  );
  for (const host of [SOURCE, TARGET]) cleanup[host]!.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', NAME], ['virsh', '-c', 'qemu:///system', 'destroy', '--domain', NAME]);
  await defineXml(libvirt, 'domain', xml);
  const started = await virsh(SOURCE, 'start', NAME);
  if (started.code !== 0) throw new Error(started.stderr);
  console.log(`migrate: guests run under ${kvm ? 'KVM' : 'TCG'}`);
}, 120_000);

afterAll(async () => {
  if (lab && sourceId && targetId) await lab.app.registry.call('vm.migrationKeyRemove', { hostId: sourceId, targetHostId: targetId }).catch(() => undefined);
  await labExec(SOURCE, ['sh', '-c', 'rm -f "$(getent passwd "$1" | cut -d: -f6)/.ssh/virtdeck_migrate" "$(getent passwd "$1" | cut -d: -f6)/.ssh/virtdeck_migrate.pub"', 'sh', LAB_USER]).catch(() => undefined);
  for (const host of [SOURCE, TARGET]) for (const argv of cleanup[host]!) await labExec(host, argv).catch(() => undefined);
  await lab?.close();
});

describe('migration between two lab hosts', () => {
  it('refuses a migration to the VM\u2019s own host and one whose network is missing on the target, changing nothing', { timeout: 60_000 }, async () => {
    await expect(lab.app.registry.call('vm.migrate', { ...request(), targetHostId: sourceId })).rejects.toMatchObject({ code: 'migration-refused' });
    const list = await check();
    const networks = list.checks.find((entry) => entry.id === 'networks');
    expect(networks, summary(list)).toMatchObject({ status: 'fail', reason: 'networks-missing', params: { names: NETWORK } });
    expect(list.allowed).toBe(false);
    await expect(lab.app.registry.call('vm.migrate', { ...request(), overrideWarnings: true })).rejects.toMatchObject({ code: 'migration-refused', message: expect.stringContaining('networks-missing') });
    expect((await virsh(SOURCE, 'domstate', NAME)).stdout).toBe('running');
    expect((await virsh(TARGET, 'domstate', NAME)).code).not.toBe(0);
  });

  it('sets up the source\u2019s connection to the target only with consent, checking the target\u2019s verified host key', { timeout: 60_000 }, async () => {
    await defineNetwork(TARGET);
    const before = await check();
    const connection = before.checks.find((entry) => entry.id === 'connection');
    console.log(`migrate: checklist before the key setup:\n  ${summary(before)}`);
    if (connection?.status !== 'pass') {
      expect(before.keySetup.offered).toBe(true);
      await expect(lab.app.registry.call('vm.migrationKeySetup', { hostId: sourceId, targetHostId: targetId, consent: false } as never)).rejects.toMatchObject({ code: 'bad-arguments' });
      const key = (await lab.app.registry.call('vm.migrationKeySetup', { hostId: sourceId, targetHostId: targetId, consent: true })) as { fingerprint: string };
      expect(key.fingerprint).toMatch(/^SHA256:/);
    }
    const after = await check();
    console.log(`migrate: checklist:\n  ${summary(after)}`);
    expect(after.checks.find((entry) => entry.id === 'connection')?.status).toBe('pass');
    expect(after.allowed, summary(after)).toBe(true);
  });

  it('a bandwidth-limited migration that is cancelled leaves the guest running on the source', { timeout: 120_000 }, async () => {
    const migration = lab.app.registry.call('vm.migrate', { ...request(), bandwidthMiBs: 1, overrideWarnings: true });
    const outcome = migration.then(() => 'done', (error: { code?: string }) => error.code ?? 'error');
    // Cancelled once libvirt reports the job's progress (data moving), not before.
    const progress = await waitFor('migration progress', () => lab.watch.of('migration.progress').find((event) => event.name === NAME && (event.dataProcessed ?? 0) > 0), 90_000, 200);
    const tasks = (await lab.app.registry.call('tasks.list', {})) as Task[];
    const task = tasks.find((entry) => entry.id === progress.taskId && entry.state === 'running');
    expect(task?.titleKey).toBe('task.vm.migrate');
    await lab.app.registry.call('tasks.cancel', { taskId: progress.taskId });
    expect(await outcome).toBe('cancelled');
    expect((await virsh(SOURCE, 'domstate', NAME)).stdout).toBe('running');
    expect((await virsh(TARGET, 'domstate', NAME)).code).not.toBe(0);
  });

  it('migrates live with copy-storage: running on the target, gone from the source, moved in the tree', { timeout: 180_000 }, async () => {
    const result = await lab.app.registry.call('vm.migrate', { ...request(), overrideWarnings: true });
    expect(result).toEqual({ hostId: targetId, name: NAME });
    expect((await virsh(TARGET, 'domstate', NAME)).stdout).toBe('running');
    expect(/^Persistent:\s+yes/m.test((await virsh(TARGET, 'dominfo', NAME)).stdout)).toBe(true);
    expect((await virsh(SOURCE, 'domstate', NAME)).code).not.toBe(0);
    // The disk was copied into the target's own pool directory.
    expect((await labExec(TARGET, ['qemu-img', 'info', '-U', DISK])).code).toBe(0);
    const inventories = await Promise.all([sourceId, targetId].map((hostId) => lab.app.registry.call('inventory.get', { hostId }) as Promise<{ vms: { name: string }[] }>));
    expect(inventories[0]!.vms.some((vm) => vm.name === NAME)).toBe(false);
    expect(inventories[1]!.vms.some((vm) => vm.name === NAME)).toBe(true);
  });
});
