// Each host's private filesystem state: copies of the libvirt directories (bind-mounted over the real
// ones inside the host's mount namespace), plus its own /etc/hosts and /etc/resolv.conf.
import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runChecked } from './command.js';
import { hostKeyDir, hostStateDir, labStateDir } from './paths.js';
import { LAB_SUDO_USER, LAB_USER, type HostPlan } from './plan.js';

type Fill = 'copy' | 'skeleton' | 'empty' | 'homes';

/**
 * Directories each host gets privately; `fill` says what the private copy starts with. A real
 * remote host shares no file with the test machine, so neither does a lab host: besides its
 * libvirt state it has its own /tmp, /var/tmp, /root and home directories, and a file reaches it
 * only if the app (or a test, as root on the host) puts it there.
 */
const PRIVATE_DIRS: ReadonlyArray<{ target: string; source: string; fill: Fill; mode?: number }> = [
  // Configuration: the pristine package config (network definitions, qemu.conf, …).
  { target: '/etc/libvirt', source: 'etc-libvirt', fill: 'copy' },
  // State: only the directory tree (with its owners, e.g. libvirt-qemu for qemu/), no images or saves.
  { target: '/var/lib/libvirt', source: 'var-lib-libvirt', fill: 'skeleton' },
  { target: '/run/libvirt', source: 'run-libvirt', fill: 'empty' },
  { target: '/var/log/libvirt', source: 'var-log-libvirt', fill: 'skeleton' },
  { target: '/var/cache/libvirt', source: 'var-cache-libvirt', fill: 'skeleton' },
  { target: '/tmp', source: 'tmp', fill: 'empty', mode: 0o1777 },
  { target: '/var/tmp', source: 'var-tmp', fill: 'empty', mode: 0o1777 },
  { target: '/root', source: 'root', fill: 'empty', mode: 0o700 },
  // Only the lab accounts' homes (with their authorized_keys), none of this machine's other users.
  { target: '/home', source: 'home', fill: 'homes', mode: 0o755 },
];

/** The accounts whose home directories each host gets a private copy of. */
const LAB_HOMES = [LAB_USER, LAB_SUDO_USER];

/**
 * Files each host gets privately. Its own /etc/hosts makes the host's name (its UTS hostname)
 * resolve locally — otherwise libvirtd's getaddrinfo() waits ~12 s for a DNS server the closed lab
 * cannot reach — and an empty resolv.conf keeps every lookup on the machine.
 */
const PRIVATE_FILES: ReadonlyArray<{ target: string; source: string }> = [
  { target: '/etc/hosts', source: 'etc/hosts' },
  { target: '/etc/resolv.conf', source: 'etc/resolv.conf' },
];

/** Everything in a host's state dir except these is runtime state and goes away with lab:down. */
const KEPT_ENTRIES = new Set([path.basename(hostKeyDir('x'))]);

export interface BindMount {
  readonly source: string;
  readonly target: string;
}

export function privateMounts(hostName: string): BindMount[] {
  const dir = hostStateDir(hostName);
  return [...PRIVATE_DIRS, ...PRIVATE_FILES].map((m) => ({ source: path.join(dir, m.source), target: m.target }));
}

export function libvirtSocketPath(hostName: string): string {
  return path.join(hostStateDir(hostName), 'run-libvirt', 'libvirt-sock');
}

/** libvirtd's own log (log_outputs in the generated libvirtd.conf), seen from the root namespace. */
export function libvirtdLogPath(hostName: string): string {
  return path.join(hostStateDir(hostName), 'var-log-libvirt', 'libvirtd.log');
}

export function defaultNetworkDefined(hostName: string): Promise<boolean> {
  const file = path.join(hostStateDir(hostName), 'etc-libvirt', 'qemu', 'networks', 'default.xml');
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** A bind mount needs an existing mount point; /run/libvirt and /var/log/libvirt may be missing. */
export async function ensureMountTargets(): Promise<void> {
  for (const dir of PRIVATE_DIRS) await mkdir(dir.target, { recursive: true });
  // sshd insists on its privilege-separation directory; without systemd nobody creates it.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
}

/** A stable, per-host libvirt host UUID, so the app can tell lab hosts apart (they share SMBIOS). */
export function hostUuid(hostName: string): string {
  const h = createHash('sha256').update(`virtdeck-lab:${hostName}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function libvirtdConf(hostName: string): string {
  return [
    `# Written by the VirtDeck test lab for host ${hostName} (replaces the packaged libvirtd.conf).`,
    '# The lab user reaches the read-write socket through group libvirt; there is no polkit',
    '# daemon in the lab, so socket access alone authorizes.',
    'unix_sock_group = "libvirt"',
    'unix_sock_ro_perms = "0777"',
    'unix_sock_rw_perms = "0770"',
    'auth_unix_ro = "none"',
    'auth_unix_rw = "none"',
    `host_uuid = "${hostUuid(hostName)}"`,
    '# Without systemd there is no journal; keep warnings and errors in the private log dir.',
    'log_outputs = "3:file:/var/log/libvirt/libvirtd.log"',
    '',
  ].join('\n');
}

async function copySkeleton(from: string, to: string): Promise<void> {
  const info = await stat(from).catch(() => undefined);
  if (!info?.isDirectory()) {
    await mkdir(to, { recursive: true, mode: 0o755 });
    return;
  }
  await mkdir(to, { recursive: true });
  await chown(to, info.uid, info.gid);
  await chmod(to, info.mode & 0o7777);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) await copySkeleton(path.join(from, entry.name), path.join(to, entry.name));
  }
}

