// The new-VM wizard through the UI in web mode, on a lab host's real libvirtd (issue 10):
// (a) a small bootable ISO uploaded from this machine through the wizard's upload source (a
// cancelled upload first, which leaves no volume), (b) a Debian-layout URL tree served in the
// lab, (d) an imported qcow2 image. The three guests are created with "Start at once" one after
// the other, so they boot concurrently, then each one's serial console (through the app) shows
// the guest's first output. Bad input is refused on its own page: an unreachable URL and a URL
// that is not a tree (naming the files looked for), a disk larger than the pool's free space,
// an empty and a taken name. Screenshots of each page in English and one in Chinese.
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames } from '../../preload/contract.js';
import { labExec } from '../lab/index.js';
import { MINI_PROMPT, MINI_READY } from '../lab/miniGuest.js';
import { startInstallSources, type InstallSources } from '../lab/installTree.js';
import { startLabSession, type LabSession } from './labSession.js';
import { RESULTS_DIR } from './webModeHarness.js';

const HOST = 'lab1';
const tag = randomBytes(3).toString('hex');
const POOL = `e2e-wiz-${tag}`;
const POOL_DIR = `/var/tmp/${POOL}`;
const BIG_FILE = join(tmpdir(), `vd-wiz-cancel-${tag}.iso`);
const VM = { iso: `wiz-iso-${tag}`, url: `wiz-url-${tag}`, disk: `wiz-disk-${tag}` };
let session: LabSession;
let page: Page;
let sources: InstallSources;
const started = Date.now();
// The wizard's calls are registered by the install handlers (issue 10, main side); until they
// are, the wizard is not reachable in the UI and there is nothing to drive. Not yet run against
// the real handlers: opt in with VIRTDECK_WIZARD_E2E=1 until it has been seen green on the lab.
const registered = (callNames as readonly string[]).includes('install.create') && process.env.VIRTDECK_WIZARD_E2E === '1';

const shot = (name: string) => page.screenshot({ path: join(RESULTS_DIR, `install-wizard-${name}.png`) });
const wizard = () => page.locator('[data-testid="new-vm-wizard"]');

async function volumes(): Promise<string[]> {
  await session.virsh('pool-refresh', POOL);
  return (await session.virsh('vol-list', '--pool', POOL))
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0]!)
    .filter(Boolean);
}

/** Opens the wizard from the host's context menu in the tree. */
async function openWizard(): Promise<Locator> {
  await page.locator(`[data-testid="tree-host"][data-host-id="${session.hostId}"] > [data-testid="tree-row"]`).first().click({ button: 'right' });
  await page.locator('[data-testid="host-menu-new-vm"]').click();
  const dialog = wizard();
  await dialog.locator('[data-testid="wizard-page-host"] [data-testid="wizard-host"]').waitFor({ timeout: 60_000 });
  return dialog;
}

async function next(dialog: Locator, expected: string) {
  await expect.poll(() => dialog.locator('[data-testid="wizard-next"]').isEnabled(), { timeout: 30_000 }).toBe(true);
  await dialog.locator('[data-testid="wizard-next"]').click();
  await dialog.locator(`[data-testid="wizard-page-${expected}"]`).waitFor({ timeout: 120_000 });
}

/** Resources → storage → network → summary with a small guest and no network (fast under TCG). */
async function smallGuestToSummary(dialog: Locator, options: { disk: boolean; shots?: boolean }) {
  await next(dialog, 'resources');
  await dialog.locator('[data-testid="wizard-memory"]').fill('256');
  if (options.shots) await shot('resources');
  await next(dialog, 'storage');
  if (options.disk) {
    // Bad input on its page: a disk larger than the pool's free space.
    await dialog.locator('[data-testid="wizard-storage-new"] input').check();
    await dialog.locator('[data-testid="wizard-pool"]').selectOption(POOL);
    await dialog.locator('[data-testid="wizard-disk-size"]').fill('900000');
    await expect.poll(() => dialog.locator('[data-testid="wizard-disk-size-error"]').count(), { timeout: 30_000 }).toBe(1);
    expect(await dialog.locator('[data-testid="wizard-next"]').isDisabled()).toBe(true);
    if (options.shots) await shot('storage-too-big');
  }
  await dialog.locator('[data-testid="wizard-storage-none"] input').check();
  if (options.shots) await shot('storage');
  await next(dialog, 'network');
  await dialog.locator('[data-testid="wizard-network-none"] input').check();
  if (options.shots) await shot('network');
  await next(dialog, 'summary');
}

