// Storage through the UI in web mode, against a lab host's real libvirtd: a dir pool is
// created in the host's Storage section (bad input refused in the form first), a volume made
// in it (checked with qemu-img info on the host), a 1 GiB file uploaded through the browser's
// file picker and downloaded again byte-identical (SHA-256 on both sides), a cancelled upload
// leaves nothing, and the pool refuses deletion while a VM uses it, naming the VM, then is
// deleted with its data.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labExec, labKnownHostsPath } from '../lab/index.js';
import { labProfileFields } from '../support/labApp.js';
import { RESULTS_DIR, startHarness, type Harness } from './webModeHarness.js';

const HOST = 'lab1';
const tag = randomBytes(3).toString('hex');
const POOL = `e2e-store-${tag}`;
const POOL_DIR = `/var/tmp/${POOL}`;
const MB = Number(process.env.VIRTDECK_STORAGE_E2E_MB ?? 1024);
const LOCAL_FILE = join(tmpdir(), `vd-e2e-upload-${tag}.img`);
const DOWNLOADED = join(tmpdir(), `vd-e2e-download-${tag}.img`);
let harness: Harness;
let page: Page;
let hostId: string;
let localSha = '';
const cleanup: string[][] = [];

async function sh(script: string, ...args: string[]): Promise<string> {
  const result = await labExec(HOST, ['sh', '-c', script, 'sh', ...args], { timeoutMs: 600_000 });
  if (result.code !== 0) throw new Error(`${script}: ${result.stderr}`);
  return result.stdout.trim();
}
const virsh = (...argv: string[]) => sh('exec virsh -q -c qemu:///system "$@"', ...argv);

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A file with content that is not all zeros, so a checksum proves every byte. */
async function makeLocalFile(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('sh', ['-c', `head -c ${MB}M /dev/urandom > "$1"`, 'sh', LOCAL_FILE], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`making the file: ${code}`))));
  });
  localSha = await sha256(LOCAL_FILE);
}

async function openStorage() {
  await page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"] > [data-testid="tree-row"]`).first().click();
  await page.locator('[data-testid="host-section-storage"]').click();
  const section = page.locator('[data-testid="host-storage"]');
  await section.waitFor();
  return section;
}

async function openPool() {
  const storage = await openStorage();
  await storage.getByRole('button', { name: POOL, exact: true }).click();
  const details = page.locator(`[data-testid="pool-details"][data-name="${POOL}"]`);
  await details.waitFor();
  return details;
}

async function volumeNames(): Promise<string[]> {
  await virsh('pool-refresh', POOL);
  return (await virsh('vol-list', '--pool', POOL))
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0]!)
    .filter(Boolean)
    .sort();
}

beforeAll(async () => {
  const making = makeLocalFile();
  harness = await startHarness({
    includeLocal: false,
    includeDemo: false,
    prepare: async (configDir) => writeFile(join(configDir, 'known_hosts'), await readFile(labKnownHostsPath(), 'utf8')),
  });
  page = harness.page;
  cleanup.push(['rm', '-rf', POOL_DIR]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-undefine', POOL]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-destroy', POOL]);
  const profile = await harness.contract.call('profiles.create', { fields: await labProfileFields(HOST) });
  hostId = profile.id;
  await page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"][data-status="connected"]`).waitFor({ timeout: 60_000 });
  await making;
}, 300_000);

afterAll(async () => {
  for (const argv of cleanup) await labExec(HOST, argv).catch(() => undefined);
  await rm(LOCAL_FILE, { force: true });
  await rm(DOWNLOADED, { force: true });
  await harness?.close();
});

