import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_DIR, startHarness, type Harness } from './webModeHarness.js';

describe('demo hypervisor in the browser (web mode, real Chromium, real virsh test driver)', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('shows the demo hypervisor with its VMs, networks and storage pools', async () => {
    const { page } = harness;
    const demo = page.locator('[data-testid="tree-host"][data-host-id="demo"]');
    await demo.and(page.locator('[data-status="connected"]')).waitFor({ timeout: 20_000 });
    const vms = demo.locator('[data-testid="tree-vm"]');
    await expect.poll(() => vms.count(), { timeout: 10_000 }).toBe(9);
    await expect.poll(() => demo.locator('[data-testid="tree-network"][data-name="default"]').count()).toBe(1);
    await expect.poll(() => demo.locator('[data-testid="tree-pool"][data-name="default"]').count()).toBe(1);
  });

  it('shows a guest in each of libvirt\'s eight states as that state, in the tree, the lists and the counts', async () => {
    const { page } = harness;
    const demo = page.locator('[data-testid="tree-host"][data-host-id="demo"]');
    const expected: Record<string, string> = {
      'web-frontend': 'running',
      'xen-appliance': 'blocked',
      'build-runner': 'paused',
      'mail-relay': 'shutting-down',
      'windows-desktop': 'shutoff',
      'legacy-erp': 'crashed',
      'laptop-image': 'pm-suspended',
      'half-migrated': 'no-state',
    };
    for (const [name, state] of Object.entries(expected)) {
      await expect.poll(() => demo.locator(`[data-testid="tree-vm"][data-vm-name="${name}"]`).getAttribute('data-state')).toBe(state);
    }
    // Each state has its own words (not one "other"), in the tree's accessible names.
    const labels = await demo.locator('[data-testid="tree-vm"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label') ?? ''));
    for (const word of ['Running', 'Blocked', 'Paused', 'Shutting down', 'Shut off', 'Crashed', 'Suspended by guest', 'No state']) {
      expect(labels.some((label) => label.includes(word))).toBe(true);
    }
    // The host's overview counts every state that has a VM.
    await demo.locator('[data-testid="tree-row"]').first().click();
    const counts = page.locator('[data-testid="host-overview"][data-host-id="demo"] [data-testid="vm-counts"]');
    await expect.poll(() => counts.innerText(), { timeout: 10_000 }).toContain('1 crashed');
    const text = await counts.innerText();
    for (const part of ['2 running', '1 paused', '1 shut off', '1 blocked', '1 shutting down', '1 suspended by guest', '1 without state']) expect(text).toContain(part);
  });

  it('force-stops and starts a demo VM from the UI, and its state follows', async () => {
    const { page } = harness;
    const treeVm = page.locator('[data-testid="tree-host"][data-host-id="demo"] [data-testid="tree-vm"][data-vm-name="web-frontend"]');
    await treeVm.click();
    const details = page.locator('[data-testid="vm-details"][data-vm-name="web-frontend"]');
    await expect.poll(() => details.getAttribute('data-state'), { timeout: 10_000 }).toBe('running');

    await details.locator('[data-testid="vm-action-destroy"]').click();
    await page.locator('[data-testid="confirm-ok"]').click();
    await expect.poll(() => details.getAttribute('data-state'), { timeout: 10_000 }).toBe('shutoff');
    await expect.poll(() => treeVm.getAttribute('data-state')).toBe('shutoff');
    await expect.poll(() => details.locator('[data-testid="vm-action-start"]').isEnabled()).toBe(true);

    await details.locator('[data-testid="vm-action-start"]').click();
    await expect.poll(() => details.getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
    await expect.poll(() => treeVm.getAttribute('data-state')).toBe('running');

    // The state is the host's, not the page's: ask main directly.
    const inventory = await harness.contract.call('inventory.get', { hostId: 'demo' });
    const vm = inventory.vms.find((v) => v.name === 'web-frontend');
    expect(vm?.state).toBe('running');
    await page.screenshot({ path: join(RESULTS_DIR, 'demo-hypervisor-en.png') });
  });

  it('switches to Simplified Chinese and back', async () => {
    const { page } = harness;
    await page.locator('[data-testid="language-select"]').selectOption('zh-CN');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(() => page.locator('[data-testid="host-tree"]').innerText()).toContain('虚拟机');
    await page.screenshot({ path: join(RESULTS_DIR, 'demo-hypervisor-zh-CN.png') });
    const saved = await harness.contract.call('settings.get', {});
    expect(saved).toMatchObject({ language: 'zh-CN' });
    await page.locator('[data-testid="language-select"]').selectOption('en');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('shows the About dialog with versions', async () => {
    const { page } = harness;
    await page.locator('[data-testid="about-button"]').click();
    const dialog = page.locator('[data-testid="about-dialog"]');
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('VirtDeck');
    expect(text).toContain(process.versions.node);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('serves nothing to a browser without the token', async () => {
    const page = await harness.context.browser()!.newPage();
    const response = await page.goto(harness.origin + '/');
    expect(response?.status()).toBe(401);
    expect(await page.content()).not.toContain('<script');
    await page.close();
  });
});
