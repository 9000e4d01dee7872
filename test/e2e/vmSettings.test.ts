// The Settings and XML sections of a VM's tab in a real Chromium (web mode) against a lab host's
// libvirtd: fields changed through the form, the pending-changes list and Apply, read back with
// virsh; bad input refused in the form with nothing sent; a running guest's marks (now / after
// restart) and a live vCPU change; the XML editor's save, its reject path (libvirt's message,
// the old definition intact byte for byte) and a definition changed on the host meanwhile.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labExec, labKnownHostsPath, miniDomainXml, miniGuestFiles, readLabHost } from '../lab/index.js';
import { labProfileFields } from '../support/labApp.js';
import { RESULTS_DIR, startHarness, type Harness } from './webModeHarness.js';

const HOST = 'lab2';
const tag = randomBytes(3).toString('hex');
const OFF = `vd-e2e-set-${tag}`;
const OTHER = `vd-e2e-other-${tag}`;
const LIVE = `vd-e2e-live-${tag}`;
let harness: Harness;
let page: Page;
let hostId: string;
let dir: string;
const cleanup: string[][] = [];

async function virsh(...argv: string[]): Promise<string> {
  const result = await labExec(HOST, ['virsh', '-q', '-c', 'qemu:///system', ...argv]);
  if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
const inactive = (name: string) => virsh('dumpxml', '--inactive', '--domain', name);

async function defineOnHost(name: string, xml: string): Promise<void> {
  const file = `/var/tmp/${name}.xml`;
  const result = await labExec(HOST, ['sh', '-c', 'cat > "$1"', 'sh', file], { input: xml });
  if (result.code !== 0) throw new Error(result.stderr);
  await virsh('define', '--file', file);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]);
  cleanup.push(['rm', '-f', file]);
}

/** Opens a VM's tab at one of its sections. */
async function openSection(name: string, section: 'settings' | 'xml'): Promise<Locator> {
  const treeVm = page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"] [data-testid="tree-vm"][data-vm-name="${name}"]`);
  await treeVm.waitFor({ timeout: 30_000 });
  await treeVm.click();
  const details = page.locator(`[data-testid="vm-details"][data-vm-name="${name}"]`);
  await details.waitFor();
  await details.locator(`[data-testid="vm-section-${section}"]`).click();
  return details;
}

beforeAll(async () => {
  harness = await startHarness({
    includeLocal: false,
    includeDemo: false,
    prepare: async (configDir) => writeFile(join(configDir, 'known_hosts'), await readFile(labKnownHostsPath(), 'utf8')),
  });
  page = harness.page;
  const kvm = (await readLabHost(HOST)).kvm;
  dir = `/var/tmp/vd-e2e-set-${tag}`;
  cleanup.push(['rm', '-rf', dir]);
  const files = await miniGuestFiles();
  await labExec(HOST, ['mkdir', '-m', '0755', dir]);
  // The lab's own setup, not the app's: the test puts the guest's two files on the host.
  for (const [file, local] of [['vmlinuz', files.kernel], ['initrd.gz', files.initrd]] as const) {
    const result = await labExec(HOST, ['sh', '-c', 'cat > "$1" && chmod 644 "$1"', 'sh', `${dir}/${file}`], { input: await readFile(local) });
    if (result.code !== 0) throw new Error(result.stderr);
  }
  const xml = (name: string) => miniDomainXml({ name, kvm, kernel: `${dir}/vmlinuz`, initrd: `${dir}/initrd.gz` });
  await defineOnHost(
    OFF,
    xml(OFF).replace('<devices>', `<devices>\n    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/tmp/${OFF}.qcow2'/><target dev='vda' bus='virtio'/></disk>`),
  );
  await defineOnHost(OTHER, xml(OTHER));
  // An empty CD-ROM, and an image on the host to insert into it.
  const cdrom = "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='sda' bus='sata'/><readonly/></disk>";
  await defineOnHost(LIVE, xml(LIVE).replace('<vcpu>1</vcpu>', "<vcpu current='1'>2</vcpu>").replace('<devices>', `<devices>\n    ${cdrom}`));
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--nvram', '--domain', LIVE]);
  const image = await labExec(HOST, ['sh', '-c', 'head -c 262144 /dev/zero > "$1" && chmod 644 "$1"', 'sh', `${dir}/e2e disc.iso`]);
  if (image.code !== 0) throw new Error(image.stderr);
  await virsh('start', '--domain', LIVE);
  const profile = await harness.contract.call('profiles.create', { fields: await labProfileFields(HOST) });
  hostId = profile.id;
  await page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"][data-status="connected"]`).waitFor({ timeout: 60_000 });
}, 120_000);

afterAll(async () => {
  for (const argv of cleanup) await labExec(HOST, argv).catch(() => undefined);
  await harness?.close();
});

