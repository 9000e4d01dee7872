/**
 * The install benchmark: for the same Debian-layout tree served in the lab, the time from
 * "Create" in the New VM wizard (web mode in Chromium) to the installer's first line on the
 * guest's serial console, against `virt-install --location URL --extra-args console=ttyS0
 * --graphics none --noautoconsole` over `qemu+ssh` to the same host in the same run (Debian's
 * virtinst). virt-install downloads kernel and initrd to this machine and uploads them into the
 * host's `boot-scratch` pool; the app has the host fetch them itself.
 *
 * Both guests are watched the same way: `virsh console` on the host through OpenSSH (a pty, as
 * virsh needs one), attached as soon as the domain exists — the kernel takes seconds to print
 * its first line, even with KVM — and each is timed to its first console line (the installer
 * kernel's) and to the installer's own first screen. The app's guest runs first in one run and
 * second in the next, so neither always finds the host's caches warm.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labExec, labKnownHostsPath, labUp, readLabHost, readLabHosts } from '../lab/index.js';
import { startInstallSources, type InstallSources } from '../lab/installTree.js';
import { labProfileFields } from '../support/labApp.js';
import { startWebModeSession, type WebModeSession } from './webModeProcess.js';

export interface InstallBenchOptions {
  runs: number;
  /** One side alone (to check a setup); the summary then has no ratio. */
  only?: 'app' | 'virt-install';
  log(line: Record<string, unknown>): void;
}

const HOST = 'lab1';
/** Generous for TCG: the real installer's initramfs is 40 MB. */
const FIRST_SCREEN_MS = 240_000;

interface ConsoleTimes {
  firstLineMs: number;
  firstScreenMs: number;
}

async function hostSh(script: string, ...args: string[]): Promise<string> {
  const result = await labExec(HOST, ['sh', '-c', script, 'sh', ...args], { timeoutMs: 120_000 });
  return result.stdout.trim();
}

const virsh = (...argv: string[]) => hostSh('exec virsh -q -c qemu:///system "$@"', ...argv);

async function removeDomain(name: string): Promise<void> {
  await virsh('destroy', name).catch(() => undefined);
  await virsh('undefine', name, '--nvram').catch(() => undefined);
  await virsh('undefine', name).catch(() => undefined);
}

