/**
 * A process running on a host: spawned locally, or (for remote hosts) an SSH exec channel.
 * The virsh session, long work, file transfers and byte streams only see this interface,
 * never the transport under it.
 *
 * Flow control both ways: `write` says when stdin is full (wait for `onDrain`), and `pause`
 * stops reading the process's output, so a slow consumer holds the process back (the SSH
 * window closes, the pipe fills) instead of main buffering without bound.
 */
import { EventEmitter } from 'node:events';
import { toDisposable, type Disposable } from '../core/disposable.js';
import type { TunnelOpener } from './byteChannel.js';

export interface PtySize {
  rows: number;
  cols: number;
}

export interface SpawnOptions {
  /** Run under a pseudo-terminal of this size (virsh console, shells); stderr then joins stdout. */
  pty?: PtySize & { term?: string };
  /** How long to wait for a free channel on a busy host before failing with `host-busy`. */
  channelWaitMs?: number;
}

export type ProcessSignal = 'TERM' | 'KILL' | 'INT' | 'HUP';

export interface HostProcess extends Disposable {
  /** Writes to stdin. false: buffered beyond the high-water mark, wait for `onDrain`. */
  write(data: string | Uint8Array): boolean;
  onDrain(listener: () => void): Disposable;
  /** Closes the process's stdin. */
  end(): void;
  onStdout(listener: (chunk: Buffer) => void): Disposable;
  onStderr(listener: (chunk: Buffer) => void): Disposable;
  /** Stops delivering output until `resume`; the process is held back by flow control. */
  pause(): void;
  resume(): void;
  /** Sends a signal to the process (over SSH: a signal request on its channel). */
  kill(signal?: ProcessSignal): void;
  /** New terminal size; ignored without a pty. */
  resize(size: PtySize): void;
  /** Fires once; `spawnError` is set when the process could not be started at all. */
  onExit(listener: (exit: ProcessExit) => void): Disposable;
}

export interface ProcessExit {
  code: number | null;
  signal: string | null;
  /** Set when the process never started (e.g. ENOENT, no free channel). */
  spawnError?: NodeJS.ErrnoException;
}

export interface ProcessRunner {
  /** Starts argv[0] with the remaining arguments; nothing is interpreted by a shell locally. */
  spawn(argv: readonly string[], options?: SpawnOptions): HostProcess;
}

/**
 * The listener side every HostProcess shares: stdout, stderr, drain and one exit, delivered to
 * late subscribers too. Implementations feed it through emitStdout/emitStderr/emitDrain/finish.
 */
export abstract class ProcessEvents {
  private readonly emitter = new EventEmitter();
  protected exited: ProcessExit | undefined;

  protected emitStdout(chunk: Buffer): void {
    this.emitter.emit('stdout', chunk);
  }

  protected emitStderr(chunk: Buffer): void {
    this.emitter.emit('stderr', chunk);
  }

  protected emitDrain(): void {
    this.emitter.emit('drain');
  }

  protected finish(exit: ProcessExit): void {
    if (this.exited) return;
    this.exited = exit;
    this.emitter.emit('exit', exit);
  }

  private listen<A extends unknown[]>(event: string, listener: (...args: A) => void): Disposable {
    const wrapped = listener as (...args: unknown[]) => void;
    this.emitter.on(event, wrapped);
    return toDisposable(() => this.emitter.off(event, wrapped));
  }

  onStdout(listener: (chunk: Buffer) => void): Disposable {
    return this.listen('stdout', listener);
  }

  onStderr(listener: (chunk: Buffer) => void): Disposable {
    return this.listen('stderr', listener);
  }

  onDrain(listener: () => void): Disposable {
    return this.listen('drain', listener);
  }

  onExit(listener: (exit: ProcessExit) => void): Disposable {
    if (this.exited) {
      const exit = this.exited;
      queueMicrotask(() => listener(exit));
      return toDisposable(() => undefined);
    }
    this.emitter.once('exit', listener);
    return toDisposable(() => this.emitter.off('exit', listener));
  }
}

/** Collects a process's whole output and exit (small outputs only: helpers, kills, probes). */
export function collectOutput(process: HostProcess): Promise<{ stdout: string; stderr: string; exit: ProcessExit }> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  process.onStdout((chunk) => stdout.push(chunk));
  process.onStderr((chunk) => stderr.push(chunk));
  return new Promise((resolve) => {
    process.onExit((exit) => resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), exit }));
  });
}

/** Everything a host link offers: processes (with or without a pty) and tunnels. */
export type HostRunner = ProcessRunner & TunnelOpener;