describe('the Settings section', () => {
  it('changes title, vCPUs, memory, CPU topology and model through the form, the pending list and Apply; virsh reads them back', { timeout: 60_000 }, async () => {
    const details = await openSection(OFF, 'settings');
    const form = details.locator('[data-testid="vm-settings"]');
    await form.waitFor();
    await form.locator('[data-testid="settings-title"]').fill(`Settings e2e ${tag}`);
    await form.locator('[data-testid="settings-vcpus-max"]').fill('2');
    await form.locator('[data-testid="settings-memory-max"]').fill('192');
    await form.locator('[data-testid="settings-memory-current"]').fill('160');
    await form.locator('[data-testid="settings-sockets"]').fill('1');
    await form.locator('[data-testid="settings-cores"]').fill('2');
    await form.locator('[data-testid="settings-threads"]').fill('1');
    await form.locator('[data-testid="settings-cpu-mode"]').selectOption('custom');
    // A model other than the one libvirt may already have put there (qemu64 for TCG guests).
    const models = await form.locator('[data-testid="settings-cpu-model"] option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    const model = models.find((candidate) => candidate !== 'qemu64' && candidate !== '') ?? 'qemu64';
    await form.locator('[data-testid="settings-cpu-model"]').selectOption(model);
    await form.locator('[data-testid="boot-network-on"]').check();
    await form.locator('[data-testid="boot-network-up"]').click();
    await form.locator('[data-testid="settings-boot-menu"]').check();
    await form.locator('[data-testid="disk-vda-cache"]').selectOption('none');
    expect(await form.locator('[data-testid="disk-vda"]').innerText()).toContain('safe for data that matters');
    const pending = form.locator('[data-testid="settings-pending"] li');
    const listed = () => pending.evaluateAll((items) => items.map((item) => item.getAttribute('data-testid')).sort());
    await expect
      .poll(listed, { timeout: 10_000 })
      .toEqual(['pending-boot', 'pending-cpuMode', 'pending-cpuTopology', 'pending-disk-vda', 'pending-memory', 'pending-title', 'pending-vcpus']);
    expect(await form.locator('[data-testid="pending-vcpus"]').innerText()).toContain('1 of 1 → 1 of 2');
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-settings-pending-en.png') });
    await form.locator('[data-testid="settings-apply"]').click();
    await form.locator('[data-testid="settings-applied"]').waitFor();
    const xml = await inactive(OFF);
    expect(xml).toContain(`<title>Settings e2e ${tag}</title>`);
    expect(xml).toMatch(/<vcpu placement='static' current='1'>2<\/vcpu>/);
    expect(xml).toContain("<memory unit='KiB'>196608</memory>");
    expect(xml).toContain("<currentMemory unit='KiB'>163840</currentMemory>");
    expect(xml).toMatch(/<topology sockets='1'( dies='1')? cores='2' threads='1'\/>/);
    expect(xml).toMatch(new RegExp(`<model fallback='(allow|forbid)'>${model}</model>`));
    // The mini guest boots a kernel and has no <boot dev>: network first means network alone.
    expect(xml).toMatch(/<boot dev='network'\/>\s*<bootmenu enable='yes'\/>/);
    expect(xml).toContain("<driver name='qemu' type='qcow2' cache='none'/>");
    await expect.poll(() => pending.count()).toBe(0);
  });

  it('refuses a taken name and memory above the host in the form, with the reason; nothing is sent', async () => {
    const details = await openSection(OFF, 'settings');
    const form = details.locator('[data-testid="vm-settings"]');
    const before = await inactive(OFF);
    await form.locator('[data-testid="settings-name"]').fill(OTHER);
    await expect.poll(() => form.locator('[data-testid="settings-error-name"]').innerText()).toContain('already has this name');
    await form.locator('[data-testid="settings-memory-max"]').fill('99999999');
    await expect.poll(() => form.locator('[data-testid="settings-error-memory-max"]').innerText()).toContain('The host has only');
    expect(await form.locator('[data-testid="settings-apply"]').isDisabled()).toBe(true);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-settings-refused-en.png') });
    await form.locator('[data-testid="settings-discard"]').click();
    expect(await inactive(OFF)).toBe(before);
  });

  it('renames a shut-off VM; the tab follows it', { timeout: 60_000 }, async () => {
    const details = await openSection(OFF, 'settings');
    const form = details.locator('[data-testid="vm-settings"]');
    const renamed = `${OFF}-renamed`;
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', renamed]);
    await form.locator('[data-testid="settings-name"]').fill(renamed);
    await form.locator('[data-testid="settings-apply"]').click();
    await page.locator(`[data-testid="vm-details"][data-vm-name="${renamed}"]`).waitFor({ timeout: 20_000 });
    expect((await virsh('domstate', '--domain', renamed)).trim()).toBe('shut off');
    expect((await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'domstate', '--domain', OFF])).code).not.toBe(0);
    // And back, through the form of the tab that followed it.
    const back = page.locator(`[data-testid="vm-details"][data-vm-name="${renamed}"]`);
    await back.locator('[data-testid="vm-section-settings"]').click();
    await back.locator('[data-testid="settings-name"]').fill(OFF);
    await back.locator('[data-testid="settings-apply"]').click();
    await page.locator(`[data-testid="vm-details"][data-vm-name="${OFF}"]`).waitFor({ timeout: 20_000 });
    expect((await virsh('domstate', '--domain', OFF)).trim()).toBe('shut off');
  });

  it('a running guest: marks say what applies now and what after restart; vCPUs go online live', { timeout: 90_000 }, async () => {
    const details = await openSection(LIVE, 'settings');
    const form = details.locator('[data-testid="vm-settings"][data-running="true"]');
    await form.waitFor({ timeout: 20_000 });
    expect(await form.locator('[data-testid="settings-name"]').isDisabled()).toBe(true);
    expect(await form.locator('[data-testid="applies-name"]').count()).toBe(0);
    expect(await form.locator('[data-testid="applies-vcpus"]').getAttribute('data-live')).toBe('true');
    // No balloon in the mini guest: memory applies after restart.
    expect(await form.locator('[data-testid="applies-memory"]').getAttribute('data-live')).toBe('false');
    await form.locator('[data-testid="settings-vcpus-current"]').fill('2');
    await expect.poll(() => form.locator('[data-testid="pending-vcpus"]').getAttribute('data-live')).toBe('true');
    await form.locator('[data-testid="settings-memory-current"]').fill('100');
    await expect.poll(() => form.locator('[data-testid="pending-memory"]').getAttribute('data-live')).toBe('false');
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-settings-running-en.png') });
    await form.locator('[data-testid="settings-apply"]').click();
    await form.locator('[data-testid="settings-applied"]').waitFor({ timeout: 30_000 });
    expect((await virsh('vcpucount', '--domain', LIVE, '--live', '--active')).trim()).toBe('2');
    expect(await inactive(LIVE)).toContain("<currentMemory unit='KiB'>102400</currentMemory>");
    expect(await virsh('dumpxml', '--domain', LIVE)).toContain("<currentMemory unit='KiB'>131072</currentMemory>");
  });
});

