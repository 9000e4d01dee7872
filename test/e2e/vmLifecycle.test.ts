// VM lifecycle through the UI in Chromium (web mode), on the mini guest — a real Linux guest —
// on a lab host, with a hostile name: the buttons follow the state libvirt reports; a shutdown
// the guest ignores (the mini guest has no ACPI daemon) ends in an offer to force it off;
// managed save shows the VM as saved in the tree, the list and its tab, and Restore brings it
// back ("running (restored)" on the host); autostart, the tree's context menu, the keyboard
// shortcuts and a bulk action from the VM list; then the task panel's history (with logs, and a
// task cut off by the restart marked interrupted) after the web-mode process restarts.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putFile } from '../../main/connection/hostFiles.js';
import { runRemoteJob } from '../../main/connection/remoteJob.js';
import { defineXml } from '../../main/libvirt/definitions.js';
import type { Task } from '../../preload/contract.js';
import { labExec, labKnownHostsPath, miniDomainXml, miniGuestFiles, readLabHost } from '../lab/index.js';
import { labProfileFields, startLabApp } from '../support/labApp.js';
import { RESULTS_DIR, startHarness, type Harness } from './webModeHarness.js';

const HOST = 'lab1';
const tag = randomBytes(3).toString('hex');
const HOSTILE = `vd e2e "life" $(touch vd-pwned-${tag}) 中文 ${tag}`;
const PLAIN = `vd-e2e-life-${tag}`;
const SHUTDOWN_TIMEOUT_S = 8;
let harness: Harness;
let page: Page;
let hostId: string;
const cleanup: string[][] = [];

const attr = (name: string) => JSON.stringify(name);
const treeVm = (name: string) => page.locator(`[data-testid="tree-vm"][data-vm-name=${attr(name)}]`);
const details = (name: string) => page.locator(`[data-testid="vm-details"][data-vm-name=${attr(name)}]`);
const button = (name: string, action: string) => details(name).locator(`[data-testid="vm-action-${action}"]`);

