// Running external programs: always an argv array (no shell), output captured, with a time limit
// so a hung tool fails the lab loudly instead of blocking it.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the program's stdin (stdin is closed either way). */
  readonly input?: string | Buffer;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: CommandResult,
  ) {
    const detail = (result.stderr.trim() || result.stdout.trim()).slice(0, 4000);
    super(`\`${argv.join(' ')}\` exited with ${result.code}${detail ? `: ${detail}` : ''}`);
    this.name = 'CommandError';
  }
}

/** Daemons get a small, predictable environment instead of npm's (npm_*, node_modules/.bin on PATH). */
export const DAEMON_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
};

const DEFAULT_TIMEOUT_MS = 60_000;

export function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${file}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const note = timedOut ? `\n(killed after ${timeoutMs} ms)` : '';
      resolve({
        code: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + note,
      });
    });
    // The program may exit without reading its stdin; that EPIPE is not our error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Like run(), but a non-zero exit is an error carrying the program's stderr. */
export async function runChecked(file: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const result = await run(file, args, opts);
  if (result.code !== 0) throw new CommandError([file, ...args], result);
  return result;
}
