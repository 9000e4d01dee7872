/**
 * A process running on a host: spawned locally, or (for remote hosts) an SSH exec channel.
 * The virsh session and byte streams only see this interface, never the transport under it.
 */
import type { Disposable } from '../core/disposable.js';

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
