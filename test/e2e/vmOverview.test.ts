// A VM's overview in the browser (web mode, real Chromium) for a running networked mini guest on
// a lab host: the facts from its definition, uptime, devices, its DHCP lease, live charts that
// draw points from the bulk statistics, light and dark; and leaving the overview stops the
// statistics (the page tells main to watch nothing, and main's stats.changed events stop).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostProfile } from '../../preload/contract.js';
import { labExec, labKnownHostsPath, readLabHost } from '../lab/index.js';
import { labProfileFields } from '../support/labApp.js';
import { netMiniGuestFiles } from '../support/netMiniGuest.js';
import { RESULTS_DIR, startHarness, type Harness } from './webModeHarness.js';

const HOST = 'lab1';
const tag = randomBytes(3).toString('hex');
const NAME = `vd-overview-${tag}`;
const DIR = `/var/tmp/vd-overview-${tag}`;
const MAC = `52:54:00:e2:${tag.slice(0, 2)}:${tag.slice(2, 4)}`;
let harness: Harness;
let hostId = '';
const sentWatches: string[][] = [];
const statsEvents: { at: number; hostId: string }[] = [];

async function onHost(argv: string[], input?: Buffer | string): Promise<string> {
  const result = await labExec(HOST, argv, input === undefined ? {} : { input });
  if (result.code !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function domainXml(kvm: boolean): string {
  return `<domain type='${kvm ? 'kvm' : 'qemu'}'>
  <name>${NAME}</name>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0"><libosinfo:os id="http://debian.org/debian/12"/></libosinfo:libosinfo>
  </metadata>
  <memory unit='MiB'>160</memory>
  <vcpu current='1'>2</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>${DIR}/vmlinuz</kernel><initrd>${DIR}/initrd.gz</initrd><cmdline>console=ttyS0 quiet panic=-1</cmdline></os>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${DIR}/system.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='sda' bus='sata'/><readonly/></disk>
    <interface type='network'><mac address='${MAC}'/><source network='default'/><model type='e1000'/></interface>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video><model type='vga'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
`;
}

beforeAll(async () => {
  const files = await netMiniGuestFiles();
  await onHost(['mkdir', '-m', '0755', '-p', DIR]);
  await onHost(['sh', '-c', 'cat > "$1"', 'sh', `${DIR}/vmlinuz`], await readFile(files.kernel));
  await onHost(['sh', '-c', 'cat > "$1"', 'sh', `${DIR}/initrd.gz`], await readFile(files.initrd));
  await onHost(['qemu-img', 'create', '-q', '-f', 'qcow2', `${DIR}/system.qcow2`, '32M']);
  await onHost(['chmod', '0644', `${DIR}/vmlinuz`, `${DIR}/initrd.gz`, `${DIR}/system.qcow2`]);
  await onHost(['sh', '-c', 'cat > "$1"', 'sh', `${DIR}/domain.xml`], domainXml((await readLabHost(HOST)).kvm));
  await onHost(['virsh', '-c', 'qemu:///system', 'define', `${DIR}/domain.xml`]);
  await onHost(['virsh', '-c', 'qemu:///system', 'start', NAME]);

  harness = await startHarness({ includeLocal: false, includeDemo: false, knownHosts: labKnownHostsPath() });
  harness.page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      const message = JSON.parse(String(payload)) as { t?: string; name?: string; args?: { hostIds?: string[] } };
      if (message.t === 'call' && message.name === 'stats.watch') sentWatches.push(message.args?.hostIds ?? []);
    }),
  );
  await harness.page.reload();
  harness.contract.onEvent('stats.changed', (payload) => statsEvents.push({ at: Date.now(), hostId: payload.hostId }));
  const profile = (await harness.contract.call('profiles.create', { fields: await labProfileFields(HOST) })) as HostProfile;
  hostId = profile.id;
}, 120_000);

afterAll(async () => {
  await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'destroy', NAME]).catch(() => undefined);
  await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'undefine', NAME]).catch(() => undefined);
  await labExec(HOST, ['rm', '-rf', DIR]).catch(() => undefined);
  await harness?.close();
});

