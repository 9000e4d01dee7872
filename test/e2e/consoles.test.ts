// Consoles through the UI in Chromium (web mode), on real guests at the Debian installer
// (Debian's netboot kernel and initrd, booted directly; under TCG where there is no KVM):
// - the VNC canvas shows the installer's screen (its blue, many colours), and an arrow key
//   pressed on the canvas moves the installer's selection (a later frame differs there);
// - the text console shows the installer's text and the installer answers keys typed into
//   xterm.js (Enter moves it to its next question);
// - both consoles close and reopen; cutting the host's SSH connection shows "reconnecting" and
//   the console comes back by itself; a second client grabbing the text console is shown, and
//   taking it back asks first;
// - a VNC display listening on a unix socket works on a host whose sshd forwards unix sockets
//   and on one that refuses (`jump`: the bytes go through socat on the host).
import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../preload/contract.js';
import { dropSshSessions, labExec, labKnownHostsPath, readLabHost, startSshd } from '../lab/index.js';
import { labProfileFields } from '../support/labApp.js';
import { RESULTS_DIR, startHarness, type Harness } from './webModeHarness.js';

const INSTALLER = '/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64';
const tag = randomBytes(3).toString('hex');
const VGA = `vd-e2e-con-vga-${tag}`;
const SERIAL = `vd-e2e-con-ser-${tag}`;
const UNIX = `vd-e2e-con-unix-${tag}`;
/** Under TCG the installer needs 20–60 s to its first screen; the machine is shared. */
const BOOT_MS = 240_000;

let harness: Harness;
let page: Page;
const hostIds: Record<string, string> = {};
const cleanup: Array<[string, string[]]> = [];

function installerXml(name: string, options: { cmdline: string; graphics?: string; kvm: boolean }): string {
  return `<domain type='${options.kvm ? 'kvm' : 'qemu'}'>
  <name>${name}</name>
  <memory unit='MiB'>1024</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <kernel>${INSTALLER}/linux</kernel>
    <initrd>${INSTALLER}/initrd.gz</initrd>
    <cmdline>${options.cmdline}</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <devices>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    ${options.graphics ?? "<graphics type='vnc' autoport='yes' listen='127.0.0.1'/>"}
    <video><model type='vga'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
`;
}

async function virsh(host: string, ...argv: string[]): Promise<string> {
  const result = await labExec(host, ['virsh', '-q', '-c', 'qemu:///system', ...argv]);
  if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')} on ${host}: ${result.stderr}`);
  return result.stdout;
}

/** Defines (the lab's own setup, as root on the host) and starts a guest. */
async function bootOnHost(host: string, name: string, xml: string): Promise<void> {
  const file = `/var/tmp/${name}.xml`;
  const written = await labExec(host, ['sh', '-c', 'cat > "$1"', 'sh', file], { input: xml });
  if (written.code !== 0) throw new Error(written.stderr);
  cleanup.unshift([host, ['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name]], [host, ['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]]);
  cleanup.push([host, ['rm', '-f', file]]);
  await virsh(host, 'define', '--file', file);
  await virsh(host, 'start', '--domain', name);
}

async function destroy(host: string, name: string): Promise<void> {
  await labExec(host, ['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]).catch(() => undefined);
}

/** Opens a VM's tab at its Console section, of the given kind. */
async function openConsole(host: string, name: string, kind: 'graphical' | 'serial'): Promise<Locator> {
  const treeVm = page.locator(`[data-testid="tree-host"][data-host-id="${hostIds[host]}"] [data-testid="tree-vm"][data-vm-name="${name}"]`);
  await treeVm.waitFor({ timeout: 60_000 });
  await treeVm.click();
  const details = page.locator(`[data-testid="vm-details"][data-vm-name="${name}"]`);
  await details.waitFor();
  await details.locator('[data-testid="vm-section-console"]').click();
  const section = details.locator('[data-testid="vm-console"]');
  await section.waitFor({ timeout: 30_000 });
  await section.locator(`[data-testid="console-kind-${kind}"]`).click();
  return section;
}

interface Frame {
  width: number;
  height: number;
  /** Share of pixels in the installer's blue (the border around its dialogs). */
  blue: number;
  colours: number;
  /** Mean row of the installer's highlight (red: the selected entry), or -1 when there is none. */
  highlightY: number;
}

/** The VNC canvas as the page paints it. */
async function frame(section: Locator): Promise<Frame | undefined> {
  return section.locator('[data-testid="vnc-screen"] canvas').evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context || canvas.width < 100 || canvas.height < 100) return undefined;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let blue = 0;
    let red = 0;
    let redRows = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i] ?? 0;
      const g = data[i + 1] ?? 0;
      const b = data[i + 2] ?? 0;
      if (b > 120 && r < 60 && g < 60) blue += 1;
      if (colours.size < 64) colours.add((r << 16) | (g << 8) | b);
      if (r > 120 && g < 60 && b < 60) {
        red += 1;
        redRows += Math.floor(i / 4 / canvas.width);
      }
    }
    return { width: canvas.width, height: canvas.height, blue: blue / (data.length / 4), colours: colours.size, highlightY: red > 0 ? redRows / red : -1 };
  }).catch(() => undefined);
}

