// Snapshots and deleting a VM through the UI in web mode, against a lab host's real libvirtd:
// take a snapshot of a qcow2 guest in the VM tab's Snapshots section, revert to it (data
// written after it is gone, read with qemu-io on the host), delete it; a raw-disk VM shows why
// internal snapshots are impossible; delete a running VM from the Manage menu, typing its name,
// with exactly the volumes ticked (its ISO kept by default).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labExec } from '../lab/index.js';
import { startLabSession, type LabSession } from './labSession.js';
import { RESULTS_DIR } from './webModeHarness.js';

const HOST = 'lab2';
const tag = randomBytes(3).toString('hex');
const POOL = `vd-e2e-manage-${tag}`;
const POOL_DIR = `/var/tmp/${POOL}`;
let lab: LabSession;
let page: Page;
let hostId: string;
let cleanup: string[][];

const virsh = async (...argv: string[]): Promise<string> => (await lab.virsh(...argv)).trim();

async function qemuIoOk(path: string, command: string): Promise<boolean> {
  // A read opens the image read-only: it then needs no write lock, which a pool refresh's
  // image probe on the host (or any other reader) could be holding up for a moment.
  const readOnly = command.startsWith('read') ? ['-r'] : [];
  const result = await labExec(HOST, ['qemu-io', ...readOnly, '-f', 'qcow2', '-c', command, path]);
  const ok = result.code === 0 && !/Pattern verification failed/.test(result.stdout);
  if (!ok) console.log(`qemu-io ${command} ${path}: exit ${result.code}\n${result.stdout}${result.stderr}`);
  return ok;
}

async function volumes(): Promise<string[]> {
  await virsh('pool-refresh', POOL);
  return (await virsh('vol-list', '--pool', POOL)).split('\n').map((line) => line.trim().split(/\s+/)[0]!).filter(Boolean).sort();
}

async function defineVm(name: string, disks: string): Promise<void> {
  const xml = `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type><boot dev='hd'/></os><devices>${disks}<graphics type='vnc' autoport='yes' listen='127.0.0.1'/><video><model type='vga'/></video><memballoon model='none'/></devices></domain>`;
  await labExec(HOST, ['sh', '-c', 'cat > "$1"', 'sh', `${POOL_DIR}/../${name}.xml`], { input: xml });
  await virsh('define', `${POOL_DIR}/../${name}.xml`);
  cleanup.unshift(['rm', '-f', `${POOL_DIR}/../${name}.xml`]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name, '--snapshots-metadata']);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]);
}

const disk = (file: string, format: string, dev: string) => `<disk type='file' device='disk'><driver name='qemu' type='${format}'/><source file='${POOL_DIR}/${file}'/><target dev='${dev}' bus='virtio'/></disk>`;

async function openVm(name: string) {
  await page.locator('[data-testid="tree-filter"]').fill(name);
  await page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"] [data-testid="tree-vm"][data-vm-name="${name}"]`).click();
  const details = page.locator(`[data-testid="vm-details"][data-vm-name="${name}"]`);
  await details.waitFor();
  return details;
}

beforeAll(async () => {
  lab = await startLabSession(HOST);
  ({ page, hostId, cleanup } = lab);
  await lab.definePool(POOL, POOL_DIR);
}, 120_000);

afterAll(async () => {
  await lab?.close();
});

