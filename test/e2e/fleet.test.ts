// Fifty hosts in one window: the lab's test-driver hosts (sshd and virsh on a 300-domain node
// file each, reached over real SSH) added at once. Every host shows in the tree with its 300 VMs,
// the status bar counts them while they arrive, and the all-VMs list holds all 15,000 rows
// (count, search, sort, End) — with nothing thrown in the page.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostProfileFields } from '../../preload/contract.js';
import { labKnownHostsPath, labPopulate, labVmName, readLabHosts, type LabHost } from '../lab/index.js';
import { RESULTS_DIR, startHarness, type Harness } from './webModeHarness.js';

const HOSTS = 50;
const PER_HOST = 300;
let harness: Harness;
let fleet: LabHost[];

beforeAll(async () => {
  fleet = (await readLabHosts()).filter((host) => host.role === 'test-driver').slice(0, HOSTS);
  if (fleet.length < HOSTS) throw new Error(`the lab has ${fleet.length} test-driver hosts, not ${HOSTS}: npm run lab:up -- --test-hosts ${HOSTS}`);
  await Promise.all(fleet.map((host) => labPopulate({ host: host.name, vms: PER_HOST })));
  harness = await startHarness({ includeLocal: false, includeDemo: false, knownHosts: labKnownHostsPath() });
});

afterAll(async () => {
  await harness?.close();
});

describe('a fleet of fifty hosts', () => {
  it('shows every host with all its VMs, and counts them in the status bar as they arrive', async () => {
    const { page, contract } = harness;
    const summary = page.locator('[data-testid="connection-summary"]');
    // Every text the status bar shows while hosts arrive, recorded by the page itself (polling
    // from here could miss a state the page showed only briefly).
    await summary.waitFor();
    await page.evaluate(() => {
      const element = document.querySelector('[data-testid="connection-summary"]')!;
      const seenTexts: string[] = [];
      (window as unknown as { seenSummaries: string[] }).seenSummaries = seenTexts;
      seenTexts.push(element.textContent ?? '');
      new MutationObserver(() => seenTexts.push(element.textContent ?? '')).observe(element, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await Promise.all(
      fleet.map((host, index) => {
        const fields: HostProfileFields = {
          label: host.name, address: host.address, port: host.port, user: host.user, auth: 'key', keyFile: host.keyFile ?? '',
          jumpHosts: [], uri: host.libvirtUri, sudo: false, folder: `fleet/rack${Math.floor(index / 10) + 1}`, tags: [], rememberSecret: false,
        };
        return contract.call('profiles.create', { fields });
      }),
    );
    await expect.poll(() => page.locator('[data-testid="tree-host"][data-status="connected"]').count(), { timeout: 60_000 }).toBe(HOSTS);
    await expect
      .poll(() => page.locator(`[data-testid="tree-group-vms"][data-count="${PER_HOST}"]`).count(), { timeout: 60_000 })
      .toBe(HOSTS);
    await expect.poll(() => summary.textContent()).toContain(`${HOSTS} hosts connected`);
    // While they arrived, the bar said how many of the fifty were there.
    const seen = await page.evaluate(() => (window as unknown as { seenSummaries: string[] }).seenSummaries);
    expect(seen.some((text) => / of 50 hosts connected/.test(text))).toBe(true);
    await page.screenshot({ path: join(RESULTS_DIR, 'fleet-tree-en.png') });
  });

  it('lists all 15,000 VMs: count, search, sort and End', async () => {
    const { page } = harness;
    const total = HOSTS * PER_HOST;
    await page.keyboard.press('Control+Shift+L');
    const count = page.locator('[data-testid="vm-list-count"]');
    await expect.poll(() => count.getAttribute('data-total'), { timeout: 30_000 }).toBe(String(total));
    const rows = page.locator('[data-testid="vm-list-row"]');
    expect(await rows.count()).toBeLessThan(100);

    const search = page.locator('[data-testid="vm-list-search"]');
    const one = labVmName(fleet[36]!.name, 123);
    await search.fill(one);
    await expect.poll(() => count.getAttribute('data-shown')).toBe('1');
    expect(await rows.first().getAttribute('data-vm-name')).toBe(one);
    await search.fill('vm0300');
    await expect.poll(() => count.getAttribute('data-shown')).toBe(String(HOSTS));
    await search.fill('');
    await expect.poll(() => count.getAttribute('data-shown')).toBe(String(total));

    // Natural order: td1 … td9, td10 … td50, so the last name is td50-vm0300.
    const last = labVmName(fleet[HOSTS - 1]!.name, PER_HOST);
    const header = page.locator('[data-testid="vm-list-header-name"]');
    for (let clicks = 0; clicks < 3 && (await header.getAttribute('aria-sort')) !== 'descending'; clicks += 1) await header.click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => rows.first().getAttribute('data-vm-name')).toBe(last);
    await header.click();
    for (let clicks = 0; clicks < 3 && (await header.getAttribute('aria-sort')) !== 'ascending'; clicks += 1) await header.click();

    await rows.first().click();
    await page.keyboard.press('End');
    await expect.poll(() => page.locator(`[data-testid="vm-list-row"][data-vm-name="${last}"]`).count()).toBe(1);
    expect(await rows.count()).toBeLessThan(100);
    await page.screenshot({ path: join(RESULTS_DIR, 'fleet-vm-list-en.png') });
  });
});
