/**
 * A process on a host as an SSH exec channel (optionally with a pty). Output backpressure is
 * ssh2's own: a paused channel stops adjusting the SSH window, so the remote process blocks on
 * a full pipe instead of main buffering. Input backpressure is the channel's write()/drain.
 */
import type { ClientChannel } from 'ssh2';
import { ProcessEvents, type HostProcess, type ProcessSignal, type PtySize } from './hostProcess.js';

/** Writes queued before the channel is open; above this, write() asks the caller to wait. */
const EARLY_QUEUE_LIMIT = 256 * 1024;

export class SshProcess extends ProcessEvents implements HostProcess {
  private channel: ClientChannel | undefined;
  private readonly queuedWrites: (string | Uint8Array)[] = [];
  private queuedBytes = 0;
  private endRequested = false;
  private paused = false;
  private pendingSize: PtySize | undefined;
  private disposed = false;

  constructor(start: Promise<ClientChannel>) {
    super();
    start.then(
      (channel) => this.attach(channel),
      (error: Error & { code?: string }) => {
        const spawnError = Object.assign(error, { code: error.code ?? 'ECHANNEL' }) as NodeJS.ErrnoException;
        this.emitStderr(Buffer.from(`${error.message}\n`));
        this.finish({ code: null, signal: null, spawnError });
      },
    );
  }

  private attach(channel: ClientChannel): void {
    this.channel = channel;
    channel.on('data', (chunk: Buffer) => this.emitStdout(chunk));
    channel.stderr.on('data', (chunk: Buffer) => this.emitStderr(chunk));
    channel.on('drain', () => this.emitDrain());
    let code: number | null = null;
    let signal: string | null = null;
    channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
      code = exitCode;
      signal = exitSignal ?? null;
    });
    // A channel error (e.g. the connection went away mid-write) ends in 'close' too.
    channel.on('error', () => undefined);
    // The exit is reported only once all output was delivered: 'close' can come while a paused
    // channel still holds bytes, and those must reach the listener before the exit does.
    let closed = false;
    let stdoutEnded = false;
    let stderrEnded = false;
    const settle = () => {
      if (closed && stdoutEnded && stderrEnded) this.finish({ code, signal });
    };
    channel.on('end', () => {
      stdoutEnded = true;
      settle();
    });
    channel.stderr.on('end', () => {
      stderrEnded = true;
      settle();
    });
    channel.on('close', () => {
      closed = true;
      settle();
      this.armExitFallback(() => this.finish({ code, signal }));
    });
    if (this.disposed) {
      channel.close();
      return;
    }
    if (this.paused) this.pause();
    if (this.pendingSize) this.resize(this.pendingSize);
    let full = false;
    for (const data of this.queuedWrites.splice(0)) full = !channel.write(data) || full;
    this.queuedBytes = 0;
    if (this.endRequested) channel.end();
    if (!full) this.emitDrain();
  }

  write(data: string | Uint8Array): boolean {
    if (this.exited || this.disposed) return false;
    if (this.channel) return this.channel.write(data);
    this.queuedWrites.push(data);
    this.queuedBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    return this.queuedBytes < EARLY_QUEUE_LIMIT;
  }

  end(): void {
    this.endRequested = true;
    this.channel?.end();
  }

  pause(): void {
    this.paused = true;
    this.channel?.pause();
    this.channel?.stderr.pause();
  }

  resume(): void {
    this.paused = false;
    this.channel?.resume();
    this.channel?.stderr.resume();
    if (this.exitFallback) this.armExitFallback(this.exitFallback);
  }

  private exitFallback: (() => void) | undefined;

  /**
   * A channel torn down without EOF never ends its streams; once it is closed and nothing is
   * held back by a pause, its exit is reported after a short grace period anyway.
   */
  private armExitFallback(finish: () => void): void {
    this.exitFallback = finish;
    if (this.exited || this.paused) return;
    setTimeout(() => {
      if (!this.paused) finish();
    }, 2_000).unref();
  }

  kill(signal: ProcessSignal = 'TERM'): void {
    if (this.exited) return;
    // A signal request: OpenSSH (since 8.1) delivers it to the session's process.
    this.channel?.signal(signal);
  }

  resize(size: PtySize): void {
    if (this.channel) this.channel.setWindow(size.rows, size.cols, 0, 0);
    else this.pendingSize = size;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.exited) return;
    this.end();
    this.channel?.close();
  }
}
