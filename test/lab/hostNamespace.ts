// A host's namespaces. Per host one small "holder" process (`sleep infinity`) owns a network
// namespace (from `ip netns exec`), a private mount namespace and a UTS namespace. Every daemon of
// the host is started by nsenter-ing the holder, so sshd, libvirtd and their children all see the
// same private /etc/libvirt, /run/libvirt…, and the host survives any one daemon being stopped.
import { spawn } from 'node:child_process';
import { readFile, readlink, writeFile } from 'node:fs/promises';
import { DAEMON_ENV, run, runChecked, type CommandResult, type RunOptions } from './command.js';
import { privateMounts } from './hostState.js';
import { hostPidFile } from './paths.js';
import type { HostPlan } from './plan.js';
import { waitFor } from './readiness.js';

/** argv that runs `argv` inside the holder's network, mount and UTS namespaces, as root. */
export function inHostArgv(holderPid: number, argv: readonly string[]): [string, string[]] {
  return ['nsenter', [`--target=${holderPid}`, '--net', '--mount', '--uts', '--', ...argv]];
}

export function runInHost(holderPid: number, argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const [file, args] = inHostArgv(holderPid, argv);
  return run(file, args, { env: DAEMON_ENV, ...opts });
}

export async function runInHostChecked(holderPid: number, argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const [file, args] = inHostArgv(holderPid, argv);
  return runChecked(file, args, { env: DAEMON_ENV, ...opts });
}

async function namespaceId(pid: number | 'self', kind: 'mnt' | 'net'): Promise<string | undefined> {
  return readlink(`/proc/${pid}/ns/${kind}`).catch(() => undefined);
}

/**
 * Starts the holder. `ip netns exec` and `unshare` both exec (no fork), so the spawned pid *is* the
 * holder; once its command name is `sleep`, both have run and its namespaces exist.
 */
export async function startHolder(plan: HostPlan): Promise<number> {
  const child = spawn(
    'ip',
    ['netns', 'exec', plan.namespace, 'unshare', '--mount', '--uts', '--propagation', 'private', '--', 'sleep', 'infinity'],
    { detached: true, stdio: 'ignore', env: DAEMON_ENV },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start the namespace holder for ${plan.name}`);
  child.unref();
  const ownMountNs = await namespaceId('self', 'mnt');
  await waitFor(`namespace holder of ${plan.name} (pid ${pid})`, async () => {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() !== 'sleep') return false;
    return (await namespaceId(pid, 'mnt')) !== ownMountNs;
  }, { timeoutMs: 10_000 });
  await writeFile(hostPidFile(plan.name, 'holder'), `${pid}\n`);
  return pid;
}

/** Private libvirt dirs and /etc/hosts+resolv.conf over the real ones, and the host's own hostname. */
export async function setUpHostMounts(plan: HostPlan, holderPid: number): Promise<void> {
  for (const mount of privateMounts(plan.name)) {
    await runInHostChecked(holderPid, ['mount', '--bind', mount.source, mount.target]);
  }
  await runInHostChecked(holderPid, ['hostname', plan.name]);
}
