/**
 * One long-lived `virsh` per host. Commands are queued, written in batches and answered in
 * order; see virshFraming.ts for how outputs are told apart. All arguments are quoted by the
 * one quoting function.
 */
import { randomBytes } from 'node:crypto';
import { DisposableStore, type Disposable } from '../core/disposable.js';
import type { HostProcess, ProcessExit, ProcessRunner } from '../connection/hostProcess.js';
import { commandLine } from '../remote/quote.js';
import { cleanStdout, framedInput, markerText, MarkerSplitter } from './virshFraming.js';

export interface VirshResult {
  stdout: string;
  stderr: string;
  /** virsh reported no error for this command. */
  ok: boolean;
}

/**
 * How virsh is started on a host: 'virsh', a path, or an argv prefix such as
 * ['sudo', '-n', 'virsh'] for users outside the libvirt group.
 */
export type VirshCommand = string | readonly string[];

export function virshArgv(command: VirshCommand): string[] {
  return typeof command === 'string' ? [command] : [...command];
}

/** How long a new virsh may take to answer its first command. */
export const START_TIMEOUT_MS = 20_000;

/**
 * How long one command may take once it is virsh's turn. The shared session is for quick reads
 * and state changes; anything that may block goes to its own channel (connection/remoteJob.ts).
 */
export const COMMAND_TIMEOUT_MS = 30_000;

/**
 * virsh commands that read stdin, open an editor or a console: sent into the shared session
 * they would swallow the commands after them. They can only run as a job of their own.
 */
const INTERACTIVE_COMMANDS = new Set([
  'console', 'edit', 'net-edit', 'pool-edit', 'vol-edit', 'iface-edit', 'nwfilter-edit', 'nwfilter-binding-edit',
  'snapshot-edit', 'checkpoint-edit', 'save-image-edit', 'secret-set-value', 'vol-upload', 'vol-download', 'connect', 'quit', 'exit',
]);