/** Pristine /etc/libvirt minus the real machine's guests, so every lab host starts empty. */
async function copyLibvirtConfig(to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  await runChecked('cp', ['-a', '/etc/libvirt/.', to]);
  const qemuDir = path.join(to, 'qemu');
  const entries = await readdir(qemuDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isFile() && entry.name.endsWith('.xml')) await rm(path.join(qemuDir, entry.name));
  }
  await rm(path.join(qemuDir, 'autostart'), { recursive: true, force: true });
}

/** A copy of each lab account's home (owner, modes and ~/.ssh/authorized_keys kept). */
async function copyLabHomes(to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const user of LAB_HOMES) {
    const home = path.join('/home', user);
    if ((await stat(home).catch(() => undefined))?.isDirectory()) await runChecked('cp', ['-a', home, path.join(to, user)]);
  }
}

function etcHosts(plan: HostPlan, all: readonly HostPlan[]): string {
  const lines = [
    `# VirtDeck lab host ${plan.name}: private /etc/hosts (bind-mounted in its mount namespace).`,
    '127.0.0.1 localhost',
    '::1 localhost ip6-localhost ip6-loopback',
    ...all.map((p) => `${p.address} ${p.name}`),
  ];
  return `${lines.join('\n')}\n`;
}

const RESOLV_CONF = [
  '# VirtDeck lab: no DNS server inside the closed lab; names come from /etc/hosts.',
  'options timeout:1 attempts:1',
  '',
].join('\n');

/** Fresh private state for one host (keeps its sshd host key). */
export async function prepareHostState(plan: HostPlan, all: readonly HostPlan[]): Promise<void> {
  const dir = hostStateDir(plan.name);
  await removeHostRuntimeState(plan.name);
  await mkdir(path.join(dir, 'pids'), { recursive: true, mode: 0o700 });
  await mkdir(path.join(dir, 'etc'), { recursive: true });
  for (const m of PRIVATE_DIRS) {
    const source = path.join(dir, m.source);
    if (m.fill === 'copy') await copyLibvirtConfig(source);
    else if (m.fill === 'skeleton') await copySkeleton(m.target, source);
    else if (m.fill === 'homes') await copyLabHomes(source);
    else await mkdir(source, { recursive: true, mode: 0o755 });
    // mkdir's mode is filtered by the umask; sticky bits need chmod anyway.
    if (m.mode !== undefined) await chmod(source, m.mode);
  }
  await writeFile(path.join(dir, 'etc-libvirt', 'libvirtd.conf'), libvirtdConf(plan.name));
  await writeFile(path.join(dir, 'etc', 'hosts'), etcHosts(plan, all), { mode: 0o644 });
  await writeFile(path.join(dir, 'etc', 'resolv.conf'), RESOLV_CONF, { mode: 0o644 });
}

/**
 * Refuses to delete state while anything is mounted below the state dir in *this* mount namespace:
 * the bind mounts only ever existed inside the hosts' private namespaces, so a mount here means
 * something went wrong and rm -rf could reach the real directories.
 */
async function assertNothingMountedInState(): Promise<void> {
  const stateDir = labStateDir();
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const inside = mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((mountPoint) => mountPoint === stateDir || mountPoint.startsWith(`${stateDir}/`));
  if (inside.length > 0) throw new Error(`refusing to delete lab state: mounted in root namespace: ${inside.join(', ')}`);
}

export async function removeHostRuntimeState(hostName: string): Promise<void> {
  const dir = hostStateDir(hostName);
  const entries = await readdir(dir).catch(() => [] as string[]);
  if (entries.length === 0) return;
  await assertNothingMountedInState();
  for (const entry of entries) {
    if (!KEPT_ENTRIES.has(entry)) await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

/** Host state dirs that exist on disk (also of hosts a previous, larger lab had). */
export async function listHostStateDirs(): Promise<string[]> {
  return readdir(path.join(labStateDir(), 'hosts')).catch(() => [] as string[]);
}