async function createNamed(dialog: Locator, name: string) {
  await dialog.locator('[data-testid="wizard-name"]').fill(name);
  await expect.poll(() => dialog.locator('[data-testid="wizard-create"]').isEnabled(), { timeout: 30_000 }).toBe(true);
  await dialog.locator('[data-testid="wizard-start"]').check();
  await dialog.locator('[data-testid="wizard-create"]').click();
  await dialog.waitFor({ state: 'detached', timeout: 180_000 });
  session.cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--nvram', '--remove-all-storage', name]);
  session.cleanup.unshift(['virsh', '-c', 'qemu:///system', 'destroy', name]);
}

/** The VM's serial console through the app shows the mini guest (its ready line or its prompt). */
async function expectGuestOutput(name: string) {
  await page.locator(`[data-testid="tree-host"][data-host-id="${session.hostId}"] [data-testid="tree-vm"][data-vm-name="${name}"]`).click();
  const details = page.locator(`[data-testid="vm-details"][data-vm-name="${name}"]`);
  await details.waitFor();
  await details.locator('[data-testid="vm-section-console"]').click();
  const section = details.locator('[data-testid="vm-console"]');
  await section.locator('[data-testid="console-kind-serial"]').click();
  const serial = section.locator('[data-testid="serial-console"]');
  await expect.poll(() => serial.getAttribute('data-status'), { timeout: 60_000 }).toBe('connected');
  const text = () => section.locator('[data-testid="serial-terminal"] .xterm-rows').evaluate((rows) => rows.textContent ?? '');
  // The ready line may have gone by before the console attached: a line typed gets the prompt again.
  await expect
    .poll(
      async () => {
        const now = await text();
        if (now.includes(MINI_READY) || now.includes(MINI_PROMPT.trim())) return true;
        await section.locator('[data-testid="serial-terminal"]').click();
        await page.keyboard.press('Enter');
        return false;
      },
      { timeout: 300_000, interval: 2_000 },
    )
    .toBe(true);
}

