// The Settings and XML sections of a VM's tab in a real Chromium (web mode) against a lab host's
// libvirtd: fields changed through the form, the pending-changes list and Apply, read back with
// virsh; bad input refused in the form with nothing sent; a running guest's marks (now / after
// restart) and a live vCPU change; the XML editor's save, its reject path (libvirt's message,
// the old definition intact byte for byte) and a definition changed on the host meanwhile.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labExec, miniDomainXml, miniGuestFiles, readLabHost } from '../lab/index.js';
import { startLabSession, type LabSession } from './labSession.js';
import { RESULTS_DIR } from './webModeHarness.js';

const HOST = 'lab2';
const tag = randomBytes(3).toString('hex');
const OFF = `vd-e2e-set-${tag}`;
const OTHER = `vd-e2e-other-${tag}`;
const LIVE = `vd-e2e-live-${tag}`;
const POOL = `vd-e2e-setpool-${tag}`;
const POOL_DIR = `/var/tmp/${POOL}`;
let lab: LabSession;
let page: Page;
let hostId: string;
let dir: string;
let cleanup: string[][];

const virsh = (...argv: string[]): Promise<string> => lab.virsh(...argv);
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
  lab = await startLabSession(HOST);
  ({ page, hostId, cleanup } = lab);
  await lab.definePool(POOL, POOL_DIR);
  await virsh('vol-create-as', '--pool', POOL, '--name', 'extra.qcow2', '--capacity', '8M', '--format', 'qcow2');
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
  // A Linux guest (libosinfo metadata as virt-install writes it) with a SATA disk: the form advises virtio.
  await defineOnHost(
    OTHER,
    xml(OTHER)
      .replace('<memory', "<metadata><libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'><libosinfo:os id='http://debian.org/debian/12'/></libosinfo:libosinfo></metadata>\n  <memory")
      .replace('<devices>', `<devices>\n    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/tmp/${OTHER}.img'/><target dev='sda' bus='sata'/></disk>`),
  );
  // An empty CD-ROM, and an image on the host to insert into it.
  const cdrom = "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='sda' bus='sata'/><readonly/></disk>";
  await defineOnHost(LIVE, xml(LIVE).replace('<vcpu>1</vcpu>', "<vcpu current='1'>2</vcpu>").replace('<devices>', `<devices>\n    ${cdrom}`));
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--nvram', '--domain', LIVE]);
  const image = await labExec(HOST, ['sh', '-c', 'head -c 262144 /dev/zero > "$1" && chmod 644 "$1"', 'sh', `${dir}/e2e disc.iso`]);
  if (image.code !== 0) throw new Error(image.stderr);
  await virsh('start', '--domain', LIVE);
}, 120_000);

