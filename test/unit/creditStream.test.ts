/**
 * The renderer's end of a stream (renderer/src/transport/creditStream.ts): writes wait for
 * credit so no more than the window is in flight, received bytes are acknowledged only once
 * their listeners finished (promises included), and a close frame carries its error.
 */
import { describe, expect, it } from 'vitest';
import { STREAM_MAX_FRAME, STREAM_WINDOW } from '../../preload/contract.js';
import { createStreamEndpoint } from '../../renderer/src/transport/creditStream.js';

function setup() {
  const data: Uint8Array[] = [];
  const frames: Record<string, unknown>[] = [];
  let closed = false;
  const endpoint = createStreamEndpoint({
    sendData: (bytes) => data.push(bytes),
    sendFrame: (frame) => frames.push(frame),
    close: () => (closed = true),
  });
  return { endpoint, data, frames, isClosed: () => closed, sentBytes: () => data.reduce((sum, b) => sum + b.byteLength, 0) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('renderer stream endpoint', () => {
  it('sends at most the window, in frames, and the rest once credit comes back', async () => {
    const t = setup();
    let done = false;
    const writing = t.endpoint.stream.write(new Uint8Array(STREAM_WINDOW + STREAM_MAX_FRAME)).then(() => (done = true));
    await tick();
    expect(t.sentBytes()).toBe(STREAM_WINDOW);
    expect(t.data.every((frame) => frame.byteLength <= STREAM_MAX_FRAME)).toBe(true);
    expect(done).toBe(false);
    t.endpoint.receiveFrame({ type: 'credit', bytes: STREAM_MAX_FRAME });
    await writing;
    expect(t.sentBytes()).toBe(STREAM_WINDOW + STREAM_MAX_FRAME);
  });

  it('acknowledges received bytes after the listeners are done, promises included', async () => {
    const t = setup();
    let release: () => void = () => undefined;
    t.endpoint.stream.onData(() => new Promise<void>((resolve) => (release = resolve)));
    t.endpoint.receiveData(new Uint8Array(1000));
    await tick();
    expect(t.frames).toEqual([]);
    release();
    await tick();
    expect(t.frames).toEqual([{ type: 'credit', bytes: 1000 }]);
  });

  it('sends control and close frames, and reports a close from main with its error', async () => {
    const t = setup();
    const errors: unknown[] = [];
    t.endpoint.stream.onClose((error) => errors.push(error));
    t.endpoint.stream.control({ kind: 'resize', rows: 50, cols: 160 });
    t.endpoint.stream.end();
    expect(t.frames).toEqual([
      { type: 'control', control: { kind: 'resize', rows: 50, cols: 160 } },
      { type: 'control', control: { kind: 'end' } },
    ]);
    t.endpoint.receiveFrame({ type: 'close', error: { code: 'not-found', message: 'gone' } });
    expect(errors).toEqual([{ code: 'not-found', message: 'gone' }]);
    expect(t.isClosed()).toBe(true);
  });

  it('keeps bytes that arrive before the first listener, in order, unacknowledged until delivered', async () => {
    const t = setup();
    t.endpoint.receiveData(Uint8Array.of(1, 2));
    t.endpoint.receiveData(Uint8Array.of(3));
    await tick();
    // Not acknowledged: main may send no more than the window ahead of them (the bound).
    expect(t.frames).toEqual([]);
    const got: number[] = [];
    t.endpoint.stream.onData((data) => void got.push(...data));
    // Bytes that come after the listener but before the early ones were handed over wait their turn.
    t.endpoint.receiveData(Uint8Array.of(4));
    expect(got).toEqual([]);
    await tick();
    expect(got).toEqual([1, 2, 3, 4]);
    expect(t.frames).toEqual([{ type: 'credit', bytes: 4 }]);
    t.endpoint.receiveData(Uint8Array.of(5));
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });

  it('delivers early bytes before the close that followed them', async () => {
    const t = setup();
    const events: string[] = [];
    t.endpoint.receiveData(Uint8Array.of(9));
    t.endpoint.stream.onData((data) => void events.push(`data ${data[0]}`));
    t.endpoint.stream.onClose(() => events.push('close'));
    t.endpoint.receiveFrame({ type: 'close' });
    await tick();
    expect(events).toEqual(['data 9', 'close']);
  });
});
