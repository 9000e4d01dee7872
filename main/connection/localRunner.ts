/** Runs processes on this computer with child_process, no shell involved. */
import { spawn } from 'node:child_process';
import { ProcessEvents, type HostProcess, type ProcessRunner } from './hostProcess.js';

class LocalProcess extends ProcessEvents implements HostProcess {
  private readonly child;

  constructor(argv: readonly string[]) {
    super();
    const [command, ...args] = argv;
    if (command === undefined) throw new Error('empty argv');
    this.child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.emitStdout(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => this.emitStderr(chunk));
    // Writing to a process that already died raises EPIPE on stdin; the exit event reports it.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      this.finish({ code: null, signal: null, spawnError: error });
    });
    this.child.on('close', (code, signal) => this.finish({ code, signal }));
  }


  write(data: string | Uint8Array): void {
    if (!this.exited && this.child.stdin.writable) this.child.stdin.write(data);
  }

  end(): void {
    if (this.child.stdin.writable) this.child.stdin.end();
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
