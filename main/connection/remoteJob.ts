/**
 * Long or blocking work on a host, each job on its own exec channel, never in the host's shared
 * virsh session: a 60-second command stalls nothing else. A job can be cancelled or time out,
 * and then the remote process is killed, not abandoned: first a signal request on its channel,
 * then `kill` by the process id the job reported when it started, TERM and after a grace period
 * KILL.
 */
import { ContractError } from '../../preload/contract.js';
import { collectOutput, type HostProcess, type ProcessExit, type ProcessRunner } from './hostProcess.js';
import { writeAll, type ByteSource } from './writeAll.js';

/**
 * Reports its own pid on stderr, then becomes the command (exec keeps the pid). Constant text:
 * the command travels as positional arguments through the one quoting function.
 */
export const JOB_WRAPPER = 'echo "VDJOB $$" >&2; exec "$@"';
const PID_LINE = /^VDJOB (\d+)\n/;

/** How long a cancelled job gets to end after TERM before it is killed. */
export const KILL_GRACE_MS = 3_000;
/** Waiting for a free channel on a busy host, by default. */
export const JOB_CHANNEL_WAIT_MS = 30_000;
/** Output kept when the caller does not stream it (stdout and stderr each). */
const MAX_COLLECTED = 16 * 1024 * 1024;

export interface RemoteJobOptions {
  signal?: AbortSignal;
  /** What the job reads on stdin; streamed with flow control. Without it stdin is closed at once. */
  input?: ByteSource;
  /** Receives stdout as it comes (then it is not collected). */
  onStdout?: (chunk: Buffer) => void;
  /** Killed, and the job fails with `timeout`, after this long. */
  timeoutMs?: number;
  channelWaitMs?: number;
}

export interface RemoteJobResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export function jobArgv(argv: readonly string[]): string[] {
  return ['sh', '-c', JOB_WRAPPER, 'sh', ...argv];
}

/**
 * Kills a job on the host: its whole process group (sshd starts each session's command as a
 * session and group leader, so children such as a `sleep` inside a script go too), or the
 * process alone where it leads no group; TERM, then KILL if it is still there after the grace
 * period.
 */
const KILL_SCRIPT = 'kill -s "$1" -- "-$2" 2>/dev/null || kill -s "$1" "$2"';

async function killRemote(runner: ProcessRunner, pid: number, exited: Promise<unknown>): Promise<void> {
  const send = async (signal: 'TERM' | 'KILL') => {
    await collectOutput(runner.spawn(['sh', '-c', KILL_SCRIPT, 'sh', signal, String(pid)], { channelWaitMs: JOB_CHANNEL_WAIT_MS }));
  };
  await send('TERM').catch(() => undefined);
  const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), KILL_GRACE_MS).unref())]);
  if (!gone) await send('KILL').catch(() => undefined);
}

export function runRemoteJob(runner: ProcessRunner, argv: readonly string[], options: RemoteJobOptions = {}): Promise<RemoteJobResult> {
  if (options.signal?.aborted) return Promise.reject(new ContractError('cancelled', 'The work was cancelled.'));
  const process: HostProcess = runner.spawn(jobArgv(argv), { channelWaitMs: options.channelWaitMs ?? JOB_CHANNEL_WAIT_MS });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let stdoutBytes = 0;
  let stderrHead = '';
  let pid: number | undefined;
  let stopping: 'cancelled' | 'timeout' | undefined;

  process.onStdout((chunk) => {
    if (options.onStdout) return options.onStdout(chunk);
    if (stdoutBytes < MAX_COLLECTED) stdout.push(chunk);
    stdoutBytes += chunk.length;
  });
  let headDone = false;
  let stderrBytes = 0;
  const keepStderr = (chunk: Buffer) => {
    if (stderrBytes < MAX_COLLECTED) stderr.push(chunk);
    stderrBytes += chunk.length;
  };
  process.onStderr((chunk) => {
    if (headDone) return keepStderr(chunk);
    // The first line is ours (the pid); everything after it is the command's.
    stderrHead += chunk.toString('utf8');
    if (!stderrHead.includes('\n') && stderrHead.length < 64) return;
    headDone = true;
    const match = PID_LINE.exec(stderrHead);
    if (match) pid = Number(match[1]);
    const rest = match ? stderrHead.slice(match[0].length) : stderrHead;
    stderrHead = '';
    if (rest) keepStderr(Buffer.from(rest));
  });

  const exited = new Promise<ProcessExit>((resolve) => process.onExit(resolve));

  const stop = (why: 'cancelled' | 'timeout') => {
    if (stopping) return;
    stopping = why;
    process.kill('TERM');
    if (pid !== undefined) void killRemote(runner, pid, exited).finally(() => process.dispose());
    else setTimeout(() => process.dispose(), KILL_GRACE_MS).unref();
  };
  const onAbort = () => stop('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);

  if (options.input === undefined) process.end();
  else void writeAll(process, options.input).catch(() => process.end());

  return exited.then((exit) => {
    options.signal?.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
    const result: RemoteJobResult = {
      code: exit.code,
      signal: exit.signal,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: (Buffer.concat(stderr).toString('utf8') + stderrHead).trimEnd(),
    };
    if (stopping === 'cancelled') throw new ContractError('cancelled', 'The work was cancelled; its process on the host was stopped.');
    if (stopping === 'timeout') throw new ContractError('timeout', `The work did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s and was stopped.`);
    if (exit.spawnError) {
      if (exit.spawnError instanceof ContractError) throw exit.spawnError;
      throw new ContractError('host-unavailable', `Could not start the work on the host: ${exit.spawnError.message}`);
    }
    return result;
  });
}
