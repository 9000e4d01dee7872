// Changing a running host from the host side, for tests that need to: run commands as root inside
// it (e.g. `virsh start` behind the app's back) and stop/start its sshd or libvirtd.
import type { CommandResult } from './command.js';
import { daemonPid, startLibvirtd as startLibvirtdDaemon, startSshdDaemon, startVirtlogd, stopDaemon, waitLibvirtReady } from './daemons.js';
import { readFile } from 'node:fs/promises';
import { runInHost } from './hostNamespace.js';
import { namespacePids } from './network.js';
import { terminate } from './processes.js';
import { assertRoot } from './privileges.js';
import { requireRuntimeHost } from './runtime.js';

export interface LabExecOptions {
  readonly input?: string | Buffer;
  readonly timeoutMs?: number;
}

/**
 * Runs argv as root inside host `hostName` (its network, mount and UTS namespaces — the view its
 * sshd sessions get). Resolves with the exit code and output; a non-zero exit is not an error.
 */
export async function labExec(hostName: string, argv: readonly string[], opts: LabExecOptions = {}): Promise<CommandResult> {
  assertRoot('enters the lab host namespaces');
  if (argv.length === 0) throw new Error('labExec: empty argv');
  const host = await requireRuntimeHost(hostName);
  return runInHost(host.holderPid, argv, opts);
}

/** Stops the host's sshd listener (open sessions stay, as with a real `systemctl stop ssh`). */
export async function stopSshd(hostName: string): Promise<void> {
  assertRoot('stops lab daemons');
  await stopDaemon(await requireRuntimeHost(hostName), 'sshd');
}

/**
 * Ends every SSH session of the host (the sshd processes inside its namespace), as when the
 * host itself goes away; with stopSshd, nothing of its SSH is left.
 */
export async function dropSshSessions(hostName: string): Promise<number> {
  assertRoot('stops lab processes');
  const host = await requireRuntimeHost(hostName);
  const pids: number[] = [];
  for (const pid of await namespacePids(host.namespace)) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'sshd') pids.push(pid);
  }
  await terminate(pids);
  return pids.length;
}

/** Starts the host's sshd again and waits until it listens. No-op if it is running. */
export async function startSshd(hostName: string): Promise<void> {
  assertRoot('starts lab daemons');
  const host = await requireRuntimeHost(hostName);
  if ((await daemonPid(host, 'sshd')) !== undefined) return;
  await startSshdDaemon(host);
}

/** Stops libvirtd (guests keep running, as with a real libvirtd restart). */
export async function stopLibvirtd(hostName: string): Promise<void> {
  assertRoot('stops lab daemons');
  await stopDaemon(await requireRuntimeHost(hostName), 'libvirtd');
}

/** Starts libvirtd (and virtlogd if needed) and waits until it answers. No-op if it is running. */
export async function startLibvirtd(hostName: string): Promise<void> {
  assertRoot('starts lab daemons');
  const host = await requireRuntimeHost(hostName);
  if ((await daemonPid(host, 'virtlogd')) === undefined) await startVirtlogd(host);
  if ((await daemonPid(host, 'libvirtd')) === undefined) await startLibvirtdDaemon(host);
  await waitLibvirtReady(host);
}
