/**
 * The console benchmark on lab1, with web mode in Chromium, on two guests: Debian's installer on
 * its screen (VNC on the host's loopback) and the mini guest (the installer's kernel and a
 * busybox initramfs whose serial console echoes what is typed):
 * - first_frame_ms: from the click that opens the Console section to the first frame painted
 *   on the VNC canvas (more than one colour), median of the runs;
 * - serial_echo_p95_ms: from a key press in the serial terminal to its echo in xterm.js's rows;
 * - tunnel_mb_s: RFB framebuffer updates (raw encoding, full screen, one after another) read through
 *   the app's `vm.vnc` stream by a Node client on web mode's stream socket; ssh_L_mb_s: the
 *   same reads through an OpenSSH `ssh -L` forward to the same VNC port, in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import WebSocket from 'ws';
import { labExec, labKnownHostsPath, labSshConfigPath, labUp, miniDomainXml, miniGuestFiles, MINI_PROMPT, readLabHost, readLabHosts } from '../lab/index.js';
import { labProfileFields } from '../support/labApp.js';
import { percentile, round1, startWebModeSession, type WebModeSession } from './webModeProcess.js';

export interface ConsoleBenchOptions {
  runs: number;
  /** Framebuffer updates read per throughput measurement. */
  updates: number;
  log(line: Record<string, unknown>): void;
}

const HOST = 'lab1';
const NAME = 'vd-bench-console';
/** The graphical guest: Debian's installer on its screen (direct kernel boot from the package's files). */
const VGA_NAME = 'vd-bench-console-vga';
const INSTALLER = '/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64';

/** A byte pipe both throughput clients run RFB over. */
interface Pipe {
  write(data: Buffer): void;
  onData(listener: (data: Buffer) => void): void;
  close(): void;
}

/**
 * A minimal RFB client (security None): handshake, raw encoding, then `updates` full-screen
 * updates requested `inFlight` at a time. Resolves with the bytes read and the time taken by
 * the updates (the handshake is not counted). QEMU folds requests that wait into one update, so
 * one is in flight at a time.
 */
