/**
 * Files to and from a host: the one primitive every upload, download and XML definition uses.
 *
 * Over the host's own connection (an exec channel whose stdin/stdout carry the bytes), or
 * locally for "This computer" — the same scripts either way. Chosen over SFTP because it
 * measured as fast (README, `npm run bench -- files`), works through `sudo -n` for root-owned
 * destinations (an SFTP subsystem cannot be run through sudo over ssh2), and needs nothing on
 * the host but a POSIX shell and coreutils.
 *
 * Writes are atomic and never leave a partial file: bytes go to a temporary name in the
 * destination's own folder (same file system), the byte count is checked against the size the
 * caller announced, then the file is renamed into place. A cancelled, failed or cut transfer
 * (the count does not match) removes the temporary file. An existing file is only replaced
 * when the caller asks for it.
 */
import { ContractError } from '../../preload/contract.js';
import { toDisposable, type Disposable } from '../core/disposable.js';
import { EventEmitter } from 'node:events';
import type { HostProcess, ProcessExit, ProcessRunner } from './hostProcess.js';
import { writeAll, type ByteSource } from './writeAll.js';

const CHANNEL_WAIT_MS = 30_000;

/**
 * stdin → DEST atomically. Arguments: DEST SIZE MODE OWNER OVERWRITE [SPARSE] (SPARSE=1: runs
 * of zeros become holes, GNU cp's `--sparse=always`, for disk images). Failures are reported as
 * `VDERR <kind> [detail]` on stderr. Constant text, one line (the quoting function refuses line
 * breaks everywhere); the arguments travel through it as positional parameters.
 */
export const PUT_SCRIPT = [
  'set -u',
  'dest=$1 size=$2 mode=$3 owner=$4 overwrite=$5 sparse=${6:-0}',
  'case $dest in /*) ;; *) echo "VDERR not-absolute" >&2; exit 2;; esac',
  'dir=${dest%/*}',
  'if [ -z "$dir" ]; then dir=/; fi',
  'if [ ! -d "$dir" ]; then echo "VDERR no-folder $dir" >&2; exit 2; fi',
  'if [ "$overwrite" != 1 ] && { [ -e "$dest" ] || [ -L "$dest" ]; }; then echo "VDERR exists" >&2; exit 2; fi',
  'tmp=$(mktemp "$dir/.vdpart-XXXXXXXXXX") || { echo "VDERR cannot-create $dir" >&2; exit 2; }',
  `trap 'rm -f -- "$tmp"' EXIT`,
  `trap 'exit 130' HUP INT TERM PIPE`,
  'if [ "$sparse" = 1 ]; then cp --sparse=always /dev/stdin "$tmp"; else cat > "$tmp"; fi || { echo "VDERR write-failed" >&2; exit 2; }',
  `got=$(wc -c < "$tmp" | tr -d ' ')`,
  'if [ "$got" != "$size" ]; then echo "VDERR short $got" >&2; exit 2; fi',
  'chmod "$mode" "$tmp" || { echo "VDERR chmod-failed" >&2; exit 2; }',
  'if [ -n "$owner" ]; then chown -- "$owner" "$tmp" || { echo "VDERR chown-failed" >&2; exit 2; }; fi',
  // No overwrite: a hard link fails if the name exists (atomic); where links are not possible, check then move.
  'if [ "$overwrite" = 1 ]; then mv -f -- "$tmp" "$dest" || { echo "VDERR rename-failed" >&2; exit 2; }; ' +
    'elif ln -- "$tmp" "$dest" 2>/dev/null; then :; ' +
    'elif [ -e "$dest" ] || [ -L "$dest" ]; then echo "VDERR exists" >&2; exit 2; ' +
    'else mv -- "$tmp" "$dest" || { echo "VDERR rename-failed" >&2; exit 2; }; fi',
  'echo VDPUT-OK',
].join('; ');