describe('snapshots in the VM tab', () => {
  it('takes a snapshot, reverts to it (what was written after is gone) and deletes it', { timeout: 180_000 }, async () => {
    const vm = `e2e-snap-${tag}`;
    await virsh('vol-create-as', '--pool', POOL, '--name', `${vm}.qcow2`, '--capacity', '64M', '--format', 'qcow2');
    const path = `${POOL_DIR}/${vm}.qcow2`;
    await defineVm(vm, disk(`${vm}.qcow2`, 'qcow2', 'vda'));
    expect(await qemuIoOk(path, 'write -P 0x11 0 64k')).toBe(true);

    const details = await openVm(vm);
    await details.locator('[data-testid="vm-section-snapshots"]').click();
    const section = details.locator('[data-testid="vm-snapshots"]');
    await section.locator('[data-testid="snapshots-empty"]').waitFor();
    await section.locator('[data-testid="snapshot-create"]').click();
    const dialog = page.locator('[data-testid="snapshot-create-dialog"]');
    await dialog.waitFor();
    // Bad names are refused in the form.
    await dialog.locator('[data-testid="snapshot-name"]').fill('has space');
    await expect.poll(() => dialog.locator('[data-testid="snapshot-name-error"]').isVisible()).toBe(true);
    await dialog.locator('[data-testid="snapshot-create-ok"]').click();
    await dialog.waitFor({ timeout: 1_000 });
    expect(await dialog.locator('[data-testid="snapshot-kind-internal"] input').isChecked()).toBe(true);
    expect(await dialog.locator('[data-testid="snapshot-kind-external-memory"]').getAttribute('data-available')).toBe('false');
    await dialog.locator('[data-testid="snapshot-name"]').fill('before-change');
    await dialog.locator('[data-testid="snapshot-description"]').fill('taken through the UI');
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-snapshot-create-en.png') });
    await dialog.locator('[data-testid="snapshot-create-ok"]').click();
    await dialog.waitFor({ state: 'detached' });
    const row = section.locator('[data-testid="snapshot-row"][data-snapshot="before-change"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('data-current')).toBe('true');
    expect(await row.innerText()).toContain('taken through the UI');
    expect(await virsh('snapshot-list', vm, '--name')).toBe('before-change');

    expect(await qemuIoOk(path, 'write -P 0x22 0 64k')).toBe(true);
    await row.locator('[data-testid="snapshot-revert"]').click();
    await page.locator('[data-testid="snapshot-revert-dialog"] [data-testid="confirm-ok"]').click();
    await expect.poll(async () => qemuIoOk(path, 'read -P 0x11 0 64k'), { timeout: 30_000 }).toBe(true);
    expect(await qemuIoOk(path, 'read -P 0x22 0 64k')).toBe(false);

    // A second one, taken after the revert, is its child; the tree shows it under it.
    await section.locator('[data-testid="snapshot-create"]').click();
    await dialog.waitFor();
    expect(await dialog.locator('[data-testid="snapshot-name"]').inputValue()).toBe('snapshot-1');
    await dialog.locator('[data-testid="snapshot-create-ok"]').click();
    const child = section.locator('[data-testid="snapshot-row"][data-snapshot="snapshot-1"]');
    await child.waitFor({ timeout: 30_000 });
    expect(await child.getAttribute('data-parent')).toBe('before-change');
    expect(await child.getAttribute('data-current')).toBe('true');
    await expect.poll(() => row.getAttribute('data-current')).toBe('false');
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-snapshots-en.png') });

    // Deleting the first with its children removes both.
    await row.locator('[data-testid="snapshot-delete"]').click();
    const confirm = page.locator('[data-testid="snapshot-delete-dialog"]');
    await confirm.locator('[data-testid="snapshot-delete-children"]').check();
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-snapshot-delete-en.png') });
    await confirm.locator('[data-testid="confirm-ok"]').click();
    await section.locator('[data-testid="snapshots-empty"]').waitFor({ timeout: 30_000 });
    expect(await virsh('snapshot-list', vm, '--name')).toBe('');
  });

  it('a raw-disk VM explains why internal snapshots are not possible', { timeout: 60_000 }, async () => {
    const vm = `e2e-raw-${tag}`;
    await virsh('vol-create-as', '--pool', POOL, '--name', `${vm}.img`, '--capacity', '16M', '--format', 'raw');
    await defineVm(vm, disk(`${vm}.img`, 'raw', 'vda'));
    const details = await openVm(vm);
    await details.locator('[data-testid="vm-section-snapshots"]').click();
    const note = details.locator('[data-testid="snapshots-raw"]');
    await note.waitFor({ timeout: 30_000 });
    expect(await note.innerText()).toMatch(/raw/);
    expect(await note.innerText()).toMatch(/qcow2/);
    await details.locator('[data-testid="snapshot-create"]').click();
    const dialog = page.locator('[data-testid="snapshot-create-dialog"]');
    expect(await dialog.locator('[data-testid="snapshot-kind-internal"]').getAttribute('data-available')).toBe('false');
    expect(await dialog.locator('[data-testid="snapshot-kind-internal"]').innerText()).toMatch(/raw/);
    expect(await dialog.locator('[data-testid="snapshot-kind-external-disk"] input').isChecked()).toBe(true);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-snapshot-create-raw-en.png') });
    await dialog.locator('button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-snapshots-raw-en.png') });
    // The same explanation in Chinese.
    await page.locator('[data-testid="language-select"]').selectOption('zh-CN');
    await expect.poll(() => note.innerText()).toContain('qcow2 格式');
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-snapshots-raw-zh-CN.png') });
    await page.locator('[data-testid="language-select"]').selectOption('en');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
  });
});