describe('the Settings section: CD-ROM media and firmware', () => {
  it('a running guest: an image missing on the host is refused in the form; one that exists goes in at once, UEFI after restart', { timeout: 90_000 }, async () => {
    const details = await openSection(LIVE, 'settings');
    const form = details.locator('[data-testid="vm-settings"][data-running="true"]');
    await form.waitFor({ timeout: 20_000 });
    expect(await form.locator('[data-testid="applies-cdrom"]').getAttribute('data-live')).toBe('true');
    expect(await form.locator('[data-testid="applies-firmware"]').getAttribute('data-live')).toBe('false');
    const before = await inactive(LIVE);
    const source = form.locator('[data-testid="cdrom-sda-source"]');
    await source.fill(`${dir}/no such disc.iso`);
    await expect.poll(() => form.locator('[data-testid="settings-error-cdrom-sda"]').innerText(), { timeout: 15_000 }).toContain('There is no file');
    expect(await form.locator('[data-testid="settings-apply"]').isDisabled()).toBe(true);
    expect(await inactive(LIVE)).toBe(before);

    const path = `${dir}/e2e disc.iso`;
    await source.fill(path);
    await expect.poll(() => form.locator('[data-testid="pending-cdrom-sda"]').getAttribute('data-live'), { timeout: 15_000 }).toBe('true');
    await form.locator('[data-testid="settings-firmware"]').selectOption('efi');
    await expect.poll(() => form.locator('[data-testid="pending-firmware"]').getAttribute('data-live')).toBe('false');
    await expect.poll(() => form.locator('[data-testid="settings-apply"]').isDisabled(), { timeout: 15_000 }).toBe(false);
    await form.locator('[data-testid="disk-sda"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-settings-cdrom-en.png') });
    // The display section: what is typed as a password is hidden unless asked for.
    const graphics = form.locator('[data-testid="settings-graphics"]');
    await graphics.scrollIntoViewIfNeeded();
    expect(await graphics.locator('[data-testid="settings-vnc-password"]').getAttribute('type')).toBe('password');
    expect(await graphics.locator('[data-testid="settings-serial-present"]').count()).toBe(1);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-settings-graphics-en.png') });
    await form.locator('[data-testid="settings-apply"]').click();
    await form.locator('[data-testid="settings-applied"]').waitFor({ timeout: 30_000 });
    expect(await virsh('dumpxml', '--domain', LIVE)).toContain(`<source file='${path}'`);
    const after = await inactive(LIVE);
    expect(after).toContain(`<source file='${path}'/>`);
    expect(after).toMatch(/<os firmware='efi'>/);
    expect(await virsh('dumpxml', '--domain', LIVE)).not.toMatch(/<os firmware='efi'>/);
    // Read back into the form after the apply (the disk's line names the image now); Eject
    // empties the drive of the running guest.
    await expect.poll(() => form.locator('[data-testid="disk-sda"] .disk-source').innerText(), { timeout: 15_000 }).toBe(path);
    await expect.poll(() => form.locator('[data-testid="settings-pending"] li').count()).toBe(0);
    await form.locator('[data-testid="cdrom-sda-eject"]').click();
    await form.locator('[data-testid="pending-cdrom-sda"]').waitFor();
    await form.locator('[data-testid="settings-firmware"]').selectOption('bios');
    await form.locator('[data-testid="pending-firmware"]').waitFor();
    await form.locator('[data-testid="settings-apply"]').click();
    await form.locator('[data-testid="settings-applied"]').waitFor({ timeout: 30_000 });
    expect(/<disk[^>]*device='cdrom'[\s\S]*?<\/disk>/.exec(await virsh('dumpxml', '--domain', LIVE))?.[0]).not.toContain('<source file');
    expect(await inactive(LIVE)).not.toMatch(/firmware='efi'|<source file='[^']*disc/);
  });
});