afterAll(async () => {
  await lab?.close();
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

describe('the Settings section: pinning, disks and NICs added and removed', () => {
  const taskOf = async (name: string) => (await lab.harness.contract.call('tasks.list', {})).filter((task) => task.titleKey === 'task.vm.settings' && task.titleParams?.name === name).at(-1);
  const domblk = async (name: string, ...flags: string[]) => (await virsh('domblklist', '--domain', name, ...flags)).split('\n').map((line) => line.trim().split(/\s+/)[0] ?? '').filter((target) => /^[a-z]+$/.test(target) && target !== 'Target');
  const macs = async (name: string, ...flags: string[]) => (await virsh('domiflist', '--domain', name, ...flags)).match(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g) ?? [];

  it('a running guest: a host CPU that does not exist is refused; pinning applies live (vcpuinfo, emulatorpin) as a task', { timeout: 90_000 }, async () => {
    const details = await openSection(LIVE, 'settings');
    const form = details.locator('[data-testid="vm-settings"][data-running="true"]');
    await form.waitFor({ timeout: 20_000 });
    const pinning = form.locator('[data-testid="settings-pinning"]');
    await pinning.scrollIntoViewIfNeeded();
    expect(await pinning.locator('[data-testid="settings-host-topology"]').innerText()).toMatch(/CPUs online \(0/);
    expect(await pinning.locator('[data-testid="applies-pinning"]').getAttribute('data-live')).toBe('true');
    const before = await inactive(LIVE);
    await pinning.locator('[data-testid="settings-pin-0"]').fill('0,99');
    await expect.poll(() => pinning.locator('[data-testid="settings-error-pin-0"]').innerText()).toContain('The host has no CPU 99');
    expect(await form.locator('[data-testid="settings-apply"]').isDisabled()).toBe(true);
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-settings-pinning-refused-en.png') });
    expect(await inactive(LIVE)).toBe(before);
    await pinning.locator('[data-testid="settings-pin-0"]').fill('0');
    await pinning.locator('[data-testid="settings-pin-emulator"]').fill('0');
    await expect.poll(() => form.locator('[data-testid="pending-pinning"]').getAttribute('data-live')).toBe('true');
    await form.locator('[data-testid="settings-apply"]').click();
    await form.locator('[data-testid="settings-applied"]').waitFor({ timeout: 30_000 });
    expect(await virsh('vcpuinfo', '--domain', LIVE, '--pretty')).toMatch(/VCPU:\s*0[\s\S]*?CPU Affinity:\s*0 \(out of/);
    expect((await virsh('emulatorpin', '--domain', LIVE)).trim()).toMatch(/^(\*:\s*)?0$/m);
    expect(await inactive(LIVE)).toMatch(/<vcpupin vcpu='0' cpuset='0'\/>\s*<emulatorpin cpuset='0'\/>/);
    // Read back: the form shows where vCPU 0 runs now.
    await expect.poll(() => pinning.innerText(), { timeout: 15_000 }).toContain('Runs on 0 now');
    expect(await taskOf(LIVE)).toMatchObject({ state: 'succeeded' });
  });

  it('a shut-off VM: a pool volume is added, then removed with its file deleted', { timeout: 90_000 }, async () => {
    const details = await openSection(OFF, 'settings');
    const form = details.locator('[data-testid="vm-settings"]');
    await form.waitFor();
    const add = form.locator('[data-testid="disk-add"]');
    await add.scrollIntoViewIfNeeded();
    await add.locator('[data-testid="disk-add-kind"]').selectOption('volume');
    await add.locator('[data-testid="disk-add-volume"]').selectOption(`${POOL}/extra.qcow2`);
    await add.locator('[data-testid="disk-add-bus"]').selectOption('virtio');
    expect(await add.innerText()).toContain('It becomes vdb.');
    await add.locator('[data-testid="disk-add-button"]').click();
    await form.locator('[data-testid="pending-diskAdd-vdb"]').waitFor();
    await form.locator('[data-testid="disk-new-vdb"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-settings-disk-add-en.png') });
    await form.locator('[data-testid="settings-apply"]').click();
    await form.locator('[data-testid="settings-applied"]').waitFor({ timeout: 30_000 });
    expect(await domblk(OFF, '--inactive')).toContain('vdb');
    expect(await inactive(OFF)).toMatch(new RegExp(`<driver name='qemu' type='qcow2'/>\\s*<source pool='${POOL}' volume='extra.qcow2'/>\\s*<target dev='vdb' bus='virtio'/>`));

    const disk = form.locator('[data-testid="disk-vdb"]');
    await disk.waitFor({ timeout: 15_000 });
    await disk.locator('[data-testid="disk-vdb-remove"]').check();
    await disk.locator('[data-testid="disk-vdb-delete"]').check();
    await expect.poll(() => form.locator('[data-testid="pending-diskRemove-vdb"]').innerText()).toContain('delete its file');
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-settings-disk-remove-en.png') });
    await form.locator('[data-testid="settings-apply"]').click();
    await form.locator('[data-testid="settings-applied"]').waitFor({ timeout: 30_000 });
    expect(await domblk(OFF, '--inactive')).not.toContain('vdb');
    await virsh('pool-refresh', POOL);
    expect(await virsh('vol-list', '--pool', POOL)).not.toContain('extra.qcow2');
    expect((await labExec(HOST, ['test', '-e', `${POOL_DIR}/extra.qcow2`])).code).not.toBe(0);
  });

  it('a Linux guest’s SATA disk: the form advises virtio, warns of the driver, and moves it (target sda → vda) after restart', { timeout: 60_000 }, async () => {
    const details = await openSection(OTHER, 'settings');
    const form = details.locator('[data-testid="vm-settings"]');
    await form.waitFor();
    const disk = form.locator('[data-testid="disk-sda"]');
    await disk.scrollIntoViewIfNeeded();
    expect(await disk.innerText()).toContain('virtio is faster');
    await disk.locator('[data-testid="disk-sda-bus"]').selectOption('virtio');
    await expect.poll(() => disk.innerText()).toContain('The guest needs a driver for the new bus');
    await form.locator('[data-testid="pending-diskBus-sda"]').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-settings-disk-bus-en.png') });
    await form.locator('[data-testid="settings-apply"]').click();
    await form.locator('[data-testid="settings-applied"]').waitFor({ timeout: 30_000 });
    expect(await inactive(OTHER)).toMatch(new RegExp(`<source file='/var/tmp/${OTHER}.img'/>\\s*<target dev='vda' bus='virtio'/>`));
  });

  it('a running guest: a NIC is hot-plugged with a generated MAC, a taken MAC refused, and removed again', { timeout: 90_000 }, async () => {
    const details = await openSection(LIVE, 'settings');
    const form = details.locator('[data-testid="vm-settings"][data-running="true"]');
    await form.waitFor({ timeout: 20_000 });
    const add = form.locator('[data-testid="nic-add"]');
    await add.scrollIntoViewIfNeeded();
    await add.locator('[data-testid="nic-add-source"]').selectOption('network:default');
    expect(await add.locator('[data-testid="nic-add-model"]').inputValue()).toBe('virtio');
    const mac = (await add.locator('[data-testid="nic-add-mac"]').inputValue()).toLowerCase();
    expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    await add.locator('[data-testid="nic-add-button"]').click();
    await expect.poll(() => form.locator(`[data-testid="pending-nicAdd-${mac.replace(/:/g, '')}"]`).getAttribute('data-live')).toBe('true');
    await page.screenshot({ path: join(RESULTS_DIR, 'vm-settings-nic-add-en.png') });
    await form.locator('[data-testid="settings-apply"]').click();
    await form.locator('[data-testid="settings-applied"]').waitFor({ timeout: 30_000 });
    expect(await macs(LIVE)).toContain(mac);
    expect(await macs(LIVE, '--inactive')).toContain(mac);

    // The same MAC typed for another new interface is refused in the form.
    await add.locator('[data-testid="nic-add-mac"]').fill(mac);
    await add.locator('[data-testid="nic-add-button"]').click();
    await expect.poll(() => form.locator(`[data-testid="settings-error-nicAdd-${mac.replace(/:/g, '')}"]`).innerText()).toContain('already uses this MAC');
    expect(await form.locator('[data-testid="settings-apply"]').isDisabled()).toBe(true);
    await form.locator(`[data-testid="nic-new-${mac.replace(/:/g, '')}-drop"]`).click();

    const nic = form.locator(`[data-testid="nic-${mac.replace(/:/g, '')}"]`);
    await nic.locator(`[data-testid="nic-${mac.replace(/:/g, '')}-remove"]`).check();
    await form.locator(`[data-testid="pending-nicRemove-${mac.replace(/:/g, '')}"]`).waitFor();
    await form.locator('[data-testid="settings-apply"]').click();
    await form.locator('[data-testid="settings-applied"]').waitFor({ timeout: 30_000 });
    expect(await macs(LIVE, '--inactive')).not.toContain(mac);
    expect((await taskOf(LIVE))?.log?.some((line) => (line.text ?? '').startsWith('virsh detach-device'))).toBe(true);
  });
});
