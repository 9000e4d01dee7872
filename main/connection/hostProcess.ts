/**
 * A process running on a host: spawned locally, or (for remote hosts) an SSH exec channel.
 * The virsh session and byte streams only see this interface, never the transport under it.
 */
import { EventEmitter } from 'node:events';
import { toDisposable, type Disposable } from '../core/disposable.js';

export interface HostProcess extends Disposable {
  write(data: string | Uint8Array): void;
  /** Closes the process's stdin. */
  end(): void;
  onStdout(listener: (chunk: Buffer) => void): Disposable;
  onStderr(listener: (chunk: Buffer) => void): Disposable;
  /** Fires once; `error` is set when the process could not be started at all. */
  onExit(listener: (exit: ProcessExit) => void): Disposable;
}

export interface ProcessExit {
  code: number | null;
  signal: string | null;
  /** Set when the process never started (e.g. ENOENT). */
  spawnError?: NodeJS.ErrnoException;
}

export interface ProcessRunner {
  /** Starts argv[0] with the remaining arguments; nothing is interpreted by a shell locally. */
  spawn(argv: readonly string[]): HostProcess;
}

/**
 * The listener side every HostProcess shares: stdout, stderr and one exit, delivered to
 * late subscribers too. Implementations feed it through emitStdout/emitStderr/finish.
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

  protected finish(exit: ProcessExit): void {
    if (this.exited) return;
    this.exited = exit;
    this.emitter.emit('exit', exit);
  }

  onStdout(listener: (chunk: Buffer) => void): Disposable {
    this.emitter.on('stdout', listener);
    return toDisposable(() => this.emitter.off('stdout', listener));
  }

  onStderr(listener: (chunk: Buffer) => void): Disposable {
    this.emitter.on('stderr', listener);
    return toDisposable(() => this.emitter.off('stderr', listener));
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