/** FILE → stdout, after one header line `VDSIZE <bytes>`. Argument: FILE. */
export const GET_SCRIPT = [
  'set -u',
  'f=$1',
  'if [ ! -e "$f" ]; then echo "VDERR missing" >&2; exit 2; fi',
  'if [ ! -f "$f" ]; then echo "VDERR not-a-file" >&2; exit 2; fi',
  'if [ ! -r "$f" ]; then echo "VDERR denied" >&2; exit 2; fi',
  `size=$(wc -c < "$f" | tr -d ' ') || exit 2`,
  `printf 'VDSIZE %s\\n' "$size"`,
  'exec cat -- "$f"',
].join('; ');

/** Removes files; missing ones are fine. Arguments: the paths. */
const REMOVE_SCRIPT = 'rm -f -- "$@"';

export interface FileAccess {
  /** Run through `sudo -n` (a user outside the groups that may write there). */
  asRoot?: boolean;
  signal?: AbortSignal;
}

export interface PutFileOptions extends FileAccess {
  /** The exact number of bytes `source` yields: anything else leaves nothing behind. */
  size: number;
  /** Permission bits of the new file (default 0o600). */
  mode?: number;
  /** `user`, `user:group` or `:group` (needs root on most hosts). */
  owner?: string;
  /** Replace an existing file (default false: an existing file is never overwritten). */
  overwrite?: boolean;
  /** Keep runs of zeros as holes (disk images); needs GNU cp on the host. */
  sparse?: boolean;
  onProgress?: (bytes: number) => void;
}

const OWNER = /^([a-z_][a-z0-9_.-]*)?(:[a-z_][a-z0-9_.-]*)?$/i;

function shellArgv(script: string, args: readonly string[], asRoot: boolean | undefined): string[] {
  return [...(asRoot ? ['sudo', '-n'] : []), 'sh', '-c', script, 'sh', ...args];
}

/** What the scripts said went wrong, for people. */
export function fileError(path: string, stderr: string): ContractError {
  const line = /VDERR (\S+)(?: (.*))?/.exec(stderr);
  const detail = stderr.replace(/VDERR .*\n?/g, '').trim() || undefined;
  const kind = line?.[1];
  const extra = line?.[2];
  if (/sudo: (a password is required|a terminal is required)|is not in the sudoers|not allowed to/i.test(stderr)) {
    return new ContractError('file-error', `VirtDeck may not write ${path} as root on this host: sudo asks for a password or has no rule for it.`, stderr.trim());
  }
  switch (kind) {
    case 'not-absolute':
      return new ContractError('bad-arguments', `The path ${path} on the host must be absolute.`);
    case 'no-folder':
      return new ContractError('file-error', `The folder ${extra ?? ''} does not exist on the host.`, detail);
    case 'exists':
      return new ContractError('file-error', `A file already exists at ${path} on the host; it was left as it is.`, detail);
    case 'cannot-create':
      return new ContractError('file-error', `VirtDeck may not create files in ${extra ?? ''} on the host.`, detail);
    case 'short':
      return new ContractError('file-error', `The transfer to ${path} ended early (${extra ?? '?'} bytes arrived); nothing was kept.`, detail);
    case 'write-failed':
      return new ContractError('file-error', `Writing ${path} on the host failed${/No space left/i.test(stderr) ? ': the disk is full' : ''}; nothing was kept.`, detail);
    case 'missing':
      return new ContractError('not-found', `There is no file ${path} on the host.`);
    case 'not-a-file':
      return new ContractError('file-error', `${path} on the host is not a regular file.`);
    case 'denied':
      return new ContractError('file-error', `VirtDeck may not read ${path} on the host.`);
    default:
      return new ContractError('file-error', `The file ${path} on the host could not be ${kind === undefined ? 'transferred' : kind.replace(/-/g, ' ')}.`, stderr.trim() || undefined);
  }
}

function cancelled(): ContractError {
  return new ContractError('cancelled', 'The transfer was cancelled; nothing was kept.');
}

