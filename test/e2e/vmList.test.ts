// The all-VMs list across hosts in Chromium, against lab hosts with hundreds of real (defined)
// VMs: rendered virtually (only the visible rows exist in the page), searchable, sortable, and
// reachable to the last row by keyboard.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostProfileFields } from '../../preload/contract.js';
import { labKnownHostsPath, labPopulate, readLabHost } from '../lab/index.js';
import { RESULTS_DIR, startHarness, type Harness } from './webModeHarness.js';

const PER_HOST = 400;
const HOSTS = ['lab2', 'lab3'];
let harness: Harness;

beforeAll(async () => {
  await Promise.all(HOSTS.map((host) => labPopulate({ host, vms: PER_HOST })));
  harness = await startHarness({ includeLocal: false, includeDemo: false, knownHosts: labKnownHostsPath() });
  for (const name of HOSTS) {
    const host = await readLabHost(name);
    const fields: HostProfileFields = {
      label: name, address: host.address, port: host.port, user: host.user, auth: 'key', keyFile: host.keyFile ?? '',
      jumpHosts: [], uri: host.libvirtUri, sudo: false, folder: 'bench', tags: [], rememberSecret: false,
    };
    await harness.contract.call('profiles.create', { fields });
  }
});

afterAll(async () => {
  await harness?.close();
});

describe('all virtual machines', () => {
  it('lists every VM of every host but keeps only the visible rows in the page', async () => {
    const { page } = harness;
    const total = HOSTS.length * PER_HOST;
    await expect.poll(() => page.locator('[data-testid="tree-group-vms"][data-count]').evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-count'))).reduce((a, b) => a + b, 0)), { timeout: 30_000 }).toBeGreaterThanOrEqual(total);
    await page.keyboard.press('Control+Shift+L');
    const count = page.locator('[data-testid="vm-list-count"]');
    await expect.poll(() => count.getAttribute('data-total')).toBe(String(total));
    const rows = page.locator('[data-testid="vm-list-row"]');
    expect(await rows.count()).toBeGreaterThan(5);
    expect(await rows.count()).toBeLessThan(100);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-list-en.png') });

    // Keyboard to the very end: End moves focus to the last row, which is then rendered.
    await rows.first().click();
    await page.keyboard.press('End');
    const last = `lab3-vm${String(PER_HOST).padStart(4, '0')}`;
    await expect.poll(() => page.locator(`[data-testid="vm-list-row"][data-vm-name="${last}"]`).count()).toBe(1);
    expect(await rows.count()).toBeLessThan(100);
  });

  it('searches across hosts and sorts by a column', async () => {
    const { page } = harness;
    const search = page.locator('[data-testid="vm-list-search"]');
    await search.fill('vm0399');
    await expect.poll(() => page.locator('[data-testid="vm-list-count"]').getAttribute('data-shown')).toBe('2');
    const hosts = await page.locator('[data-testid="vm-list-row"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-vm-name')).sort());
    expect(hosts).toEqual(['lab2-vm0399', 'lab3-vm0399']);
    await search.fill('');
    const header = page.locator('[data-testid="vm-list-header-name"]');
    for (let clicks = 0; clicks < 3 && (await header.getAttribute('aria-sort')) !== 'descending'; clicks += 1) await header.click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => page.locator('[data-testid="vm-list-row"]').first().getAttribute('data-vm-name')).toBe(`lab3-vm${String(PER_HOST).padStart(4, '0')}`);
  });
});
