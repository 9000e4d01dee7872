/**
 * Joins a ServerStream to a transport's link for one stream (a MessagePort in Electron, a
 * WebSocket of its own in web mode) and runs the credit window of contract/streams.ts on it:
 *
 * - towards the renderer, at most STREAM_WINDOW bytes are unacknowledged; when the window is
 *   full the resource is paused (its SSH channel stops reading, the host's process blocks), and
 *   resumed when the renderer hands credit back;
 * - from the renderer, bytes are acknowledged as the resource takes them (at once, or at its
 *   drain), so the renderer never has more than the window outstanding; a renderer that sends
 *   beyond its credit breaks the protocol and the stream is closed.
 *
 * Both transports use this one implementation; they only translate frames.
 */
import { ContractErrorShape, STREAM_MAX_FRAME, STREAM_WINDOW, StreamControl } from '../../preload/contract.js';
import { DisposableStore, toDisposable, type Disposable } from './disposable.js';
import type { ServerStream } from './registry.js';

export type StreamFrame =
  | { kind: 'data'; data: Uint8Array }
  | { kind: 'credit'; bytes: number }
  | { kind: 'control'; control: StreamControl }
  | { kind: 'close'; error?: ContractErrorShape };

/** One stream's wire, as a transport provides it. */
export interface FrameLink {
  send(frame: StreamFrame): void;
  onFrame(listener: (frame: StreamFrame) => void): Disposable;
  /** The renderer's end went away without a close frame (page reloaded, window gone). */
  onGone(listener: () => void): Disposable;
  close(): void;
}

/** Checks an untrusted control or credit payload; undefined when it is not one. */
export function parseControlFrame(value: unknown): StreamFrame | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const frame = value as { type?: unknown; bytes?: unknown; control?: unknown };
  if (frame.type === 'credit') {
    const bytes = frame.bytes;
    return typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes > 0 && bytes <= STREAM_WINDOW ? { kind: 'credit', bytes } : undefined;
  }
  if (frame.type === 'control') {
    const parsed = StreamControl.safeParse(frame.control);
    return parsed.success ? { kind: 'control', control: parsed.data } : undefined;
  }
  if (frame.type === 'close') return { kind: 'close' };
  return undefined;
}

/** A frame as the JSON-able object both wires use for everything but data. */
export function controlFrameObject(frame: Exclude<StreamFrame, { kind: 'data' }>): Record<string, unknown> {
  switch (frame.kind) {
    case 'credit':
      return { type: 'credit', bytes: frame.bytes };
    case 'control':
      return { type: 'control', control: frame.control };
    case 'close':
      return frame.error ? { type: 'close', error: ContractErrorShape.parse(frame.error) } : { type: 'close' };
  }
}

/** Chunks at least this big are sent as they come. */
const COALESCE_BELOW = 16 * 1024;

const protocolError: ContractErrorShape = { code: 'bad-arguments', message: 'The window sent more than its stream window allows.' };

/** Pumps until either side closes; disposing closes both. `onEnd` runs once, however it ended. */
export function pumpStream(stream: ServerStream, link: FrameLink, onEnd: () => void = () => undefined): Disposable {
  const subscriptions = new DisposableStore();
  let ended = false;
  /** What we may still send to the renderer. */
  let credit = STREAM_WINDOW;
  let paused = false;
  /** Renderer bytes not yet acknowledged. */
  let outstanding = 0;
  /** Of those, taken by the resource but waiting for its drain before we acknowledge. */
  let heldForDrain = 0;
  let waitingDrain = false;

  const end = (how: { closeStream: boolean; tellRenderer: boolean; error?: ContractErrorShape }): void => {
    if (ended) return;
    // What the resource sent before it closed still goes out, before the close frame.
    if (how.tellRenderer) flush();
    ended = true;
    subscriptions.dispose();
    if (how.tellRenderer) {
      try {
        link.send(how.error ? { kind: 'close', error: how.error } : { kind: 'close' });
      } catch {
        // The renderer's end may already be gone; closing is all that is left.
      }
    }
    link.close();
    if (how.closeStream) stream.close();
    onEnd();
  };

  const acknowledge = (bytes: number): void => {
    if (bytes <= 0) return;
    outstanding -= bytes;
    link.send({ kind: 'credit', bytes });
  };

  // The page pays per message: small chunks that arrive together (a console's output, a few
  // bytes each) go as one frame, flushed at once when full and otherwise at the end of this turn
  // of the event loop (no added delay). SSH's own 32 KiB packets go as they are.
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let flushQueued = false;
  const flush = (): void => {
    flushQueued = false;
    if (ended || pendingBytes === 0) return;
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    link.send({ kind: 'data', data });
  };
  subscriptions.add(
    stream.onData((data) => {
      if (ended) return;
      for (let offset = 0; offset < data.byteLength; offset += STREAM_MAX_FRAME) {
        const part = data.subarray(offset, Math.min(offset + STREAM_MAX_FRAME, data.byteLength));
        credit -= part.byteLength;
        if (part.byteLength >= COALESCE_BELOW) {
          // Big enough to go as it is: copying it into a bigger frame would only make garbage.
          flush();
          link.send({ kind: 'data', data: part });
          continue;
        }
        if (pendingBytes + part.byteLength > STREAM_MAX_FRAME) flush();
        pending.push(part);
        pendingBytes += part.byteLength;
      }
      if (pendingBytes >= STREAM_MAX_FRAME) flush();
      else if (!flushQueued) {
        flushQueued = true;
        setImmediate(flush);
      }
      if (credit <= 0 && !paused) {
        paused = true;
        stream.pause();
      }
    }),
  );
  subscriptions.add(
    stream.onDrain(() => {
      if (!waitingDrain) return;
      waitingDrain = false;
      const bytes = heldForDrain;
      heldForDrain = 0;
      acknowledge(bytes);
    }),
  );
  subscriptions.add(stream.onClose((error) => end({ closeStream: false, tellRenderer: true, ...(error ? { error } : {}) })));
  subscriptions.add(
    link.onFrame((frame) => {
      if (ended) return;
      switch (frame.kind) {
        case 'credit':
          credit += frame.bytes;
          if (paused && credit > 0) {
            paused = false;
            stream.resume();
          }
          return;
        case 'data': {
          const size = frame.data.byteLength;
          outstanding += size;
          if (outstanding > STREAM_WINDOW) return end({ closeStream: true, tellRenderer: true, error: protocolError });
          const accepted = stream.write(frame.data);
          if (accepted && !waitingDrain) acknowledge(size);
          else {
            heldForDrain += size;
            waitingDrain = true;
          }
          return;
        }
        case 'control':
          stream.control(frame.control);
          return;
        case 'close':
          return end({ closeStream: true, tellRenderer: false });
      }
    }),
  );
  subscriptions.add(link.onGone(() => end({ closeStream: true, tellRenderer: false })));
  return toDisposable(() => end({ closeStream: true, tellRenderer: true }));
}