/** Writes `source` (exactly `options.size` bytes) to `path` on the host, atomically. */
export async function putFile(runner: ProcessRunner, path: string, source: ByteSource, options: PutFileOptions): Promise<void> {
  if (!Number.isSafeInteger(options.size) || options.size < 0) throw new ContractError('bad-arguments', 'The size of a file must be a whole number of bytes.');
  const owner = options.owner ?? '';
  if (!OWNER.test(owner)) throw new ContractError('bad-arguments', `Not an owner: ${owner}`);
  const mode = (options.mode ?? 0o600).toString(8);
  if (options.signal?.aborted) throw cancelled();
  const process = runner.spawn(shellArgv(PUT_SCRIPT, [path, String(options.size), mode, owner, options.overwrite ? '1' : '0', options.sparse ? '1' : '0'], options.asRoot), {
    channelWaitMs: CHANNEL_WAIT_MS,
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  process.onStdout((chunk) => stdout.push(chunk));
  process.onStderr((chunk) => stderr.push(chunk));
  const exited = new Promise<ProcessExit>((resolve) => process.onExit(resolve));
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    // Ending stdin early makes the byte count wrong, so the script removes its temporary file
    // even if the signal does not arrive; the signal stops a cat that is still reading.
    process.kill('TERM');
    process.end();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const writing = writeAll(process, source, options.onProgress, options.signal).catch((error: unknown) => {
      process.end();
      if (!aborted) throw error;
    });
    const [, exit] = await Promise.all([writing, exited]);
    if (aborted) throw cancelled();
    if (exit.spawnError instanceof ContractError) throw exit.spawnError;
    if (!Buffer.concat(stdout).toString('utf8').includes('VDPUT-OK')) throw fileError(path, Buffer.concat(stderr).toString('utf8') || exit.spawnError?.message || '');
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** A file being read from a host: its size, then its bytes with flow control. */
export interface HostFileReader extends Disposable {
  readonly size: number;
  onData(listener: (chunk: Buffer) => void): Disposable;
  /** Once: undefined when every byte arrived, the error otherwise. */
  onEnd(listener: (error?: ContractError) => void): Disposable;
  pause(): void;
  resume(): void;
}

export class FileReader implements HostFileReader {
  private readonly emitter = new EventEmitter();
  private received = 0;
  private ended: { error?: ContractError } | undefined;
  /** Bytes that came with the header, held until someone listens. */
  private pending: Buffer | undefined;
  private started = false;
  private pausedByUser = false;

  constructor(
    readonly size: number,
    private readonly process: HostProcess,
    path: string,
    first: Buffer,
    stderr: () => string,
  ) {
    // Nothing flows until the first listener: bytes arriving before it would be lost.
    process.pause();
    this.pending = first.length > 0 ? first : undefined;
    process.onStdout((chunk) => this.deliver(chunk));
    process.onExit((exit) => {
      if (exit.code === 0 && this.received === size) this.end();
      else this.end(this.received !== size && exit.code === 0 ? new ContractError('file-error', `${path} changed while it was read (${this.received} of ${size} bytes).`) : fileError(path, stderr() || `exit ${exit.code}`));
    });
  }

  private deliver(chunk: Buffer): void {
    if (this.ended) return;
    this.received += chunk.length;
    this.emitter.emit('data', chunk);
  }

  private end(error?: ContractError): void {
    if (this.ended) return;
    this.ended = error ? { error } : {};
    this.emitter.emit('end', error);
  }

  onData(listener: (chunk: Buffer) => void): Disposable {
    this.emitter.on('data', listener);
    if (!this.started) {
      this.started = true;
      queueMicrotask(() => {
        const first = this.pending;
        this.pending = undefined;
        if (first) this.deliver(first);
        if (!this.pausedByUser) this.process.resume();
      });
    }
    return toDisposable(() => this.emitter.off('data', listener));
  }

  onEnd(listener: (error?: ContractError) => void): Disposable {
    if (this.ended) {
      const { error } = this.ended;
      queueMicrotask(() => listener(error));
      return toDisposable(() => undefined);
    }
    this.emitter.once('end', listener);
    return toDisposable(() => this.emitter.off('end', listener));
  }

  pause(): void {
    this.pausedByUser = true;
    this.process.pause();
  }

  resume(): void {
    this.pausedByUser = false;
    if (this.started) this.process.resume();
  }

  dispose(): void {
    if (!this.ended) {
      this.process.kill('TERM');
      this.end(cancelled());
    }
    this.process.dispose();
  }
}

/** Opens `path` on the host for reading; resolves once its size is known. */
export function readFile(runner: ProcessRunner, path: string, access: FileAccess = {}): Promise<HostFileReader> {
  if (access.signal?.aborted) return Promise.reject(cancelled());
  const process = runner.spawn(shellArgv(GET_SCRIPT, [path], access.asRoot), { channelWaitMs: CHANNEL_WAIT_MS });
  const stderr: Buffer[] = [];
  process.onStderr((chunk) => stderr.push(chunk));
  const stderrText = () => Buffer.concat(stderr).toString('utf8');
  return new Promise<HostFileReader>((resolve, reject) => {
    let head = Buffer.alloc(0);
    let done = false;
    const header = process.onStdout((chunk) => {
      if (done) return;
      head = Buffer.concat([head, chunk]);
      const newline = head.indexOf(0x0a);
      if (newline < 0) {
        if (head.length > 64) fail(new ContractError('file-error', `Reading ${path}: the host answered something unexpected.`));
        return;
      }
      const match = /^VDSIZE (\d+)$/.exec(head.subarray(0, newline).toString('utf8'));
      if (!match) return fail(new ContractError('file-error', `Reading ${path}: the host answered something unexpected.`));
      done = true;
      header.dispose();
      exit.dispose();
      abort?.dispose();
      resolve(new FileReader(Number(match[1]), process, path, head.subarray(newline + 1), stderrText));
    });
    const fail = (error: ContractError) => {
      if (done) return;
      done = true;
      header.dispose();
      exit.dispose();
      abort?.dispose();
      process.dispose();
      reject(error);
    };
    const exit = process.onExit((info) => {
      if (info.spawnError instanceof ContractError) fail(info.spawnError);
      else fail(fileError(path, stderrText() || info.spawnError?.message || ''));
    });
    const signal = access.signal;
    const abort = signal
      ? (() => {
          const onAbort = () => fail(cancelled());
          signal.addEventListener('abort', onAbort, { once: true });
          return toDisposable(() => signal.removeEventListener('abort', onAbort));
        })()
      : undefined;
  });
}

/** Reads a whole (small) file into memory: definitions, configuration files. */
export async function readWholeFile(runner: ProcessRunner, path: string, access: FileAccess = {}): Promise<Buffer> {
  const reader = await readFile(runner, path, access);
  const chunks: Buffer[] = [];
  reader.onData((chunk) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    reader.onEnd((error) => (error ? reject(error) : resolve(Buffer.concat(chunks))));
  });
}

/** Removes files on the host (missing ones are not an error). */
export async function removeFiles(runner: ProcessRunner, paths: readonly string[], access: FileAccess = {}): Promise<void> {
  if (paths.length === 0) return;
  const process = runner.spawn(shellArgv(REMOVE_SCRIPT, paths, access.asRoot), { channelWaitMs: CHANNEL_WAIT_MS });
  const stderr: Buffer[] = [];
  process.onStderr((chunk) => stderr.push(chunk));
  const exit = await new Promise<{ code: number | null }>((resolve) => process.onExit(resolve));
  if (exit.code !== 0) throw new ContractError('file-error', `Removing ${paths.join(', ')} on the host failed.`, Buffer.concat(stderr).toString('utf8').trim());
}
