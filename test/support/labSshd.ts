/**
 * Takes a lab host's SSH away the way a crash or reboot would: the listener stops and every
 * open session dies, so clients see their connection drop at once.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { readLabHost, startSshd, stopSshd } from '../lab/index.js';

const run = promisify(execFile);

export async function dropSsh(hostName: string): Promise<void> {
  const host = await readLabHost(hostName);
  await stopSshd(hostName);
  const { stdout } = await run('ip', ['netns', 'pids', host.namespace]);
  for (const pid of stdout.split('\n').map((line) => line.trim()).filter(Boolean)) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'sshd') process.kill(Number(pid), 'SIGKILL');
  }
}

export async function restoreSsh(hostName: string): Promise<void> {
  await startSshd(hostName);
}