describe('storage through the UI', () => {
  it('creates a dir pool in the host’s Storage section, refusing bad input first', { timeout: 120_000 }, async () => {
    const storage = await openStorage();
    await storage.locator('[data-testid="pool-new"]').click();
    const dialog = page.locator('[data-testid="pool-create-dialog"]');
    await dialog.waitFor();
    await dialog.locator('[data-testid="pool-name"]').fill('a/b');
    expect(await dialog.locator('[data-testid="pool-name-error"]').innerText()).toContain('/');
    await dialog.locator('[data-testid="pool-targetPath"]').fill('relative/path');
    expect(await dialog.locator('[data-testid="pool-targetPath-error"]').isVisible()).toBe(true);
    expect(await dialog.locator('[data-testid="pool-create-ok"]').isDisabled()).toBe(true);
    await dialog.locator('[data-testid="pool-type"]').selectOption('netfs');
    expect(await dialog.locator('[data-testid="pool-server"]').isVisible()).toBe(true);
    expect(await dialog.locator('[data-testid="pool-discover"]').isVisible()).toBe(true);
    await dialog.locator('[data-testid="pool-type"]').selectOption('dir');
    await dialog.locator('[data-testid="pool-name"]').fill(POOL);
    await dialog.locator('[data-testid="pool-targetPath"]').fill(POOL_DIR);
    await dialog.locator('[data-testid="pool-autostart-new"]').uncheck();
    await page.screenshot({ path: join(RESULTS_DIR, 'storage-pool-create-en.png') });
    await dialog.locator('[data-testid="pool-create-ok"]').click();
    await dialog.waitFor({ state: 'detached' });
    await storage.getByRole('button', { name: POOL, exact: true }).waitFor({ timeout: 30_000 });
    // The pool is listed once defined; it starts a moment later (build, start, autostart).
    await expect.poll(() => virsh('pool-info', POOL), { timeout: 60_000 }).toMatch(/State:\s+running/);
    expect(await sh('[ -d "$1" ] && echo dir', POOL_DIR)).toBe('dir');
  });

  it('creates a volume in the pool’s tab; qemu-img agrees', { timeout: 60_000 }, async () => {
    const details = await openPool();
    await details.locator('[data-testid="volume-new"]').click();
    const dialog = page.locator('[data-testid="volume-create-dialog"]');
    await dialog.locator('[data-testid="volume-name"]').fill('disk1.qcow2');
    await dialog.locator('[data-testid="volume-size"]').fill('0');
    expect(await dialog.locator('[data-testid="volume-size-error"]').isVisible()).toBe(true);
    await dialog.locator('[data-testid="volume-size"]').fill('64');
    await dialog.locator('[data-testid="volume-size-unit"]').selectOption('MiB');
    await dialog.locator('[data-testid="volume-create-ok"]').click();
    await details.locator('[data-testid="volume-row"][data-name="disk1.qcow2"]').waitFor({ timeout: 30_000 });
    const info = JSON.parse(await sh('qemu-img info --output=json "$1"', `${POOL_DIR}/disk1.qcow2`)) as { format: string; 'virtual-size': number };
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': 64 << 20 });
    expect(await details.locator('[data-testid="volume-row"][data-name="disk1.qcow2"]').getAttribute('data-format')).toBe('qcow2');
  });

  it(`uploads ${MB} MiB through the file picker and downloads it again, byte-identical`, { timeout: 900_000 }, async () => {
    const details = await openPool();
    await details.locator('[data-testid="volume-upload"]').click();
    const dialog = page.locator('[data-testid="upload-dialog"]');
    await dialog.locator('[data-testid="upload-file"]').setInputFiles(LOCAL_FILE);
    expect(await dialog.locator('[data-testid="upload-name"]').inputValue()).toBe(`vd-e2e-upload-${tag}.img`);
    await dialog.locator('[data-testid="upload-name"]').fill('disk1.qcow2');
    expect(await dialog.locator('[data-testid="upload-name-error"]').isVisible()).toBe(true);
    await dialog.locator('[data-testid="upload-name"]').fill('uploaded.img');
    const started = Date.now();
    await dialog.locator('[data-testid="upload-start"]').click();
    await dialog.locator('[data-testid="upload-progress"]').waitFor();
    await expect.poll(async () => Number(await dialog.locator('[data-testid="upload-progress"]').getAttribute('data-bytes').catch(() => '0')), { timeout: 120_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(RESULTS_DIR, 'storage-upload-en.png') });
    await dialog.waitFor({ state: 'detached', timeout: 900_000 });
    const uploadMs = Date.now() - started;
    await details.locator('[data-testid="volume-row"][data-name="uploaded.img"]').waitFor({ timeout: 30_000 });
    expect(await sh('sha256sum "$1" | cut -d" " -f1', `${POOL_DIR}/uploaded.img`)).toBe(localSha);

    const row = details.locator('[data-testid="volume-row"][data-name="uploaded.img"]');
    await row.locator('[data-testid="volume-menu"]').click();
    const downloading = page.waitForEvent('download', { timeout: 900_000 });
    const downloadStarted = Date.now();
    await page.locator('[data-testid="volume-action-download"]').click();
    await page.locator('[data-testid="download-progress"]').waitFor();
    const download = await downloading;
    await download.saveAs(DOWNLOADED);
    const downloadMs = Date.now() - downloadStarted;
    expect(download.suggestedFilename()).toBe('uploaded.img');
    expect(await sha256(DOWNLOADED)).toBe(localSha);
    await page.locator('[data-testid="download-done"]').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'storage-pool-en.png') });
    await page.locator('[data-testid="download-close"]').click();
    const tasks = await harness.contract.call('tasks.list', {});
    expect(tasks.find((task) => task.titleKey === 'task.volume.upload' && task.titleParams?.volume === 'uploaded.img')?.state).toBe('succeeded');
    expect(tasks.find((task) => task.titleKey === 'task.volume.download' && task.titleParams?.volume === 'uploaded.img')?.state).toBe('succeeded');
    console.log(JSON.stringify({ e2e: 'storage', mb: MB, upload_mb_s: Math.round((MB / (uploadMs / 1000)) * 10) / 10, download_mb_s: Math.round((MB / (downloadMs / 1000)) * 10) / 10 }));
  });

  it('a cancelled upload leaves no volume and no partial file', { timeout: 300_000 }, async () => {
    const details = await openPool();
    await details.locator('[data-testid="volume-upload"]').click();
    const dialog = page.locator('[data-testid="upload-dialog"]');
    await dialog.locator('[data-testid="upload-file"]').setInputFiles(LOCAL_FILE);
    await dialog.locator('[data-testid="upload-name"]').fill('cancelled.img');
    await dialog.locator('[data-testid="upload-start"]').click();
    await expect.poll(async () => Number(await dialog.locator('[data-testid="upload-progress"]').getAttribute('data-bytes').catch(() => '0')), { timeout: 120_000 }).toBeGreaterThan(8 << 20);
    await dialog.locator('[data-testid="upload-cancel"]').click();
    await dialog.locator('[data-testid="upload-progress"]').waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(async () => (await harness.contract.call('tasks.list', {})).find((task) => task.titleParams?.volume === 'cancelled.img')?.state, { timeout: 60_000 }).toBe('cancelled');
    await expect.poll(() => volumeNames(), { timeout: 60_000 }).toEqual(['disk1.qcow2', 'uploaded.img']);
    expect(await sh('ls -A "$1"', POOL_DIR)).not.toMatch(/cancelled|\.vdpart/);
    await page.locator('[data-testid="upload-dialog"] [data-testid="upload-cancel"]').click();
  });

  it('refuses to delete the pool while a VM uses it, naming the VM; then deletes it with its data', { timeout: 120_000 }, async () => {
    const vm = `e2e-store-vm-${tag}`;
    const xml = `<domain type='qemu'><name>${vm}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${POOL_DIR}/disk1.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>`;
    await labExec(HOST, ['sh', '-c', 'cat > "$1"', 'sh', `/var/tmp/${vm}.xml`], { input: xml });
    await virsh('define', `/var/tmp/${vm}.xml`);
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', vm]);
    cleanup.unshift(['rm', '-f', `/var/tmp/${vm}.xml`]);

    const details = await openPool();
    await expect.poll(async () => details.locator('[data-testid="volume-row"][data-name="disk1.qcow2"] [data-testid="volume-used-by"]').innerText(), { timeout: 30_000 }).toBe(vm);
    await details.locator('[data-testid="pool-delete"]').click();
    const dialog = page.locator('[data-testid="pool-delete-dialog"]');
    const refusal = dialog.locator('[data-testid="pool-in-use"]');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.innerText()).toContain(vm);
    expect(await dialog.locator('[data-testid="pool-delete-ok"]').isDisabled()).toBe(true);
    await page.screenshot({ path: join(RESULTS_DIR, 'storage-pool-in-use-en.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await virsh('pool-info', POOL)).toMatch(/State:\s+running/);

    await virsh('undefine', vm);
    await details.locator('[data-testid="pool-delete"]').click();
    await dialog.locator('[data-testid="pool-delete-data"]').check();
    await dialog.locator('[data-testid="pool-delete-ok"]').click();
    await expect.poll(async () => (await sh('virsh -c qemu:///system pool-list --all --name')).includes(POOL), { timeout: 60_000 }).toBe(false);
    expect(await sh('[ -e "$1" ] && echo there || echo gone', POOL_DIR)).toBe('gone');
  });
});
