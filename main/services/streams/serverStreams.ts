/**
 * Resources as ServerStreams: a process on a host (a shell, `virsh console` on a pty), a
 * tunnel, a file being read, a file being written. Each keeps the resource's own flow control
 * (pause/resume, write/drain) so the transport's window reaches all the way to the host.
 */
import { EventEmitter } from 'node:events';
import { ContractError, type ContractErrorShape, type StreamControl } from '../../../preload/contract.js';
import { toDisposable, type Disposable } from '../../core/disposable.js';
import { toErrorShape, type ServerStream } from '../../core/registry.js';
import type { ByteChannel } from '../../connection/byteChannel.js';
import type { HostFileReader } from '../../connection/hostFiles.js';
import type { HostProcess } from '../../connection/hostProcess.js';

/** The close side shared by every adapter: one close, with its error, to late listeners too. */
class StreamEnd {
  private readonly emitter = new EventEmitter();
  private closed: { error?: ContractErrorShape } | undefined;

  get isClosed(): boolean {
    return this.closed !== undefined;
  }

  close(error?: ContractErrorShape): void {
    if (this.closed) return;
    this.closed = error ? { error } : {};
    this.emitter.emit('close', error);
  }

  onClose(listener: (error?: ContractErrorShape) => void): Disposable {
    if (this.closed) {
      const { error } = this.closed;
      queueMicrotask(() => listener(error));
      return toDisposable(() => undefined);
    }
    this.emitter.once('close', listener);
    return toDisposable(() => this.emitter.off('close', listener));
  }
}

function asBytes(listener: (data: Uint8Array) => void): (chunk: Buffer) => void {
  return (chunk) => listener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
}

export interface ProcessStreamOptions {
  /** stderr joins the data (a shell); otherwise it only explains a failed exit. */
  mergeStderr?: boolean;
  /** How a non-zero exit is reported; undefined: a plain close. */
  failure?: (code: number | null, stderr: string) => ContractErrorShape | undefined;
}

/** A process: its output is the stream's data, the renderer's bytes its input. */
export function processStream(process: HostProcess, options: ProcessStreamOptions = {}): ServerStream {
  const end = new StreamEnd();
  let stderr = '';
  if (!options.mergeStderr) process.onStderr((chunk) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  process.onExit((exit) => {
    if (exit.spawnError) return end.close(toErrorShape(exit.spawnError instanceof ContractError ? exit.spawnError : new ContractError('host-unavailable', exit.spawnError.message)));
    end.close(options.failure?.(exit.code, stderr.trim()));
  });
  return {
    write: (data) => process.write(data),
    onDrain: (listener) => process.onDrain(listener),
    onData: (listener) => {
      const out = process.onStdout(asBytes(listener));
      const err = options.mergeStderr ? process.onStderr(asBytes(listener)) : undefined;
      return toDisposable(() => {
        out.dispose();
        err?.dispose();
      });
    },
    pause: () => process.pause(),
    resume: () => process.resume(),
    control: (message: StreamControl) => {
      if (message.kind === 'resize') process.resize({ rows: message.rows, cols: message.cols });
      else process.end();
    },
    onClose: (listener) => end.onClose(listener),
    close: () => {
      process.dispose();
      end.close();
    },
  };
}

/** A tunnel: bytes both ways; end of input half-closes it. */
export function channelStream(channel: ByteChannel): ServerStream {
  const end = new StreamEnd();
  channel.onClose((error) => end.close(error ? { code: 'host-unavailable', message: error.message } : undefined));
  return {
    write: (data) => channel.write(data),
    onDrain: (listener) => channel.onDrain(listener),
    onData: (listener) => channel.onData(asBytes(listener)),
    pause: () => channel.pause(),
    resume: () => channel.resume(),
    control: (message) => {
      if (message.kind === 'end') channel.end();
    },
    onClose: (listener) => end.onClose(listener),
    close: () => {
      channel.dispose();
      end.close();
    },
  };
}

/** A file read from a host: its bytes, then a close (with the error if it was cut short). */
export function downloadStream(reader: HostFileReader): ServerStream {
  const end = new StreamEnd();
  reader.onEnd((error) => end.close(error?.toShape()));
  return {
    size: reader.size,
    // A download takes no input.
    write: () => true,
    onDrain: () => toDisposable(() => undefined),
    onData: (listener) => reader.onData(asBytes(listener)),
    pause: () => reader.pause(),
    resume: () => reader.resume(),
    control: () => undefined,
    onClose: (listener) => end.onClose(listener),
    close: () => {
      reader.dispose();
      end.close();
    },
  };
}

/**
 * The renderer's bytes as an async iterable for the file primitive, with backpressure: write()
 * says false above the high-water mark, and drain follows once the consumer took them.
 */
export class ByteQueue implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private queued = 0;
  private finished = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly emitter = new EventEmitter();

  constructor(private readonly highWaterMark = 1024 * 1024) {}

  push(data: Uint8Array): boolean {
    if (this.finished) return false;
    // The transport hands us views into its own buffers; keep a copy.
    this.chunks.push(new Uint8Array(data));
    this.queued += data.byteLength;
    this.wake?.();
    return this.queued < this.highWaterMark;
  }

  finish(error?: Error): void {
    this.finished = true;
    this.failure ??= error;
    this.wake?.();
  }

  onDrain(listener: () => void): Disposable {
    this.emitter.on('drain', listener);
    return toDisposable(() => this.emitter.off('drain', listener));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk) {
        const wasFull = this.queued >= this.highWaterMark;
        this.queued -= chunk.byteLength;
        if (wasFull && this.queued < this.highWaterMark) this.emitter.emit('drain');
        yield chunk;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.finished) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/**
 * A file written on a host from the renderer's bytes. `start` runs the file primitive on the
 * queue; the stream closes when it settles: without an error once the file is in place.
 */
export function uploadStream(start: (source: ByteQueue, signal: AbortSignal) => Promise<void>): ServerStream {
  const end = new StreamEnd();
  const queue = new ByteQueue();
  const controller = new AbortController();
  start(queue, controller.signal).then(
    () => end.close(),
    (error: unknown) => end.close(toErrorShape(error)),
  );
  return {
    write: (data) => queue.push(data),
    onDrain: (listener) => queue.onDrain(listener),
    // An upload sends nothing back but its close.
    onData: () => toDisposable(() => undefined),
    pause: () => undefined,
    resume: () => undefined,
    control: (message) => {
      if (message.kind === 'end') queue.finish();
    },
    onClose: (listener) => end.onClose(listener),
    close: () => {
      if (end.isClosed) return;
      controller.abort();
      queue.finish(new ContractError('cancelled', 'The upload was cancelled.'));
    },
  };
}