export interface RunOptions {
  /** Per command, from when it is virsh's turn (default COMMAND_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** A command did not answer in time; the session was closed so the host can start a fresh one. */
export class VirshTimeout extends Error {
  constructor(readonly command: string, readonly timeoutMs: number) {
    super(`virsh ${command} did not answer within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'VirshTimeout';
  }
}

export class VirshError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'VirshError';
  }
}

/** The session ended (virsh exited, or the connection under it dropped). */
export class VirshSessionClosed extends Error {
  constructor(
    readonly exit: ProcessExit,
    readonly stderr: string,
  ) {
    super(stderr.trim() || `virsh exited (code ${String(exit.code)})`);
    this.name = 'VirshSessionClosed';
  }
}

interface Pending {
  seq: number;
  line: string;
  command: string;
  timeoutMs: number;
  stdout?: string;
  stderr?: string;
  resolve(result: VirshResult): void;
  reject(error: Error): void;
}

/** Strips virsh's "error: " prefixes so messages read cleanly. */
export function virshErrorMessage(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.replace(/^error: /, '').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

export class VirshSession implements Disposable {
  private readonly nonce = randomBytes(12).toString('hex');
  readonly stdout = new MarkerSplitter();
  private readonly stderr = new MarkerSplitter();
  private readonly pending: Pending[] = [];
  private readonly disposables = new DisposableStore();
  private readonly closeListeners = new Set<(error: VirshSessionClosed) => void>();
  private seq = 0;
  private closed: VirshSessionClosed | undefined;
  /** stderr seen while no command was pending (e.g. a connection failure at start). */
  private looseStderr = '';

  private constructor(private readonly process: HostProcess) {
    this.disposables.add(process);
    this.disposables.add(process.onStdout((chunk) => this.onStdout(chunk)));
    this.disposables.add(process.onStderr((chunk) => this.onStderr(chunk)));
    this.disposables.add(process.onExit((exit) => this.onExit(exit)));
  }

  /**
   * Starts virsh and waits until it answers a first command, so a session that is returned
   * is connected to libvirt. Rejects with VirshSessionClosed when virsh cannot connect.
   */
  static async start(runner: ProcessRunner, uri: string, virsh: VirshCommand = 'virsh', timeoutMs = START_TIMEOUT_MS): Promise<VirshSession> {
    const session = new VirshSession(runner.spawn([...virshArgv(virsh), '-q', '-c', uri]));
    let timer: NodeJS.Timeout | undefined;
    // A virsh that prints something else, or nothing, must not leave the host "connecting" forever.
    const silent = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const shown = session.stdout.peek(200);
        reject(new VirshSessionClosed({ code: null, signal: null }, `virsh did not answer within ${timeoutMs / 1000} s${shown ? `; it printed: ${shown}` : ''}`));
      }, timeoutMs);
    });
    try {
      await Promise.race([session.run(['uri']), silent]);
    } catch (error) {
      session.dispose();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return session;
  }

  get isClosed(): boolean {
    return this.closed !== undefined;
  }

  onClose(listener: (error: VirshSessionClosed) => void): Disposable {
    this.closeListeners.add(listener);
    return { dispose: () => this.closeListeners.delete(listener) };
  }

  run(argv: readonly string[], options: RunOptions = {}): Promise<VirshResult> {
    const [first] = this.runBatch([argv], options);
    if (!first) throw new Error('unreachable');
    return first;
  }

  /** Runs a command and throws VirshError when virsh reports an error. */
  async runChecked(argv: readonly string[], options: RunOptions = {}): Promise<string> {
    const result = await this.run(argv, options);
    if (!result.ok) throw new VirshError(virshErrorMessage(result.stderr), result.stderr);
    return result.stdout;
  }

  /** Writes all commands in one go (one round trip) and answers each separately. */
  runBatch(argvs: readonly (readonly string[])[], options: RunOptions = {}): Promise<VirshResult>[] {
    for (const argv of argvs) {
      if (INTERACTIVE_COMMANDS.has(argv[0] ?? '')) throw new Error(`virsh ${argv[0]} reads the terminal and cannot run in the shared session`);
    }
    const timeoutMs = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
    const frames: Pending[] = [];
    const promises = argvs.map((argv) => {
      const line = commandLine(argv);
      return new Promise<VirshResult>((resolve, reject) => {
        if (this.closed) {
          reject(this.closed);
          return;
        }
        this.seq += 1;
        frames.push({ seq: this.seq, line, command: argv[0] ?? '', timeoutMs, resolve, reject });
      });
    });
    if (frames.length > 0) {
      const idle = this.pending.length === 0;
      this.pending.push(...frames);
      this.process.write(frames.map((frame) => framedInput(this.nonce, frame)).join(''));
      if (idle) this.armHeadTimer();
    }
    return promises;
  }

  private headTimer: NodeJS.Timeout | undefined;

  /** The command at the head of the queue gets its own deadline; a missed one ends the session. */
  private armHeadTimer(): void {
    if (this.headTimer) clearTimeout(this.headTimer);
    this.headTimer = undefined;
    const head = this.pending[0];
    if (!head || this.closed) return;
    this.headTimer = setTimeout(() => {
      if (this.pending[0] !== head || this.closed) return;
      // virsh cannot be interrupted mid-command over a pipe: close it; the host starts another.
      this.pending.shift();
      head.reject(new VirshTimeout(head.command, head.timeoutMs));
      this.closeWith(new VirshSessionClosed({ code: null, signal: null }, `virsh ${head.command} did not answer within ${Math.round(head.timeoutMs / 1000)} s; the session was restarted`));
    }, head.timeoutMs);
    this.headTimer.unref?.();
  }

  private onStdout(chunk: Buffer): void {
    this.stdout.push(chunk);
    for (const frame of this.pending) {
      if (frame.stdout !== undefined) continue;
      const raw = this.stdout.take(markerText(this.nonce, frame.seq));
      if (raw === undefined) break;
      frame.stdout = cleanStdout(raw, this.nonce, frame);
    }
    this.settle();
  }

  private onStderr(chunk: Buffer): void {
    if (this.pending.length === 0) {
      this.looseStderr += chunk.toString('utf8');
      return;
    }
    this.stderr.push(chunk);
    for (const frame of this.pending) {
      if (frame.stderr !== undefined) continue;
      const raw = this.stderr.take(`error: ${markerText(this.nonce, frame.seq)}`);
      if (raw === undefined) break;
      frame.stderr = raw;
    }
    this.settle();
  }

  private settle(): void {
    let moved = false;
    while (this.pending.length > 0) {
      const head = this.pending[0];
      if (!head || head.stdout === undefined || head.stderr === undefined) break;
      this.pending.shift();
      moved = true;
      head.resolve({ stdout: head.stdout, stderr: head.stderr, ok: head.stderr.trim() === '' });
    }
    if (moved) this.armHeadTimer();
  }

  private onExit(exit: ProcessExit): void {
    const stderrText = (this.looseStderr + this.takeAllStderr()).trim();
    const detail = exit.spawnError ? `${exit.spawnError.code ?? ''} ${exit.spawnError.message}`.trim() : stderrText;
    this.closeWith(new VirshSessionClosed(exit, detail));
  }

  private closeWith(closed: VirshSessionClosed): void {
    if (this.closed) return;
    this.closed = closed;
    if (this.headTimer) clearTimeout(this.headTimer);
    const pending = this.pending.splice(0);
    for (const frame of pending) frame.reject(closed);
    for (const listener of [...this.closeListeners]) listener(closed);
    this.disposables.dispose();
  }

  private takeAllStderr(): string {
    // Whatever is left unframed is the reason virsh ended (e.g. a failed connection).
    const marker = '\u0000never\u0000';
    this.stderr.push(Buffer.from(marker));
    return this.stderr.take(marker) ?? '';
  }

  dispose(): void {
    this.disposables.dispose();
    if (!this.closed) {
      this.closed = new VirshSessionClosed({ code: null, signal: 'SIGTERM' }, 'session closed');
      if (this.headTimer) clearTimeout(this.headTimer);
      for (const frame of this.pending.splice(0)) frame.reject(this.closed);
    }
  }
}