async function waitForFrame(section: Locator, test: (value: Frame) => boolean, timeout: number): Promise<Frame> {
  let last: Frame | undefined;
  await expect
    .poll(
      async () => {
        last = await frame(section);
        return last !== undefined && test(last);
      },
      { timeout, interval: 500 },
    )
    .toBe(true);
  return last!;
}

/** The installer's screen: its blue frame around a grey dialog, in several colours. */
const installerScreen = (value: Frame) => value.blue > 0.02 && value.colours >= 4;

async function terminalText(section: Locator): Promise<string> {
  return section.locator('[data-testid="serial-terminal"] .xterm-rows').evaluate((rows) => rows.textContent ?? '');
}

async function statusOf(section: Locator): Promise<string | null> {
  return section.locator('[data-testid="console-status"]').first().getAttribute('data-status');
}

/** Cuts every SSH session of the host (and its sshd), waits for the console to say so, then lets sshd back. */
async function cutSsh(host: string, section: Locator): Promise<void> {
  await dropSshSessions(host);
  try {
    await expect.poll(() => statusOf(section), { timeout: 60_000, interval: 200 }).toMatch(/reconnecting|connecting/);
  } finally {
    await startSshd(host);
  }
}

beforeAll(async () => {
  harness = await startHarness({ includeLocal: false, includeDemo: false, knownHosts: labKnownHostsPath() });
  page = harness.page;
  for (const host of ['lab1', 'jump']) {
    hostIds[host] = (await harness.contract.call('profiles.create', { fields: await labProfileFields(host) })).id;
  }
  for (const host of ['lab1', 'jump']) {
    await page.locator(`[data-testid="tree-host"][data-host-id="${hostIds[host]}"][data-status="connected"]`).waitFor({ timeout: 60_000 });
  }
}, 120_000);

afterAll(async () => {
  for (const [host, argv] of cleanup) await labExec(host, argv).catch(() => undefined);
  await harness?.close();
});

describe('the graphical console (VNC through SSH)', () => {
  it('shows the installer, moves its selection with an arrow key, reopens, and comes back after the SSH link is cut', { timeout: 600_000 }, async () => {
    const kvm = (await readLabHost('lab1')).kvm;
    // No serial console on the command line: the installer runs on the screen (given any
    // console=ttyS…, it picks the serial port).
    await bootOnHost('lab1', VGA, installerXml(VGA, { kvm, cmdline: 'quiet' }));
    let section = await openConsole('lab1', VGA, 'graphical');
    const vnc = section.locator('[data-testid="vnc-console"]');
    await expect.poll(() => vnc.getAttribute('data-status'), { timeout: 60_000 }).toBe('connected');
    // The language list is up once the highlight sits below the screen's top third.
    const first = await waitForFrame(section, (value) => installerScreen(value) && value.highlightY > value.height / 4, BOOT_MS);
    await page.screenshot({ path: `${RESULTS_DIR}/console-vnc-installer.png` });

    // The installer's language list: a key pressed on the canvas moves its selection (the red
    // highlight) down, then up again, seen in later frames.
    expect(first.highlightY).toBeGreaterThan(0);
    await section.locator('[data-testid="vnc-screen"] canvas').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowDown');
    const moved = await waitForFrame(section, (value) => installerScreen(value) && value.highlightY > first.highlightY + 3, 60_000);
    await page.keyboard.press('ArrowUp');
    await waitForFrame(section, (value) => installerScreen(value) && value.highlightY < moved.highlightY - 3, 60_000);

    // Closing and reopening: another section, then the console again.
    const details = page.locator(`[data-testid="vm-details"][data-vm-name="${VGA}"]`);
    await details.locator('[data-testid="vm-section-overview"]').click();
    await expect.poll(() => section.count()).toBe(0);
    section = await openConsole('lab1', VGA, 'graphical');
    await waitForFrame(section, installerScreen, 60_000);

    // The host's SSH connection is cut: "reconnecting", then the console is back by itself.
    await cutSsh('lab1', section);
    await expect.poll(() => section.locator('[data-testid="vnc-console"]').getAttribute('data-status'), { timeout: 120_000, interval: 250 }).toBe('connected');
    await waitForFrame(section, installerScreen, 60_000);
    await destroy('lab1', VGA);
    await expect.poll(() => statusOf(section), { timeout: 60_000 }).toBe('not-running');
  });
});

