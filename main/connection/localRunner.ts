/** Runs processes on this computer with child_process, no shell involved. */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { toDisposable, type Disposable } from '../core/disposable.js';
import type { HostProcess, ProcessExit, ProcessRunner } from './hostProcess.js';

class LocalProcess implements HostProcess {
  private readonly emitter = new EventEmitter();
  private exited: ProcessExit | undefined;
  private readonly child;

  constructor(argv: readonly string[]) {
    const [command, ...args] = argv;
    if (command === undefined) throw new Error('empty argv');
    this.child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.emitter.emit('stdout', chunk));
    this.child.stderr.on('data', (chunk: Buffer) => this.emitter.emit('stderr', chunk));
    // Writing to a process that already died raises EPIPE on stdin; the exit event reports it.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      this.finish({ code: null, signal: null, spawnError: error });
    });
    this.child.on('close', (code, signal) => this.finish({ code, signal }));
  }

  private finish(exit: ProcessExit): void {
    if (this.exited) return;
    this.exited = exit;
    this.emitter.emit('exit', exit);
  }

  write(data: string | Uint8Array): void {
    if (!this.exited && this.child.stdin.writable) this.child.stdin.write(data);
  }

  end(): void {
    if (this.child.stdin.writable) this.child.stdin.end();
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

  dispose(): void {
    if (this.exited) return;
    this.end();
    this.child.kill('SIGTERM');
  }
}

export const localRunner: ProcessRunner = {
  spawn: (argv) => new LocalProcess(argv),
};