describe('a VM overview in the browser', () => {
  it('shows the facts, devices, lease and live charts of a running guest, and stops the statistics when left', { timeout: 300_000 }, async () => {
    const { page } = harness;
    const host = page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"]`);
    await host.and(page.locator('[data-status="connected"]')).waitFor({ timeout: 60_000 });
    const treeVm = host.locator(`[data-testid="tree-vm"][data-vm-name="${NAME}"]`);
    await treeVm.waitFor({ timeout: 30_000 });
    await treeVm.click();
    const overview = page.locator(`[data-testid="vm-details"][data-vm-name="${NAME}"] [data-testid="vm-overview"]`);
    await overview.waitFor({ timeout: 20_000 });

    await expect.poll(() => overview.locator('[data-testid="vm-os"]').innerText(), { timeout: 20_000 }).toContain('Debian 12');
    await expect.poll(() => overview.locator('[data-testid="vm-os"]').innerText()).toContain('http://debian.org/debian/12');
    await expect.poll(() => overview.locator('[data-testid="vm-uptime"]').innerText()).toMatch(/\d+ (sec|min)/);
    expect(await overview.innerText()).toContain('1 of 2');
    const disks = overview.locator('[data-testid="vm-disks"] tbody tr');
    await expect.poll(() => disks.count()).toBe(2);
    const vda = await overview.locator('[data-testid="vm-disks"] tr[data-target="vda"]').innerText();
    expect(vda).toContain(`${DIR}/system.qcow2`);
    expect(vda).toContain('qcow2');
    expect(vda).toContain('32 MiB');
    expect(await overview.locator('[data-testid="vm-disks"] tr[data-target="sda"]').innerText()).toMatch(/CD\/DVD \(read-only\)[\s\S]*Empty/);
    const nic = await overview.locator(`[data-testid="vm-nics"] tr[data-mac="${MAC}"]`).innerText();
    expect(nic).toMatch(/e1000[\s\S]*default[\s\S]*Up[\s\S]*vnet\d+/);
    expect(await overview.locator('[data-testid="vm-graphics"]').innerText()).toMatch(/VNC[\s\S]*127\.0\.0\.1[\s\S]*59\d\d/);

    // The charts draw points from the bulk statistics (CPU needs two samples for a rate).
    for (const chart of ['cpu', 'memory', 'disk', 'network']) {
      await expect.poll(async () => Number(await overview.locator(`[data-testid="chart-${chart}"]`).getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    }
    expect(await overview.locator('[data-testid="chart-cpu"] canvas').count()).toBe(1);
    expect(sentWatches.some((ids) => ids.includes(hostId))).toBe(true);

    // The guest's DHCP lease, and the sources' outcomes (no agent configured: said quietly).
    const lease = overview.locator('[data-testid="vm-addresses"] tr[data-source="lease"]');
    await expect.poll(() => lease.count(), { timeout: 200_000, interval: 2_000 }).toBeGreaterThan(0);
    expect(await lease.first().innerText()).toMatch(/192\.168\.122\.\d+\/24[\s\S]*DHCP lease/);
    await expect.poll(() => overview.locator('[data-testid="vm-address-sources"] [data-source="agent"]').getAttribute('data-status')).toBe('unavailable');
    expect(await overview.locator('[data-testid="vm-address-sources"] [data-source="agent"]').innerText()).toContain('Guest agent: not available for this guest');

    // Tall enough for the whole overview (it scrolls inside the window otherwise).
    await page.setViewportSize({ width: 1280, height: 1700 });
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-overview-light.png') });
    await page.locator('[data-testid="theme-select"]').selectOption('dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    // The charts are rebuilt in the dark theme's colours and keep their points.
    await expect.poll(async () => Number(await overview.locator('[data-testid="chart-cpu"]').getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-overview-dark.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid="theme-select"]').selectOption('light');

    // Leave the overview (open the host's tab): the page asks main to watch nothing...
    const watchesBefore = sentWatches.length;
    await host.locator('[data-testid="tree-row"]').first().click();
    await overview.waitFor({ state: 'detached' });
    await expect.poll(() => sentWatches.slice(watchesBefore).some((ids) => ids.length === 0), { timeout: 10_000 }).toBe(true);
    const unwatchedAt = Date.now();
    // ...and main stops polling: no stats.changed for that host after the poll under way ends.
    // (Watching for absence needs a window: three poll intervals of 2 s.)
    await expect.poll(() => Date.now() - unwatchedAt, { timeout: 15_000, interval: 500 }).toBeGreaterThan(6_000);
    expect(statsEvents.filter((event) => event.hostId === hostId && event.at > unwatchedAt + 2_500)).toEqual([]);
    expect(statsEvents.filter((event) => event.hostId === hostId).length).toBeGreaterThan(0);
  });
});
