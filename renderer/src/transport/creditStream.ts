/**
 * The renderer's end of a byte stream, with the credit window of preload/contract/streams.ts:
 * at most STREAM_WINDOW bytes sent and not yet acknowledged by main, and credit handed back
 * for received bytes only once their listeners are done with them (a listener may return a
 * promise). Both transports (a MessagePort in Electron, a WebSocket of its own in web mode)
 * feed it frames and give it a way to send them.
 */
import {
  STREAM_MAX_FRAME,
  STREAM_WINDOW,
  type ByteStream,
  type ContractErrorShape,
  type StreamControl,
} from '../../../preload/contract.js';

export interface RendererLink {
  sendData(data: Uint8Array): void;
  /** credit, control and close frames, as `{ type, … }` objects. */
  sendFrame(frame: Record<string, unknown>): void;
  close(): void;
}

export interface StreamEndpoint {
  stream: ByteStream;
  /** A data frame arrived. */
  receiveData(data: Uint8Array): void;
  /** A text/object frame arrived (credit or close; anything else is ignored). */
  receiveFrame(frame: unknown): void;
  /** The link went away without a close frame. */
  gone(error: ContractErrorShape): void;
}

/** Credit is handed back in batches of at least this much, or after ACK_DELAY_MS. */
const ACK_BATCH = STREAM_WINDOW / 8;
const ACK_DELAY_MS = 10;

interface Pending {
  data: Uint8Array;
  done: () => void;
}

export function createStreamEndpoint(link: RendererLink): StreamEndpoint {
  const dataListeners = new Set<(data: Uint8Array) => void | Promise<void>>();
  const closeListeners = new Set<(error?: ContractErrorShape) => void>();
  let closed = false;
  let credit = STREAM_WINDOW;
  const queue: Pending[] = [];
  let ackPending = 0;
  let ackTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Bytes that arrived before the first data listener (a console's first frame while its
   * viewer loads), delivered to it in order. Bounded by the window: they are not acknowledged
   * until delivered, so main cannot send more than STREAM_WINDOW ahead of them.
   */
  const early: Uint8Array[] = [];
  let flushScheduled = false;

  const flushAck = () => {
    if (ackTimer !== undefined) clearTimeout(ackTimer);
    ackTimer = undefined;
    if (ackPending > 0 && !closed) link.sendFrame({ type: 'credit', bytes: ackPending });
    ackPending = 0;
  };
  const acknowledge = (bytes: number) => {
    ackPending += bytes;
    if (ackPending >= ACK_BATCH) flushAck();
    else ackTimer ??= setTimeout(flushAck, ACK_DELAY_MS);
  };

  const pump = () => {
    while (!closed && queue.length > 0 && credit >= queue[0]!.data.byteLength) {
      const next = queue.shift()!;
      credit -= next.data.byteLength;
      link.sendData(next.data);
      next.done();
    }
  };

  const ended = (error?: ContractErrorShape) => {
    if (closed) return;
    // Bytes that came before the close reach a listener before it hears of the close.
    if (dataListeners.size > 0) flushEarly();
    closed = true;
    if (ackTimer !== undefined) clearTimeout(ackTimer);
    // Writes still waiting for credit will never go; let their callers move on.
    for (const pending of queue.splice(0)) pending.done();
    for (const listener of [...closeListeners]) listener(error);
    link.close();
  };

  const stream: ByteStream = {
    write: (data) => {
      if (closed) return Promise.resolve();
      const parts: Promise<void>[] = [];
      for (let offset = 0; offset < data.byteLength; offset += STREAM_MAX_FRAME) {
        const part = data.subarray(offset, Math.min(offset + STREAM_MAX_FRAME, data.byteLength));
        parts.push(new Promise((done) => queue.push({ data: part, done })));
      }
      pump();
      return Promise.all(parts).then(() => undefined);
    },
    end: () => stream.control({ kind: 'end' }),
    control: (message: StreamControl) => {
      if (!closed) link.sendFrame({ type: 'control', control: message });
    },
    onData: (listener) => {
      dataListeners.add(listener);
      if (early.length > 0 && !flushScheduled) {
        // After the caller's own setup: deliver once the current task is done.
        flushScheduled = true;
        queueMicrotask(flushEarly);
      }
      return () => dataListeners.delete(listener);
    },
    onClose: (listener) => {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close: () => {
      if (closed) return;
      link.sendFrame({ type: 'close' });
      ended();
    },
  };

  function deliver(data: Uint8Array): void {
      const waits: Promise<void>[] = [];
      for (const listener of [...dataListeners]) {
        try {
          const result = listener(data);
          if (result instanceof Promise) waits.push(result);
        } catch (error) {
          console.error(error);
        }
      }
      if (waits.length === 0) acknowledge(data.byteLength);
      else void Promise.allSettled(waits).then(() => acknowledge(data.byteLength));
  }

  function flushEarly(): void {
    flushScheduled = false;
    while (early.length > 0 && dataListeners.size > 0) deliver(early.shift()!);
  }

  return {
    stream,
    receiveData: (data) => {
      if (closed) return;
      // Before any listener, or while earlier bytes still wait for theirs: keep the order.
      if (dataListeners.size === 0 || early.length > 0) {
        early.push(data);
        return;
      }
      deliver(data);
    },
    receiveFrame: (frame) => {
      if (typeof frame !== 'object' || frame === null) return;
      const typed = frame as { type?: unknown; bytes?: unknown; error?: ContractErrorShape };
      if (typed.type === 'credit' && typeof typed.bytes === 'number' && typed.bytes > 0) {
        credit += typed.bytes;
        pump();
      } else if (typed.type === 'close') {
        ended(typed.error);
      }
    },
    gone: (error) => ended(error),
  };
}