beforeAll(async () => {
  if (!registered) return;
  const making = new Promise<void>((resolve, reject) => {
    const child = spawn('sh', ['-c', 'head -c 192M /dev/urandom > "$1"', 'sh', BIG_FILE], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`making the file: ${code}`))));
  });
  [session, sources] = await Promise.all([startLabSession(HOST), startInstallSources({ flavour: 'mini' })]);
  page = session.page;
  await session.definePool(POOL, POOL_DIR);
  // The disk to import: the hybrid ISO converted to qcow2 (wizlab's media), put on the host through stdin.
  const put = await labExec(HOST, ['sh', '-c', 'cat > "$1"', 'sh', `${POOL_DIR}/import.qcow2`], { input: await readFile(sources.isoQcow2), timeoutMs: 120_000 });
  if (put.code !== 0) throw new Error(`putting the qcow2 on the host: ${put.stderr}`);
  await session.virsh('pool-refresh', POOL);
  // The app has seen the new pool (libvirt's pool event re-reads the host) before any wizard opens.
  const poolNames = () =>
    page.evaluate(async (hostId) => {
      const client = (window as unknown as { virtdeckClient: { call(name: string, args: unknown): Promise<{ pools: { name: string; active: boolean }[] }> } }).virtdeckClient;
      return (await client.call('install.hostFacts', { hostId })).pools.filter((pool) => pool.active).map((pool) => pool.name);
    }, session.hostId);
  for (const deadline = Date.now() + 60_000; !(await poolNames()).includes(POOL); ) {
    if (Date.now() > deadline) throw new Error(`The app never saw the pool ${POOL}: ${(await poolNames()).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await making;
}, 600_000);

afterAll(async () => {
  await session?.close();
  await sources?.stop();
  await rm(BIG_FILE, { force: true });
  console.log(`installWizard.test.ts wall time: ${Math.round((Date.now() - started) / 1000)} s`);
});

describe.skipIf(!registered)('the new-VM wizard', () => {
  it('(a) uploads a local ISO through the wizard (a cancelled upload leaves no volume) and boots it', { timeout: 600_000 }, async () => {
    const dialog = await openWizard();
    await shot('host');
    await next(dialog, 'source');
    await dialog.locator('[data-testid="wizard-source-upload"] input').check();
    await dialog.locator('[data-testid="wizard-upload-pool"]').selectOption(POOL);
    // Cancelled: nothing stays in the pool.
    await dialog.locator('[data-testid="wizard-upload-file"]').setInputFiles(BIG_FILE);
    await dialog.locator('[data-testid="wizard-upload-start"]').click();
    await dialog.locator('[data-testid="wizard-upload-progress"]').waitFor();
    await expect.poll(async () => Number(await dialog.locator('[data-testid="wizard-upload-progress"]').getAttribute('data-bytes')), { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
    await shot('source-upload-progress');
    await dialog.locator('[data-testid="wizard-upload-cancel"]').click();
    await dialog.locator('[data-testid="wizard-upload-start"]').waitFor();
    await expect.poll(volumes, { timeout: 60_000 }).not.toContain(`vd-wiz-cancel-${tag}.iso`);
    // The real ISO.
    await dialog.locator('[data-testid="wizard-upload-file"]').setInputFiles(sources.iso);
    await dialog.locator('[data-testid="wizard-upload-name"]').fill('boot.iso');
    await dialog.locator('[data-testid="wizard-upload-start"]').click();
    await dialog.locator('[data-testid="wizard-upload-done"]').waitFor({ timeout: 120_000 });
    expect(await volumes()).toContain('boot.iso');
    await shot('source-upload');
    await next(dialog, 'os');
    await shot('os');
    await smallGuestToSummary(dialog, { disk: true, shots: true });
    // Bad input on the summary: an empty name.
    await dialog.locator('[data-testid="wizard-name"]').fill('');
    await expect.poll(() => dialog.locator('[data-testid="wizard-name-error"]').count(), { timeout: 30_000 }).toBe(1);
    expect(await dialog.locator('[data-testid="wizard-create"]').isDisabled()).toBe(true);
    await dialog.locator('[data-testid="wizard-name"]').fill(VM.iso);
    await dialog.locator('[data-testid="wizard-install-xml"] summary').click();
    await shot('summary');
    await createNamed(dialog, VM.iso);
  });

  it('(b) refuses a URL that is unreachable or not a tree, then installs from a Debian-layout tree', { timeout: 600_000 }, async () => {
    const dialog = await openWizard();
    await next(dialog, 'source');
    await dialog.locator('[data-testid="wizard-source-url"] input').check();
    const problem = dialog.locator('[data-testid="wizard-source-problem"]');
    await dialog.locator('[data-testid="wizard-url"]').fill('http://198.18.0.1:9/debian/');
    await dialog.locator('[data-testid="wizard-next"]').click();
    await expect.poll(() => problem.getAttribute('data-reason'), { timeout: 120_000 }).toBe('unreachable');
    const base = new URL(sources.debianUrl).origin;
    await dialog.locator('[data-testid="wizard-url"]').fill(`${base}/nothing-here/`);
    await dialog.locator('[data-testid="wizard-next"]').click();
    await expect.poll(() => problem.getAttribute('data-reason'), { timeout: 120_000 }).toBe('not-a-tree');
    expect(await problem.innerText()).toMatch(/treeinfo/);
    await shot('source-not-a-tree');
    expect(await dialog.getAttribute('data-page')).toBe('source');
    await dialog.locator('[data-testid="wizard-url"]').fill(sources.debianUrl);
    await dialog.locator('[data-testid="wizard-kernel-args"]').fill('console=ttyS0');
    await next(dialog, 'os');
    await smallGuestToSummary(dialog, { disk: false });
    // A taken name (the first guest's) is refused on the summary.
    await dialog.locator('[data-testid="wizard-name"]').fill(VM.iso);
    await expect.poll(() => dialog.locator('[data-testid="wizard-name-error"]').innerText(), { timeout: 30_000 }).toContain(VM.iso);
    await createNamed(dialog, VM.url);
  });

  it('(d) imports a qcow2 image; the three guests boot to their first output on the serial console', { timeout: 900_000 }, async () => {
    // This one in Chinese (the test ids are the same in every language).
    await page.locator('[data-testid="language-select"]').selectOption('zh-CN');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const dialog = await openWizard();
    await next(dialog, 'source');
    await dialog.locator('[data-testid="wizard-source-import"] input').check();
    await dialog.locator('[data-testid="wizard-import-browse-pool"]').selectOption(POOL);
    await dialog.locator('[data-testid="wizard-import-volumes-item"][data-name="import.qcow2"] input').check();
    await shot('source-import-zh-CN');
    await next(dialog, 'os');
    await smallGuestToSummary(dialog, { disk: false });
    await createNamed(dialog, VM.disk);
    await page.locator('[data-testid="language-select"]').selectOption('en');
    for (const name of [VM.iso, VM.url, VM.disk]) await expectGuestOutput(name);
    await shot('console');
  });
});