export function rfbThroughput(pipe: Pipe, updates: number, inFlight = 1): Promise<{ bytes: number; ms: number; width: number; height: number }> {
  return new Promise((resolve, reject) => {
    let buffer: Buffer = Buffer.alloc(0);
    let phase: 'version' | 'security' | 'result' | 'init' | 'updates' = 'version';
    let width = 0;
    let height = 0;
    let bytesPerPixel = 4;
    let received = 0;
    let requested = 0;
    let done = 0;
    let started = 0;
    let pendingRects = 0;
    let inUpdate = false;
    let skip = 0;
    const request = (): void => {
      const message = Buffer.alloc(10);
      message.writeUInt8(3, 0);
      message.writeUInt8(0, 1); // full, not incremental: every request is a whole screen
      message.writeUInt16BE(width, 6);
      message.writeUInt16BE(height, 8);
      pipe.write(message);
      requested += 1;
    };
    const take = (count: number): Buffer | undefined => {
      if (buffer.length < count) return undefined;
      const head = buffer.subarray(0, count);
      buffer = buffer.subarray(count);
      return head;
    };
    const step = (): void => {
      for (;;) {
        if (phase === 'version') {
          const version = take(12);
          if (!version) return;
          pipe.write(Buffer.from('RFB 003.008\n'));
          phase = 'security';
        } else if (phase === 'security') {
          if (buffer.length < 1 || buffer.length < 1 + buffer[0]!) return;
          const count = buffer[0]!;
          const types = take(1 + count)!.subarray(1);
          if (!types.includes(1)) return reject(new Error(`the VNC display wants security types ${[...types].join(',')}, not None`));
          pipe.write(Buffer.from([1]));
          phase = 'result';
        } else if (phase === 'result') {
          const result = take(4);
          if (!result) return;
          if (result.readUInt32BE(0) !== 0) return reject(new Error('VNC security handshake failed'));
          pipe.write(Buffer.from([1])); // ClientInit: shared
          phase = 'init';
        } else if (phase === 'init') {
          if (buffer.length < 24) return;
          const nameLength = buffer.readUInt32BE(20);
          const init = take(24 + nameLength);
          if (!init) return;
          width = init.readUInt16BE(0);
          height = init.readUInt16BE(2);
          bytesPerPixel = init.readUInt8(4) / 8;
          const encodings = Buffer.alloc(8);
          encodings.writeUInt8(2, 0);
          encodings.writeUInt16BE(1, 2);
          encodings.writeInt32BE(0, 4); // raw
          pipe.write(encodings);
          phase = 'updates';
          started = performance.now();
          while (requested < Math.min(inFlight, updates)) request();
        } else {
          if (!inUpdate) {
            if (buffer.length < 1) return;
            const type = buffer[0]!;
            if (type === 0) {
              const header = take(4);
              if (!header) return;
              pendingRects = header.readUInt16BE(2);
              inUpdate = true;
            } else if (type === 2) {
              take(1); // bell
            } else if (type === 3) {
              if (buffer.length < 8) return;
              const length = buffer.readUInt32BE(4);
              if (!take(8 + length)) return;
            } else {
              return reject(new Error(`unexpected RFB message ${type}`));
            }
            continue;
          }
          if (pendingRects === 0) {
            inUpdate = false;
            done += 1;
            if (done >= updates) {
              pipe.close();
              return resolve({ bytes: received, ms: performance.now() - started, width, height });
            }
            if (requested < updates) request();
            continue;
          }
          if (skip > 0) {
            // Pixels are dropped as they arrive (never gathered: that would cost a copy per chunk).
            const dropped = Math.min(skip, buffer.length);
            take(dropped);
            skip -= dropped;
            if (skip > 0) return;
            pendingRects -= 1;
            continue;
          }
          if (buffer.length < 12) return;
          const rectWidth = buffer.readUInt16BE(4);
          const rectHeight = buffer.readUInt16BE(6);
          const encoding = buffer.readInt32BE(8);
          take(12);
          // Pseudo-encodings carry no pixels; raw ones width × height × bytes per pixel.
          skip = encoding === 0 ? rectWidth * rectHeight * bytesPerPixel : 0;
          if (skip === 0) pendingRects -= 1;
        }
      }
    };
    pipe.onData((data) => {
      if (phase === 'updates') received += data.length;
      buffer = buffer.length === 0 ? data : Buffer.concat([buffer, data]);
      try {
        step();
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

/** The app's `vm.vnc` stream, on web mode's stream socket, read by Node (credit returned as it arrives). */
function appStreamPipe(session: WebModeSession, hostId: string): Promise<Pipe> {
  const parsed = new URL(session.url);
  const ws = new WebSocket(`ws://${parsed.host}/ws/stream`, { headers: { origin: parsed.origin, cookie: `virtdeck_token=${parsed.searchParams.get('token') ?? ''}` } });
  return new Promise((resolve, reject) => {
    const listeners: Array<(data: Buffer) => void> = [];
    const early: Buffer[] = [];
    ws.once('open', () => ws.send(JSON.stringify({ t: 'open', name: 'vm.vnc', args: { hostId, name: NAME } })));
    ws.once('error', reject);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        const chunk = data as Buffer;
        ws.send(JSON.stringify({ type: 'credit', bytes: chunk.length }));
        // The server speaks first, maybe in the same read as "opened": keep it for the client.
        if (listeners.length === 0) early.push(chunk);
        for (const listener of listeners) listener(chunk);
        return;
      }
      const message = JSON.parse(String(data)) as { t?: string; type?: string; error?: unknown };
      if (message.t === 'opened') {
        resolve({
          write: (bytes) => ws.send(bytes),
          onData: (listener) => {
            listeners.push(listener);
            for (const chunk of early.splice(0)) listener(chunk);
          },
          close: () => ws.close(),
        });
      } else if (message.type === 'close' && message.error) {
        reject(new Error(`vm.vnc: ${JSON.stringify(message.error)}`));
      }
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `ssh -N -L` to the VNC port, and a socket through it once it listens. */
export async function sshForward(vncPort: number): Promise<{ child: ChildProcess; pipe: Pipe }> {
  const port = await freePort();
  const child = spawn(
    'ssh',
    ['-F', labSshConfigPath(), '-o', `UserKnownHostsFile=${labKnownHostsPath()}`, '-o', 'BatchMode=yes', '-o', 'ExitOnForwardFailure=yes', '-N', '-L', `127.0.0.1:${port}:127.0.0.1:${vncPort}`, HOST],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const socket = connect({ host: '127.0.0.1', port });
    const ok = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    if (ok) {
      const pipe: Pipe = { write: (data) => socket.write(data), onData: (listener) => socket.on('data', listener), close: () => socket.destroy() };
      // The forward is up: the RFB greeting arrives through it.
      return { child, pipe };
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error('ssh -L did not listen within 30 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function virsh(...argv: string[]): Promise<string> {
  const result = await labExec(HOST, ['virsh', '-q', '-c', 'qemu:///system', ...argv]);
  if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

async function defineAndStart(name: string, xml: string, file: string): Promise<void> {
  await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]).catch(() => undefined);
  await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name]).catch(() => undefined);
  const written = await labExec(HOST, ['sh', '-c', 'cat > "$1"', 'sh', file], { input: xml });
  if (written.code !== 0) throw new Error(written.stderr);
  await virsh('define', '--file', file);
  await virsh('start', '--domain', name);
}

/** The installer on its screen; returns its VNC port. */
async function bootInstaller(kvm: boolean): Promise<number> {
  const xml = `<domain type='${kvm ? 'kvm' : 'qemu'}'><name>${VGA_NAME}</name><memory unit='MiB'>1024</memory><vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>${INSTALLER}/linux</kernel><initrd>${INSTALLER}/initrd.gz</initrd><cmdline>quiet</cmdline></os>
  <devices><graphics type='vnc' autoport='yes' listen='127.0.0.1'/><video><model type='vga'/></video><memballoon model='none'/></devices></domain>`;
  await labExec(HOST, ['mkdir', '-p', '-m', '0755', '/var/tmp/vd-bench-console']);
  await defineAndStart(VGA_NAME, xml, '/var/tmp/vd-bench-console/vga.xml');
  const display = await virsh('vncdisplay', '--domain', VGA_NAME);
  const match = /:(\d+)$/.exec(display);
  if (!match) throw new Error(`vncdisplay said ${display}`);
  return 5900 + Number(match[1]);
}

async function bootMiniGuest(kvm: boolean): Promise<void> {
  const dir = '/var/tmp/vd-bench-console';
  const files = await miniGuestFiles();
  await labExec(HOST, ['mkdir', '-p', '-m', '0755', dir]);
  for (const [file, local] of [['vmlinuz', files.kernel], ['initrd.gz', files.initrd]] as const) {
    const result = await labExec(HOST, ['sh', '-c', 'cat > "$1" && chmod 644 "$1"', 'sh', `${dir}/${file}`], { input: await readFile(local) });
    if (result.code !== 0) throw new Error(result.stderr);
  }
  const xml = miniDomainXml({ name: NAME, kvm, kernel: `${dir}/vmlinuz`, initrd: `${dir}/initrd.gz` });
  await defineAndStart(NAME, xml, `${dir}/domain.xml`);
}

export async function runConsoleBench(options: ConsoleBenchOptions): Promise<void> {
  const { log } = options;
  const lab = (await readLabHosts().catch(() => [])).some((host) => host.name === HOST) ? { kvm: (await readLabHost(HOST)).kvm } : await labUp({ hosts: 1 });
  await bootMiniGuest(lab.kvm);
  const vncPort = await bootInstaller(lab.kvm);
  log({ bench: 'console', step: 'setup', host: HOST, kvm: lab.kvm, vnc_port: vncPort });
  const session = await startWebModeSession();
  try {
    const hostId = await session.addHost(await labProfileFields(HOST));
    const { page } = session;
    // tsx (keepNames) wraps named functions in __name(); page functions run without it.
    await page.evaluate('globalThis.__name = (fn) => fn');
    const openTab = async (name: string) => {
      const treeVm = page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"] [data-testid="tree-vm"][data-vm-name="${name}"]`);
      await treeVm.waitFor({ timeout: 60_000 });
      await treeVm.click();
      const tab = page.locator(`[data-testid="vm-details"][data-vm-name="${name}"]`);
      await tab.waitFor();
      await tab.locator('[data-testid="vm-section-overview"]').waitFor();
      return tab;
    };
    let details = await openTab(VGA_NAME);
    // The installer's screen first (under TCG it takes a while to boot): then every open paints it.
    await details.locator('[data-testid="vm-section-console"]').click();
    const booted = Date.now();
    for (;;) {
      const painted = await details.locator('[data-testid="vnc-screen"] canvas').evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let blue = 0;
        for (let i = 0; i < data.length; i += 4) if ((data[i + 2] ?? 0) > 120 && (data[i] ?? 0) < 60) blue += 1;
        return blue > data.length / 4 / 50;
      }).catch(() => false);
      if (painted) break;
      if (Date.now() - booted > 300_000) throw new Error('the installer did not show its screen within 300 s');
      await page.waitForTimeout(1000);
    }
    await details.locator('[data-testid="vm-section-overview"]').click();

    // First frame: from the click on "Console" to a painted canvas, runs + 1 (the first loads the chunk).
    const firstFrames: number[] = [];
    for (let run = 0; run <= options.runs; run += 1) {
      await page.evaluate(() => {
        const state = window as unknown as { __vdFrame?: Promise<number> };
        state.__vdFrame = new Promise<number>((resolve) => {
          document.addEventListener(
            'click',
            () => {
              const clicked = performance.now();
              const poll = (): void => {
                try {
                  const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="vnc-screen"] canvas');
                  const context = canvas && canvas.width > 0 && canvas.height > 0 ? canvas.getContext('2d') : null;
                  if (canvas && context) {
                    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
                    for (let i = 4; i < data.length; i += 4) {
                      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return resolve(performance.now() - clicked);
                    }
                  }
                } catch {
                  // The canvas is being set up: look again.
                }
                setTimeout(poll, 4);
              };
              setTimeout(poll, 4);
            },
            { capture: true, once: true },
          );
        });
      });
      await details.locator('[data-testid="vm-section-console"]').click();
      const ms = await page.evaluate(() => Promise.race([(window as unknown as { __vdFrame: Promise<number> }).__vdFrame, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 60_000))]));
      if (ms < 0) {
        const status = await details.locator('[data-testid="vm-console"]').textContent().catch(() => null);
        throw new Error(`no frame painted within 60 s; the console says: ${status ?? 'nothing'}`);
      }
      log({ bench: 'console', step: 'first-frame', run, ms: Math.round(ms), warm_up: run === 0 });
      if (run > 0) firstFrames.push(ms);
      await details.locator('[data-testid="vm-section-overview"]').click();
    }

    // Serial echo: key press to the character in xterm.js's rows.
    details = await openTab(NAME);
    await details.locator('[data-testid="vm-section-console"]').click();
    await details.locator('[data-testid="console-kind-serial"]').click();
    const terminal = details.locator('[data-testid="serial-terminal"]');
    await terminal.waitFor();
    await details.locator('[data-testid="serial-console"][data-status="connected"]').waitFor({ timeout: 60_000 });
    await terminal.click();
    // The guest's prompt, once it runs (Enter asks for a fresh one).
    const deadline = Date.now() + 120_000;
    while (!(await terminal.locator('.xterm-rows').textContent())?.includes(MINI_PROMPT.trim())) {
      if (Date.now() > deadline) throw new Error('the mini guest never showed its prompt');
      await page.keyboard.press('Enter');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const echoes: number[] = [];
    let lost = 0;
    const keys = 60;
    // Playwright presses each key while the page waits for its echo (a key event made in the
    // page would not be a key press).
    for (let i = 0; i < keys; i += 1) {
      const key = String.fromCharCode(97 + (i % 26));
      const waiting = page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const rows = document.querySelector('[data-testid="serial-terminal"] .xterm-rows')!;
            const before = rows.textContent ?? '';
            let pressed = 0;
            document.addEventListener('keydown', () => (pressed = performance.now()), { capture: true, once: true });
            const observer = new MutationObserver(() => {
              if (pressed > 0 && (rows.textContent ?? '') !== before) {
                observer.disconnect();
                resolve(performance.now() - pressed);
              }
            });
            observer.observe(rows, { subtree: true, childList: true, characterData: true });
            // A key that never echoes counts as lost, not as a hang.
            setTimeout(() => {
              observer.disconnect();
              resolve(-1);
            }, 5000);
          }),
      );
      await page.waitForTimeout(20);
      await page.keyboard.press(key);
      const echo = await waiting;
      if (echo >= 0) echoes.push(echo);
      else lost += 1;
      if (i % 20 === 19) {
        // A fresh line now and then; its answer settles before the next key is timed.
        await page.keyboard.press('Enter');
        await page.waitForTimeout(500);
      }
    }
    if (echoes.length === 0) throw new Error('no key typed in the serial console was echoed');
    log({ bench: 'console', step: 'serial-echo', keys, lost, p50_ms: round1(percentile(echoes, 50)), p95_ms: round1(percentile(echoes, 95)), max_ms: round1(Math.max(...echoes)) });

    // Throughput: the app's tunnel, then ssh -L, alternating, best of the runs each.
    const tunnel: number[] = [];
    const sshL: number[] = [];
    let screen = '';
    for (let run = 0; run < options.runs; run += 1) {
      const app = await rfbThroughput(await appStreamPipe(session, hostId), options.updates);
      tunnel.push(app.bytes / 1048576 / (app.ms / 1000));
      screen = `${app.width}x${app.height}`;
      const forward = await sshForward(vncPort);
      try {
        const bare = await rfbThroughput(forward.pipe, options.updates);
        sshL.push(bare.bytes / 1048576 / (bare.ms / 1000));
      } finally {
        forward.child.kill();
      }
      log({ bench: 'console', step: 'throughput', run, screen, tunnel_mb_s: round1(tunnel[run]!), ssh_L_mb_s: round1(sshL[run]!) });
    }
    const tunnelMbS = percentile(tunnel, 50);
    const sshLMbS = percentile(sshL, 50);
    log({
      bench: 'console',
      first_frame_ms: Math.round(percentile(firstFrames, 50)),
      serial_echo_p95_ms: round1(percentile(echoes, 95)),
      tunnel_mb_s: round1(tunnelMbS),
      ssh_L_mb_s: round1(sshLMbS),
      ratio: Math.round((tunnelMbS / sshLMbS) * 100) / 100,
    });
  } finally {
    await session.close();
    for (const name of [NAME, VGA_NAME]) await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]).catch(() => undefined);
  }
}