describe('the text console (virsh console in xterm.js)', () => {
  it('shows the installer on the serial port, which answers keys typed there; reopens and survives an SSH cut', { timeout: 600_000 }, async () => {
    const kvm = (await readLabHost('lab1')).kvm;
    // console=ttyS0: the installer runs on the serial port.
    await bootOnHost('lab1', SERIAL, installerXml(SERIAL, { kvm, cmdline: 'console=ttyS0,115200' }));
    let section = await openConsole('lab1', SERIAL, 'serial');
    const serial = section.locator('[data-testid="serial-console"]');
    await expect.poll(() => serial.getAttribute('data-status'), { timeout: 60_000 }).toBe('connected');
    await expect.poll(() => terminalText(section), { timeout: BOOT_MS, interval: 1000 }).toMatch(/Select a language/i);
    await page.screenshot({ path: `${RESULTS_DIR}/console-serial-installer.png` });

    // Enter takes the default language; the installer asks the next question.
    await section.locator('[data-testid="serial-terminal"]').click();
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(section), { timeout: 120_000, interval: 500 }).toMatch(/Select your location/i);

    // Close and reopen.
    const details = page.locator(`[data-testid="vm-details"][data-vm-name="${SERIAL}"]`);
    await details.locator('[data-testid="vm-section-overview"]').click();
    await expect.poll(() => section.count()).toBe(0);
    section = await openConsole('lab1', SERIAL, 'serial');
    await expect.poll(() => section.locator('[data-testid="serial-console"]').getAttribute('data-status'), { timeout: 60_000 }).toBe('connected');

    // Cut SSH; the console says so and comes back; the installer still answers.
    await cutSsh('lab1', section);
    await expect.poll(() => section.locator('[data-testid="serial-console"]').getAttribute('data-status'), { timeout: 120_000, interval: 250 }).toBe('connected');
    await section.locator('[data-testid="serial-terminal"]').click();
    await page.keyboard.press('Enter');
    // On a serial console the installer skips the keyboard: the location question is simply gone.
    await expect.poll(() => terminalText(section), { timeout: 120_000, interval: 500 }).not.toMatch(/Select your location/i);

    // A second client grabs the console (virsh console --force): this one says another client
    // has it, and takes it back only after asking; the other client is then cut off.
    await page.evaluate(
      async ({ hostId, name }) => {
        const state = window as unknown as { virtdeckClient: ContractClient; vdGrabClosed?: boolean };
        const grab = await state.virtdeckClient.openStream('vm.console', { hostId, name, size: { rows: 24, cols: 80 }, force: true });
        grab.onClose(() => (state.vdGrabClosed = true));
      },
      { hostId: hostIds.lab1!, name: SERIAL },
    );
    await expect.poll(() => statusOf(section), { timeout: 60_000, interval: 250 }).toBe('busy');
    await section.locator('[data-testid="console-take-over"]').click();
    await page.locator('[data-testid="confirm-dialog"] [data-testid="confirm-ok"]').click();
    await expect.poll(() => section.locator('[data-testid="serial-console"]').getAttribute('data-status'), { timeout: 60_000, interval: 250 }).toBe('connected');
    await expect.poll(() => page.evaluate(() => (window as unknown as { vdGrabClosed?: boolean }).vdGrabClosed === true), { timeout: 30_000 }).toBe(true);
    await destroy('lab1', SERIAL);
  });
});

describe('a VNC display on a unix socket', () => {
  for (const host of ['lab1', 'jump'] as const) {
    it(`works on ${host} (${host === 'jump' ? 'sshd refuses stream-local forwarding: through socat on the host' : 'stream-local forwarding'})`, { timeout: 300_000 }, async () => {
      const kvm = (await readLabHost(host)).kvm;
      // QEMU makes the socket with its own group; in a setgid directory of the libvirt group the
      // SSH user (a member) may open it, as it may on a host set up that way.
      const dir = `/var/lib/libvirt/vd-vnc-${tag}`;
      const prepared = await labExec(host, ['sh', '-c', 'mkdir -p "$1" && chown libvirt-qemu:libvirt "$1" && chmod 2770 "$1"', 'sh', dir]);
      if (prepared.code !== 0) throw new Error(prepared.stderr);
      cleanup.push([host, ['rm', '-rf', dir]]);
      const name = `${UNIX}-${host}`;
      const socket = `${dir}/vnc.sock`;
      await bootOnHost(host, name, installerXml(name, { kvm, cmdline: '', graphics: `<graphics type='vnc'><listen type='socket' socket='${socket}'/></graphics>` }));
      const section = await openConsole(host, name, 'graphical');
      await expect.poll(() => section.locator('[data-testid="vnc-console"]').getAttribute('data-status'), { timeout: 60_000 }).toBe('connected');
      // Any picture of the booting guest: more than one colour on the canvas.
      await waitForFrame(section, (value) => value.colours >= 2, BOOT_MS);
      if (host === 'jump') {
        const helpers = await labExec(host, ['pgrep', '-u', 'vdlab', '-f', `UNIX-CONNECT:${socket}`]);
        expect(helpers.stdout.trim()).not.toBe('');
      }
      await destroy(host, name);
    });
  }
});