/** A HOME for OpenSSH (and so libvirt's ssh transport) that knows the lab's keys. */
async function sshHome(): Promise<{ home: string; cleanup: () => Promise<void> }> {
  const lab = await readLabHost(HOST);
  const home = await mkdtemp(path.join(tmpdir(), 'vd-bench-install-'));
  await mkdir(path.join(home, '.ssh'), { mode: 0o700 });
  await writeFile(
    path.join(home, '.ssh', 'config'),
    [
      `Host ${lab.address}`,
      `  User ${lab.user}`,
      `  Port ${lab.port}`,
      `  IdentityFile ${lab.keyFile}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${labKnownHostsPath()}`,
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  // OpenSSH reads ~/.ssh/config from the passwd database's home, not $HOME: a wrapper passes -F.
  await writeFile(path.join(home, 'ssh'), `#!/bin/sh\nexec ssh -F '${path.join(home, '.ssh', 'config')}' "$@"\n`, { mode: 0o755 });
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/**
 * Resolves with the times (from `start`) of the first console line and of `screen`: polls until
 * the domain runs, then reads `virsh console` over `ssh -tt`.
 */
async function watchConsole(home: string, name: string, start: number, screen: RegExp): Promise<ConsoleTimes> {
  const lab = await readLabHost(HOST);
  const deadline = start + FIRST_SCREEN_MS;
  while ((await virsh('domstate', name).catch(() => '')) !== 'running') {
    if (Date.now() > deadline) throw new Error(`${name} did not start within ${FIRST_SCREEN_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const child: ChildProcess = spawn(path.join(home, 'ssh'), ['-tt', lab.address, 'virsh', '-c', 'qemu:///system', 'console', '--force', name], { env: { ...process.env, HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    return await new Promise<ConsoleTimes>((resolve, reject) => {
      let text = '';
      let firstLineMs: number | undefined;
      const timer = setTimeout(() => reject(new Error(`${name}: no ${screen} on its console within ${FIRST_SCREEN_MS} ms; it printed: ${text.slice(-400)}`)), deadline - Date.now());
      child.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        // virsh's own banner ("Connected to domain …", "Escape character is ^]") is not the guest's.
        const guest = text.replace(/^[\s\S]*?Escape character is[^\n]*\n/, '');
        if (firstLineMs === undefined && guest !== text && /\S[^\n]*\n/.test(guest)) firstLineMs = Date.now() - start;
        if (screen.test(guest)) {
          clearTimeout(timer);
          resolve({ firstLineMs: firstLineMs ?? Date.now() - start, firstScreenMs: Date.now() - start });
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`virsh console for ${name} ended (${code}) before ${screen}: ${text.slice(-400)}`));
      });
    });
  } finally {
    child.kill('SIGTERM');
  }
}

/** virt-install over qemu+ssh, as an administrator would type it. */
async function virtInstallMs(home: string, sources: InstallSources, name: string, kvm: boolean): Promise<ConsoleTimes> {
  const lab = await readLabHost(HOST);
  const argv = [
    '--connect', `qemu+ssh://${lab.address}/system?command=${encodeURIComponent(path.join(home, 'ssh'))}`,
    '--name', name,
    '--memory', '512',
    '--vcpus', '1',
    '--disk', 'none',
    '--network', 'none',
    '--location', sources.debianUrl,
    '--extra-args', 'console=ttyS0',
    '--graphics', 'none',
    '--noautoconsole',
    '--osinfo', 'detect=on,require=off',
    ...(kvm ? [] : ['--virt-type', 'qemu']),
  ];
  const start = Date.now();
  const watching = watchConsole(home, name, start, sources.firstScreen);
  const installer = spawn('virt-install', argv, { env: { ...process.env, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  installer.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  installer.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => installer.once('exit', resolve));
  const failed = exited.then((code) => {
    if (code !== 0) throw new Error(`virt-install failed (${code}): ${output.slice(-800)}`);
    return new Promise<never>(() => undefined);
  });
  const times = await Promise.race([watching, failed]);
  await exited;
  return times;
}

/**
 * The app: the wizard on the host's tab — network-install URL, the same tree, console=ttyS0,
 * 512 MiB, 1 vCPU, no disk, no network — then Create with "Start at once"; timed from the click.
 */
async function appInstallMs(session: WebModeSession, hostId: string, sources: InstallSources, name: string, home: string): Promise<ConsoleTimes> {
  const { page } = session;
  await page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"] > [data-testid="tree-row"]`).first().click({ button: 'right' });
  await page.locator('[data-testid="host-menu-new-vm"]').click();
  const dialog = page.locator('[data-testid="new-vm-wizard"]');
  const next = async (expected: string) => {
    const button = dialog.locator('[data-testid="wizard-next"]');
    await button.waitFor();
    for (const deadline = Date.now() + 30_000; !(await button.isEnabled()); ) {
      if (Date.now() > deadline) throw new Error(`The wizard's Next stayed disabled before ${expected}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await button.click();
    await dialog.locator(`[data-testid="wizard-page-${expected}"]`).waitFor({ timeout: 120_000 });
  };
  await dialog.locator('[data-testid="wizard-page-host"] [data-testid="wizard-host"]').waitFor({ timeout: 60_000 });
  await next('source');
  await dialog.locator('[data-testid="wizard-source-url"] input').check();
  await dialog.locator('[data-testid="wizard-url"]').fill(sources.debianUrl);
  await dialog.locator('[data-testid="wizard-kernel-args"]').fill('console=ttyS0');
  await next('os');
  await next('resources');
  await dialog.locator('[data-testid="wizard-memory"]').fill('512');
  await next('storage');
  await dialog.locator('[data-testid="wizard-storage-none"] input').check();
  await next('network');
  await dialog.locator('[data-testid="wizard-network-none"] input').check();
  await next('summary');
  await dialog.locator('[data-testid="wizard-name"]').fill(name);
  await dialog.locator('[data-testid="wizard-start"]').check();
  const create = dialog.locator('[data-testid="wizard-create"]');
  for (const deadline = Date.now() + 30_000; !(await create.isEnabled()); ) {
    if (Date.now() > deadline) throw new Error('The wizard\'s Create stayed disabled');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const start = Date.now();
  const watching = watchConsole(home, name, start, sources.firstScreen);
  await create.click();
  return watching;
}

export async function runInstallBench(options: InstallBenchOptions): Promise<void> {
  const { log } = options;
  const lab = (await readLabHosts().catch(() => [])).some((host) => host.name === HOST) ? { kvm: (await readLabHost(HOST)).kvm } : await labUp({ hosts: 1 });
  const sources = await startInstallSources({ flavour: 'installer' });
  const ssh = await sshHome();
  const session = await startWebModeSession();
  const tag = Date.now().toString(36);
  const app: ConsoleTimes[] = [];
  const reference: ConsoleTimes[] = [];
  log({ bench: 'install', step: 'setup', host: HOST, kvm: lab.kvm, tree: sources.debianUrl, runs: options.runs });
  try {
    const hostId = await session.addHost(await labProfileFields(HOST));
    for (let run = 0; run < options.runs; run += 1) {
      const names = { app: `vd-bench-install-app-${tag}-${run}`, ref: `vd-bench-install-ref-${tag}-${run}` };
      const order = run % 2 === 0 ? (['app', 'ref'] as const) : (['ref', 'app'] as const);
      for (const which of order.filter((side) => options.only === undefined || (side === 'app') === (options.only === 'app'))) {
        const times = which === 'app' ? await appInstallMs(session, hostId, sources, names.app, ssh.home) : await virtInstallMs(ssh.home, sources, names.ref, lab.kvm);
        (which === 'app' ? app : reference).push(times);
        log({ bench: 'install', step: which === 'app' ? 'app' : 'virt-install', run, first_line_ms: times.firstLineMs, first_screen_ms: times.firstScreenMs });
        await removeDomain(names[which]);
      }
    }
    if (options.only !== undefined) return;
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const appMs = median(app.map((times) => times.firstLineMs));
    const refMs = median(reference.map((times) => times.firstLineMs));
    log({
      bench: 'install',
      kvm: lab.kvm,
      runs: options.runs,
      app_first_screen_ms: median(app.map((times) => times.firstScreenMs)),
      virt_install_first_screen_ms: median(reference.map((times) => times.firstScreenMs)),
      app_ms: appMs,
      virt_install_ms: refMs,
      ratio: Math.round((appMs / refMs) * 100) / 100,
    });
  } finally {
    await session.close();
    await ssh.cleanup();
    await sources.stop();
  }
}