describe('cloning a VM from its tab', () => {
  it('refuses a taken or invalid name in the form, then clones with a copied disk', { timeout: 120_000 }, async () => {
    const vm = `e2e-snap-${tag}`;
    const copy = `e2e-copy-${tag}`;
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', copy]);
    const details = await openVm(vm);
    await details.locator('[data-testid="vm-manage"]').click();
    await page.locator('[data-testid="vm-manage-clone"]').click();
    const dialog = page.locator('[data-testid="clone-dialog"]');
    await dialog.waitFor();
    const name = dialog.locator('[data-testid="clone-name"]');
    await name.fill(vm);
    expect(await dialog.locator('[data-testid="clone-name-error"]').innerText()).toMatch(/exists/);
    expect(await dialog.locator('[data-testid="clone-ok"]').isDisabled()).toBe(true);
    await name.fill('bad/name');
    expect(await dialog.locator('[data-testid="clone-name-error"]').innerText()).toMatch(/letters/i);
    await name.fill(copy);
    const row = dialog.locator('[data-testid="clone-disk"][data-target="vda"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('data-action')).toBe('copy');
    expect(await row.innerText()).toContain(`${copy}.qcow2`);
    await expect.poll(() => dialog.locator('[data-testid="clone-ok"]').isDisabled()).toBe(false);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-clone-en.png') });
    await dialog.locator('[data-testid="clone-ok"]').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-testid="tree-filter"]').fill(copy);
    await page.locator(`[data-testid="tree-vm"][data-vm-name="${copy}"]`).waitFor({ timeout: 60_000 });
    expect(await virsh('domblklist', copy)).toContain(`${POOL_DIR}/${copy}.qcow2`);
    expect(await qemuIoOk(`${POOL_DIR}/${copy}.qcow2`, 'read -P 0x11 0 64k')).toBe(true);
  });
});

describe('deleting a VM from its tab', () => {
  it('a running VM: its name must be typed; exactly the ticked volumes go, the ISO stays', { timeout: 120_000 }, async () => {
    const vm = `e2e-del-${tag}`;
    for (const [name, format, size] of [[`${vm}.qcow2`, 'qcow2', '64M'], [`${vm}-data.qcow2`, 'qcow2', '16M'], [`${vm}.iso`, 'raw', '1M']] as const) {
      await virsh('vol-create-as', '--pool', POOL, '--name', name, '--capacity', size, '--format', format);
    }
    await defineVm(
      vm,
      disk(`${vm}.qcow2`, 'qcow2', 'vda') +
        disk(`${vm}-data.qcow2`, 'qcow2', 'vdb') +
        `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='${POOL_DIR}/${vm}.iso'/><target dev='sda' bus='sata'/><readonly/></disk>`,
    );
    await virsh('start', vm);
    const before = await volumes();
    const details = await openVm(vm);
    await expect.poll(() => details.getAttribute('data-state'), { timeout: 30_000 }).toBe('running');
    await details.locator('[data-testid="vm-manage"]').click();
    await page.locator('[data-testid="vm-manage-delete"]').click();
    const dialog = page.locator('[data-testid="delete-vm-dialog"]');
    await dialog.locator('[data-testid="delete-vm-volumes"]').waitFor({ timeout: 30_000 });
    const check = (file: string) => dialog.locator(`[data-testid="delete-vm-volume"][data-path="${POOL_DIR}/${file}"] [data-testid="delete-vm-volume-check"]`);
    expect(await check(`${vm}.qcow2`).isChecked()).toBe(true);
    expect(await check(`${vm}-data.qcow2`).isChecked()).toBe(true);
    expect(await check(`${vm}.iso`).isChecked()).toBe(false);
    // Keep the data disk.
    await check(`${vm}-data.qcow2`).uncheck();
    expect(await dialog.locator('[data-testid="delete-vm-ok"]').isDisabled()).toBe(true);
    await dialog.locator('[data-testid="delete-vm-confirm-name"]').fill('wrong');
    expect(await dialog.locator('[data-testid="delete-vm-ok"]').isDisabled()).toBe(true);
    await dialog.locator('[data-testid="delete-vm-confirm-name"]').fill(vm);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-delete-en.png') });
    await dialog.locator('[data-testid="delete-vm-ok"]').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    await page.locator(`[data-testid="vm-details"][data-vm-name="${vm}"]`).waitFor({ state: 'detached' });
    expect((await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'dominfo', vm])).code).not.toBe(0);
    expect(await volumes()).toEqual(before.filter((name) => name !== `${vm}.qcow2`));
  });
});
