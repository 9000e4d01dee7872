// The daemons of one host — virtlogd, libvirtd, sshd — started inside the host's namespaces with
// their pid files in the lab's state dir (the default ones live in the shared /run and would clash).
import { readFile, rm } from 'node:fs/promises';
import { runInHost, runInHostChecked } from './hostNamespace.js';
import { defaultNetworkDefined, libvirtdLogPath, libvirtSocketPath } from './hostState.js';
import { netnsFile } from './network.js';
import { hostPidFile, hostSshdConfigPath, hostSshdLogPath, type HostDaemon } from './paths.js';
import { LIBVIRT_URI, SSH_PORT } from './plan.js';
import { isAlive, isInNetns, readPidFile, terminate } from './processes.js';
import { isTcpListening, unixSocketAccepts, waitFor } from './readiness.js';

/** What the lab needs to know about a running host to manage its daemons. */
export interface HostHandle {
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
  readonly holderPid: number;
}

async function tail(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trim() === '' ? '' : `--- ${file} (last lines) ---\n${text.trim().split('\n').slice(-lines).join('\n')}`;
}

/** The daemon's pid, if its pid file names a live process inside this host's namespace. */
export async function daemonPid(host: HostHandle, daemon: HostDaemon): Promise<number | undefined> {
  const pid = await readPidFile(hostPidFile(host.name, daemon));
  if (pid === undefined) return undefined;
  return (await isAlive(pid)) && (await isInNetns(pid, netnsFile(host.namespace))) ? pid : undefined;
}

export async function stopDaemon(host: HostHandle, daemon: Exclude<HostDaemon, 'holder'>): Promise<void> {
  const pid = await daemonPid(host, daemon);
  if (pid !== undefined) await terminate([pid]);
  await rm(hostPidFile(host.name, daemon), { force: true });
}

/**
 * Lab daemons (and what they start: virsh, qemu, sshd sessions) run at a lower priority: lab
 * hosts stand for other machines, whose CPU would not compete with the app and its window.
 */
const LOWER = ['nice', '-n', '10'] as const;

export async function startVirtlogd(host: HostHandle): Promise<void> {
  await rm(hostPidFile(host.name, 'virtlogd'), { force: true });
  // -d daemonizes once virtlogd is set up; its socket is in the host's private /run/libvirt.
  await runInHostChecked(host.holderPid, [...LOWER, 'virtlogd', '-d', '-p', hostPidFile(host.name, 'virtlogd')]);
}

export async function startLibvirtd(host: HostHandle): Promise<void> {
  await rm(hostPidFile(host.name, 'libvirtd'), { force: true });
  await runInHostChecked(host.holderPid, [...LOWER, 'libvirtd', '-d', '-p', hostPidFile(host.name, 'libvirtd')]);
}

/**
 * libvirtd is ready when `virsh` gets an answer: the socket accepts connections early, but requests
 * only get served once the drivers have initialised.
 */
export async function waitLibvirtReady(host: HostHandle, timeoutMs = 60_000): Promise<void> {
  const diagnose = () => tail(libvirtdLogPath(host.name));
  await waitFor(`libvirt socket of ${host.name}`, () => unixSocketAccepts(libvirtSocketPath(host.name)), {
    timeoutMs,
    diagnose,
  });
  const result = await runInHost(host.holderPid, ['virsh', '-q', '-c', LIBVIRT_URI, 'uri'], { timeoutMs });
  if (result.code !== 0) throw new Error(`libvirtd on ${host.name} does not answer: ${result.stderr.trim()}\n${await diagnose()}`);
}

/**
 * Starts libvirt's default NAT network if the pristine config defines it. The NAT inside the host's
 * namespace has no way out (no default route there), so guests stay inside the lab. Failures are
 * reported, not fatal: the network is a convenience for guests with NICs.
 */
export async function startDefaultNetwork(host: HostHandle): Promise<string> {
  if (!(await defaultNetworkDefined(host.name))) return 'undefined';
  const result = await runInHost(host.holderPid, ['virsh', '-q', '-c', LIBVIRT_URI, 'net-start', 'default']);
  if (result.code === 0 || /already active/.test(result.stderr)) return 'active';
  return `failed: ${result.stderr.trim().replace(/\s+/g, ' ')}`;
}

export async function startSshdDaemon(host: HostHandle): Promise<void> {
  const pidFile = hostPidFile(host.name, 'sshd');
  await rm(pidFile, { force: true });
  // sshd forks, then listens, then writes its pid file: exit 0 here only means the config parsed.
  await runInHostChecked(host.holderPid, [...LOWER, '/usr/sbin/sshd', '-f', hostSshdConfigPath(host.name), '-E', hostSshdLogPath(host.name)]);
  await waitFor(
    `sshd of ${host.name} listening on ${host.address}:${SSH_PORT}`,
    async () => (await readPidFile(pidFile)) !== undefined && (await isTcpListening(host.holderPid, host.address, SSH_PORT)),
    { timeoutMs: 20_000, diagnose: () => tail(hostSshdLogPath(host.name)) },
  );
}