describe('the XML section', () => {
  async function replaceText(details: Locator, xml: string): Promise<void> {
    const content = details.locator('[data-testid="xml-editor-content"]');
    await content.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(xml);
  }

  it('an element libvirt’s schema does not know: libvirt’s message is shown, the definition is intact byte for byte', { timeout: 60_000 }, async () => {
    const details = await openSection(OFF, 'xml');
    await details.locator('[data-testid="xml-editor-content"]').waitFor({ timeout: 20_000 });
    const before = await inactive(OFF);
    await expect.poll(() => details.locator('[data-testid="xml-editor-content"]').innerText()).toContain(`<name>${OFF}</name>`);
    await replaceText(details, before.replace('<devices>', '<devices>\n    <bogus-device/>'));
    await details.locator('[data-testid="xml-save"]').click();
    const error = details.locator('[data-testid="xml-error"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).toMatch(/refused the definition[\s\S]*(schema|validate)/i);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-xml-rejected-en.png') });
    expect(await inactive(OFF)).toBe(before);
  });

  it('a changed name is refused with the reason; nothing is defined', async () => {
    const details = await openSection(OFF, 'xml');
    const before = await inactive(OFF);
    await replaceText(details, before.replace(`<name>${OFF}</name>`, `<name>${OFF}-copy</name>`));
    await details.locator('[data-testid="xml-save"]').click();
    await expect.poll(() => details.locator('[data-testid="xml-error"]').innerText()).toContain('second virtual machine');
    expect(await inactive(OFF)).toBe(before);
    expect(await virsh('list', '--all', '--name')).not.toContain(`${OFF}-copy`);
  });

  it('a valid edit is saved; a change made on the host meanwhile is not overwritten without asking', { timeout: 60_000 }, async () => {
    const details = await openSection(OFF, 'xml');
    await details.locator('[data-testid="xml-reload"]').click();
    const before = await inactive(OFF);
    await expect.poll(() => details.locator('[data-testid="xml-editor-content"]').innerText()).toContain('<on_reboot>restart</on_reboot>');
    await replaceText(details, before.replace('<on_reboot>restart</on_reboot>', '<on_reboot>destroy</on_reboot>'));
    await details.locator('[data-testid="xml-save"]').click();
    await details.locator('[data-testid="xml-saved"]').waitFor({ timeout: 20_000 });
    expect(await inactive(OFF)).toContain('<on_reboot>destroy</on_reboot>');

    const saved = await inactive(OFF);
    await virsh('desc', '--domain', OFF, '--config', '--title', '--new-desc', `changed on the host ${tag}`);
    const onHost = await inactive(OFF);
    await replaceText(details, saved.replace('<on_crash>destroy</on_crash>', '<on_crash>restart</on_crash>'));
    await details.locator('[data-testid="xml-save"]').click();
    const dialog = page.locator('[data-testid="xml-conflict"]');
    await dialog.waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-xml-conflict-en.png') });
    expect(await inactive(OFF)).toBe(onHost);
    await dialog.locator('[data-testid="xml-load-host-version"]').click();
    await expect.poll(() => details.locator('[data-testid="xml-editor-content"]').innerText()).toContain(`changed on the host ${tag}`);
    expect(await inactive(OFF)).toBe(onHost);
  });
});
