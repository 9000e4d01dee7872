/**
 * A two-way byte channel with flow control: a tunnel to a TCP port or unix socket as seen from
 * a host. Made from a Node duplex (an ssh2 forwarded channel, a local socket) or from a helper
 * process on the host (socat/nc when sshd refuses stream-local forwarding).
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { toDisposable, type Disposable } from '../core/disposable.js';
import type { HostProcess } from './hostProcess.js';

export type TunnelTarget = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

export interface ByteChannel extends Disposable {
  /** false: buffered beyond the high-water mark, wait for `onDrain`. */
  write(data: Uint8Array): boolean;
  onDrain(listener: () => void): Disposable;
  /** Half-close: no more bytes from us. */
  end(): void;
  onData(listener: (data: Buffer) => void): Disposable;
  pause(): void;
  resume(): void;
  /** Fires once, with the reason when it did not end cleanly. */
  onClose(listener: (error?: Error) => void): Disposable;
}

export interface TunnelOpener {
  openTunnel(target: TunnelTarget): Promise<ByteChannel>;
}

export function describeTarget(target: TunnelTarget): string {
  return target.kind === 'tcp' ? `${target.host}:${target.port}` : target.path;
}

class ChannelEvents {
  protected readonly emitter = new EventEmitter();
  private closed = false;
  private closeError: Error | undefined;

  protected emitClose(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = error;
    this.emitter.emit('close', error);
  }

  onData(listener: (data: Buffer) => void): Disposable {
    this.emitter.on('data', listener);
    return toDisposable(() => this.emitter.off('data', listener));
  }

  onDrain(listener: () => void): Disposable {
    this.emitter.on('drain', listener);
    return toDisposable(() => this.emitter.off('drain', listener));
  }

  onClose(listener: (error?: Error) => void): Disposable {
    if (this.closed) {
      const error = this.closeError;
      queueMicrotask(() => listener(error));
      return toDisposable(() => undefined);
    }
    this.emitter.once('close', listener);
    return toDisposable(() => this.emitter.off('close', listener));
  }
}

class DuplexChannel extends ChannelEvents implements ByteChannel {
  private lastError: Error | undefined;

  constructor(private readonly duplex: Duplex) {
    super();
    duplex.on('data', (chunk: Buffer) => this.emitter.emit('data', chunk));
    duplex.on('drain', () => this.emitter.emit('drain'));
    duplex.on('error', (error: Error) => {
      this.lastError = error;
    });
    duplex.on('close', () => this.emitClose(this.lastError));
    // The far end finished sending: finish ours too, so the channel closes.
    duplex.on('end', () => duplex.end());
  }

  write(data: Uint8Array): boolean {
    return this.duplex.writable ? this.duplex.write(data) : false;
  }

  end(): void {
    if (this.duplex.writable) this.duplex.end();
  }

  pause(): void {
    this.duplex.pause();
  }

  resume(): void {
    this.duplex.resume();
  }

  dispose(): void {
    this.duplex.destroy();
  }
}

export function channelFromDuplex(duplex: Duplex): ByteChannel {
  return new DuplexChannel(duplex);
}

class ProcessChannel extends ChannelEvents implements ByteChannel {
  private stderr = '';

  constructor(private readonly process: HostProcess) {
    super();
    process.onStdout((chunk) => this.emitter.emit('data', chunk));
    process.onStderr((chunk) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2000);
    });
    process.onDrain(() => this.emitter.emit('drain'));
    process.onExit((exit) => {
      const failed = exit.spawnError ?? (exit.code !== 0 && exit.code !== null ? new Error(this.stderr.trim() || `tunnel helper exited with ${exit.code}`) : undefined);
      this.emitClose(failed);
    });
  }

  write(data: Uint8Array): boolean {
    return this.process.write(data);
  }

  end(): void {
    this.process.end();
  }

  pause(): void {
    this.process.pause();
  }

  resume(): void {
    this.process.resume();
  }

  dispose(): void {
    this.process.dispose();
  }
}

/** A helper process whose stdin/stdout are the tunnel (socat - UNIX-CONNECT:…, nc -U …). */
export function channelFromProcess(process: HostProcess): ByteChannel {
  return new ProcessChannel(process);
}
