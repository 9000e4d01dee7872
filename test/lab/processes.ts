// Stopping processes the lab started, and only those: every pid is checked to live in a lab network
// namespace before it gets a signal, so a stale pid file can never hit an unrelated process.
import { readFile, stat } from 'node:fs/promises';
import { waitFor } from './readiness.js';

export async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Alive = exists and is not a zombie waiting for its parent (PID 1 here reaps lazily). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    const statLine = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = statLine.slice(statLine.lastIndexOf(')') + 2, statLine.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Whether `pid` lives in the network namespace bound at `netnsFile` (e.g. /run/netns/vdlab-lab1). */
export async function isInNetns(pid: number, netnsFile: string): Promise<boolean> {
  try {
    const [proc, ns] = await Promise.all([stat(`/proc/${pid}/ns/net`), stat(netnsFile)]);
    return proc.ino === ns.ino && proc.dev === ns.dev;
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

async function allGone(pids: readonly number[]): Promise<boolean> {
  const alive = await Promise.all(pids.map(isAlive));
  return alive.every((a) => !a);
}

/** SIGTERM, wait for exit; SIGKILL whatever is left after the grace period. */
export async function terminate(pids: readonly number[], graceMs = 5_000): Promise<void> {
  if (pids.length === 0) return;
  for (const pid of pids) signal(pid, 'SIGTERM');
  try {
    await waitFor(`pids ${pids.join(' ')} to exit`, () => allGone(pids), { timeoutMs: graceMs });
    return;
  } catch {
    // fall through to SIGKILL
  }
  for (const pid of pids) if (await isAlive(pid)) signal(pid, 'SIGKILL');
  await waitFor(`pids ${pids.join(' ')} to die after SIGKILL`, () => allGone(pids), { timeoutMs: 5_000 });
}