async function virsh(...argv: string[]): Promise<string> {
  const result = await labExec(HOST, ['virsh', '-c', 'qemu:///system', ...argv]);
  if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

async function stateIs(name: string, state: string, timeout = 60_000): Promise<void> {
  await expect.poll(() => details(name).getAttribute('data-state'), { timeout }).toBe(state);
}

async function enabled(locators: Record<string, Locator>): Promise<Record<string, boolean>> {
  const result: Record<string, boolean> = {};
  for (const [key, locator] of Object.entries(locators)) result[key] = await locator.isEnabled();
  return result;
}

const powerButtons = (name: string) => Object.fromEntries(['start', 'shutdown', 'reboot', 'suspend', 'resume', 'destroy', 'save'].map((action) => [action, button(name, action)]));

beforeAll(async () => {
  // The guests are put on the host through the app's own file primitive, as in the integration tests.
  const setup = await startLabApp();
  try {
    const setupHost = await setup.addHost(HOST);
    const libvirt = setup.app.services.hosts.get(setupHost).libvirt();
    const files = await miniGuestFiles();
    const dir = `/var/tmp/vd-e2e-life-${tag}`;
    cleanup.push(['rm', '-rf', dir]);
    await runRemoteJob(libvirt.runner, ['mkdir', '-m', '0755', dir]);
    for (const [file, local] of [['vmlinuz', files.kernel], ['initrd.gz', files.initrd]] as const) {
      const bytes = await readFile(local);
      await putFile(libvirt.runner, `${dir}/${file}`, bytes, { size: bytes.length, mode: 0o644 });
    }
    const kvm = (await readLabHost(HOST)).kvm;
    for (const name of [HOSTILE, PLAIN]) {
      cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--managed-save', '--domain', name]);
      cleanup.unshift(['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]);
      await defineXml(libvirt, 'domain', miniDomainXml({ name, kvm, kernel: `${dir}/vmlinuz`, initrd: `${dir}/initrd.gz` }));
    }
  } finally {
    await setup.close();
  }
  harness = await startHarness({ includeLocal: false, includeDemo: false, knownHosts: labKnownHostsPath(), env: { VIRTDECK_SHUTDOWN_TIMEOUT_S: String(SHUTDOWN_TIMEOUT_S) } });
  page = harness.page;
  hostId = (await harness.contract.call('profiles.create', { fields: await labProfileFields(HOST) })).id;
  await page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"][data-status="connected"]`).waitFor({ timeout: 60_000 });
}, 180_000);

afterAll(async () => {
  for (const argv of cleanup) await labExec(HOST, argv).catch(() => undefined);
  await harness?.close();
});

describe('VM lifecycle through the UI', () => {
  it('buttons follow the state: start, pause, resume', { timeout: 120_000 }, async () => {
    // The host may hold many VMs (its group then starts collapsed): the filter shows ours.
    await page.locator('[data-testid="tree-filter"]').fill(tag);
    await treeVm(HOSTILE).click();
    await stateIs(HOSTILE, 'shutoff');
    expect(await enabled(powerButtons(HOSTILE))).toEqual({ start: true, shutdown: false, reboot: false, suspend: false, resume: false, destroy: false, save: false });

    await button(HOSTILE, 'start').click();
    await stateIs(HOSTILE, 'running');
    expect(await virsh('domstate', '--reason', '--domain', HOSTILE)).toBe('running (booted)');
    await expect.poll(() => enabled(powerButtons(HOSTILE))).toEqual({ start: false, shutdown: true, reboot: true, suspend: true, resume: false, destroy: true, save: true });

    await button(HOSTILE, 'suspend').click();
    await stateIs(HOSTILE, 'paused');
    expect(await virsh('domstate', '--reason', '--domain', HOSTILE)).toBe('paused (user)');
    await expect.poll(() => enabled(powerButtons(HOSTILE))).toEqual({ start: false, shutdown: false, reboot: false, suspend: false, resume: true, destroy: true, save: true });
    await button(HOSTILE, 'resume').click();
    await stateIs(HOSTILE, 'running');
    await button(HOSTILE, 'reboot').click();
    await expect.poll(() => button(HOSTILE, 'reboot').isEnabled()).toBe(true);
    expect(await virsh('domstate', '--domain', HOSTILE)).toBe('running');
  });

  it('a shutdown the guest ignores offers a force off, which works', { timeout: 120_000 }, async () => {
    await button(HOSTILE, 'shutdown').click();
    // While it waits, the other buttons wait too, but Force off stays available.
    await expect.poll(() => button(HOSTILE, 'shutdown').isEnabled()).toBe(false);
    expect(await button(HOSTILE, 'destroy').isEnabled()).toBe(true);
    expect(await button(HOSTILE, 'suspend').isEnabled()).toBe(false);
    const offer = page.locator('[data-testid="force-off-offer"]');
    await offer.waitFor({ timeout: (SHUTDOWN_TIMEOUT_S + 30) * 1000 });
    expect(await offer.innerText()).toContain('did not shut down');
    expect(await virsh('domstate', '--domain', HOSTILE)).toBe('running');
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-lifecycle-force-off-offer.png') });
    await offer.locator('[data-testid="confirm-ok"]').click();
    await stateIs(HOSTILE, 'shutoff');
    expect(await virsh('domstate', '--reason', '--domain', HOSTILE)).toBe('shut off (destroyed)');
  });

  it('save shows the VM as saved everywhere; Restore brings it back', { timeout: 180_000 }, async () => {
    await button(HOSTILE, 'start').click();
    await stateIs(HOSTILE, 'running');
    await button(HOSTILE, 'save').click();
    await expect.poll(() => treeVm(HOSTILE).getAttribute('data-saved'), { timeout: 120_000 }).toBe('true');
    expect(await virsh('domstate', '--reason', '--domain', HOSTILE)).toBe('shut off (saved)');
    await details(HOSTILE).locator('[data-testid="vm-saved-note"]').waitFor();
    expect(await details(HOSTILE).locator('.page-title-row .state-badge').innerText()).toContain('Saved');
    expect(await treeVm(HOSTILE).innerText()).toContain('Saved');
    expect(await button(HOSTILE, 'start').innerText()).toContain('Restore');
    expect(await button(HOSTILE, 'discard-save').isEnabled()).toBe(true);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-lifecycle-saved.png') });

    await button(HOSTILE, 'start').click();
    await stateIs(HOSTILE, 'running');
    expect(await virsh('domstate', '--reason', '--domain', HOSTILE)).toBe('running (restored)');
    expect(await treeVm(HOSTILE).getAttribute('data-saved')).toBe('false');
  });

  it('autostart on and off, read back from the host', { timeout: 60_000 }, async () => {
    const toggle = details(HOSTILE).locator('[data-testid="vm-action-autostart"]');
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    expect((await virsh('list', '--all', '--autostart', '--name')).split('\n')).toContain(HOSTILE);
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(false);
    expect((await virsh('list', '--all', '--autostart', '--name')).split('\n')).not.toContain(HOSTILE);
  });

  it('the tree\'s context menu and the keyboard shortcuts act on the VM', { timeout: 120_000 }, async () => {
    await treeVm(HOSTILE).locator('[data-testid="tree-row"]').click({ button: 'right' });
    const menu = page.locator('[data-testid="vm-menu"]');
    await menu.waitFor();
    expect(await menu.locator('[data-testid="vm-menu-start"]').isDisabled()).toBe(true);
    // Clone needs the VM shut off; delete is offered (it asks for the name of a running VM).
    expect(await menu.locator('[data-testid="vm-menu-clone"]').isDisabled()).toBe(true);
    expect(await menu.locator('[data-testid="vm-menu-delete"]').isDisabled()).toBe(false);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-lifecycle-menu.png') });
    await menu.locator('[data-testid="vm-menu-destroy"]').click();
    await page.locator('[data-testid="confirm-destroy"] [data-testid="confirm-ok"]').click();
    await stateIs(HOSTILE, 'shutoff');

    // Shut off, the same menu opens the delete dialog for this VM; cancelling it changes nothing.
    await treeVm(HOSTILE).locator('[data-testid="tree-row"]').click({ button: 'right' });
    expect(await menu.locator('[data-testid="vm-menu-clone"]').isDisabled()).toBe(false);
    await menu.locator('[data-testid="vm-menu-delete"]').click();
    const deleteDialog = page.locator('[data-testid="delete-vm-dialog"]');
    await deleteDialog.waitFor();
    expect(await deleteDialog.innerText()).toContain(HOSTILE);
    await page.keyboard.press('Escape');
    await deleteDialog.waitFor({ state: 'detached' });
    expect(await virsh('list', '--all', '--name')).toContain(HOSTILE);

    await details(HOSTILE).locator('.page-title').click();
    await page.keyboard.press('Control+Shift+U');
    await stateIs(HOSTILE, 'running');
    await page.keyboard.press('Control+Shift+P');
    await stateIs(HOSTILE, 'paused');
    await page.keyboard.press('Control+Shift+P');
    await stateIs(HOSTILE, 'running');
    await page.keyboard.press('Control+Shift+K');
    await page.locator('[data-testid="confirm-destroy"] [data-testid="confirm-ok"]').click();
    await stateIs(HOSTILE, 'shutoff');
  });

  it('a bulk start from the VM list runs as one task with a log line per VM', { timeout: 120_000 }, async () => {
    await page.keyboard.press('Control+Shift+L');
    await page.locator('[data-testid="vm-list-search"]').fill(tag);
    await expect.poll(() => page.locator('[data-testid="vm-list-count"]').getAttribute('data-shown')).toBe('2');
    await page.locator('[data-testid="vm-list-row"]').first().click();
    await page.keyboard.press('Control+a');
    await expect.poll(() => page.locator('[data-testid="vm-bulk-start"]').getAttribute('data-count')).toBe('2');
    await page.locator('[data-testid="vm-bulk-start"]').click();
    await expect.poll(() => page.locator('[data-testid="vm-list-row"][data-state="running"]').count(), { timeout: 60_000 }).toBe(2);
    expect(await virsh('domstate', '--domain', PLAIN)).toBe('running');

    await page.locator('[data-testid="task-activity"]').click();
    const bulk = page.locator('[data-testid="task-row"][data-title-key="task.bulk.start"]');
    await expect.poll(() => bulk.getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');
    await bulk.locator('[data-testid="task-log-toggle"]').click();
    const log = bulk.locator('[data-testid="task-log"] [data-level="ok"]');
    expect(await log.count()).toBe(2);
    expect(await bulk.locator('[data-testid="task-log"]').innerText()).toContain(HOSTILE);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-lifecycle-tasks.png') });
    await page.keyboard.press('Escape');
  });

  it('keeps the task history across a restart of the web-mode process; a task it cut off is interrupted', { timeout: 180_000 }, async () => {
    // A shutdown the guest ignores is still waiting when the process stops.
    void harness.contract.call('vm.action', { hostId, name: PLAIN, action: 'shutdown' }).catch(() => undefined);
    await expect
      .poll(async () => ((await harness.contract.call('tasks.list', {})) as Task[]).some((task) => task.titleKey === 'task.vm.shutdown' && task.titleParams?.name === PLAIN && task.state === 'running'))
      .toBe(true);
    const before = ((await harness.contract.call('tasks.list', {})) as Task[]).filter((task) => task.state !== 'running');
    expect(before.length).toBeGreaterThan(8);

    await harness.restart();
    await page.locator('[data-testid="task-activity"]').waitFor();
    const after = (await harness.contract.call('tasks.list', {})) as Task[];
    for (const task of before) expect(after.find((candidate) => candidate.id === task.id), task.titleKey).toMatchObject({ state: task.state, titleKey: task.titleKey });
    expect(after.find((task) => task.titleKey === 'task.vm.shutdown' && task.titleParams?.name === PLAIN)?.state).toBe('interrupted');

    await page.locator('[data-testid="task-activity"]').click();
    await page.locator('[data-testid="task-row"][data-state="interrupted"]').waitFor();
    const bulk = page.locator('[data-testid="task-row"][data-title-key="task.bulk.start"]');
    expect(await bulk.getAttribute('data-state')).toBe('succeeded');
    await bulk.locator('[data-testid="task-log-toggle"]').click();
    expect(await bulk.locator('[data-testid="task-log"] [data-level="ok"]').count()).toBe(2);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-lifecycle-tasks-after-restart.png') });
  });
});
