/**
 * The credit window between a ServerStream and a transport link (main/core/streamPump.ts):
 * main never has more than STREAM_WINDOW unacknowledged bytes towards the renderer (the
 * resource is paused instead), acknowledges the renderer's bytes only as the resource takes
 * them, and closes a stream whose renderer sends beyond its credit.
 */
import { describe, expect, it } from 'vitest';
import { STREAM_MAX_FRAME, STREAM_WINDOW, type ContractErrorShape, type StreamControl } from '../../preload/contract.js';
import { toDisposable } from '../../main/core/disposable.js';
import type { ServerStream } from '../../main/core/registry.js';
import { pumpStream, type FrameLink, type StreamFrame } from '../../main/core/streamPump.js';

class Resource implements ServerStream {
  paused = false;
  full = false;
  written = 0;
  closed = 0;
  controls: StreamControl[] = [];
  private dataListener: ((data: Uint8Array) => void) | undefined;
  private drainListener: (() => void) | undefined;
  private closeListener: ((error?: ContractErrorShape) => void) | undefined;
  write(data: Uint8Array) {
    this.written += data.byteLength;
    return !this.full;
  }
  onDrain(listener: () => void) {
    this.drainListener = listener;
    return toDisposable(() => (this.drainListener = undefined));
  }
  onData(listener: (data: Uint8Array) => void) {
    this.dataListener = listener;
    return toDisposable(() => (this.dataListener = undefined));
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  control(message: StreamControl) {
    this.controls.push(message);
  }
  onClose(listener: (error?: ContractErrorShape) => void) {
    this.closeListener = listener;
    return toDisposable(() => (this.closeListener = undefined));
  }
  close() {
    this.closed += 1;
  }
  produce(bytes: number) {
    this.dataListener?.(new Uint8Array(bytes));
  }
  drain() {
    this.full = false;
    this.drainListener?.();
  }
  finish(error?: ContractErrorShape) {
    this.closeListener?.(error);
  }
}

class Link implements FrameLink {
  sent: StreamFrame[] = [];
  closed = false;
  private listener: ((frame: StreamFrame) => void) | undefined;
  private goneListener: (() => void) | undefined;
  send(frame: StreamFrame) {
    this.sent.push(frame);
  }
  onFrame(listener: (frame: StreamFrame) => void) {
    this.listener = listener;
    return toDisposable(() => (this.listener = undefined));
  }
  onGone(listener: () => void) {
    this.goneListener = listener;
    return toDisposable(() => (this.goneListener = undefined));
  }
  close() {
    this.closed = true;
  }
  fromRenderer(frame: StreamFrame) {
    this.listener?.(frame);
  }
  gone() {
    this.goneListener?.();
  }
  dataBytes() {
    return this.sent.reduce((sum, frame) => sum + (frame.kind === 'data' ? frame.data.byteLength : 0), 0);
  }
  credits() {
    return this.sent.filter((frame) => frame.kind === 'credit').reduce((sum, frame) => sum + (frame.kind === 'credit' ? frame.bytes : 0), 0);
  }
}

describe('pumpStream', () => {
  it('cuts large chunks into frames and pauses the resource when the window is used up', async () => {
    const resource = new Resource();
    const link = new Link();
    pumpStream(resource, link);
    resource.produce(STREAM_WINDOW - 1);
    expect(resource.paused).toBe(false);
    expect(link.sent.every((frame) => frame.kind !== 'data' || frame.data.byteLength <= STREAM_MAX_FRAME)).toBe(true);
    resource.produce(1);
    expect(resource.paused).toBe(true);
    // The last byte is small: it goes out at the end of this turn, with whatever comes with it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(link.dataBytes()).toBe(STREAM_WINDOW);
    // Credit for part of it resumes production.
    link.fromRenderer({ kind: 'credit', bytes: 1024 });
    expect(resource.paused).toBe(false);
  });

  it('acknowledges the renderer\'s bytes when the resource takes them, or only at its drain', () => {
    const resource = new Resource();
    const link = new Link();
    pumpStream(resource, link);
    link.fromRenderer({ kind: 'data', data: new Uint8Array(1000) });
    expect(link.credits()).toBe(1000);
    resource.full = true;
    link.fromRenderer({ kind: 'data', data: new Uint8Array(500) });
    resource.full = false;
    // Later bytes queue behind the held ones, so acknowledgements stay in order.
    link.fromRenderer({ kind: 'data', data: new Uint8Array(250) });
    expect(link.credits()).toBe(1000);
    resource.drain();
    expect(link.credits()).toBe(1750);
    expect(resource.written).toBe(1750);
  });

  it('closes a stream whose renderer sends beyond its window', () => {
    const resource = new Resource();
    const link = new Link();
    pumpStream(resource, link);
    resource.full = true;
    link.fromRenderer({ kind: 'data', data: new Uint8Array(STREAM_WINDOW) });
    expect(resource.closed).toBe(0);
    link.fromRenderer({ kind: 'data', data: new Uint8Array(1) });
    expect(resource.closed).toBe(1);
    expect(link.sent.at(-1)).toMatchObject({ kind: 'close', error: { code: 'bad-arguments' } });
  });

  it('sends small chunks that arrive together as one frame', async () => {
    const resource = new Resource();
    const link = new Link();
    pumpStream(resource, link);
    for (let i = 0; i < 10; i += 1) resource.produce(100);
    expect(link.dataBytes()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(link.sent.filter((frame) => frame.kind === 'data').map((frame) => (frame.kind === 'data' ? frame.data.byteLength : 0))).toEqual([1000]);
  });

  it('passes control frames, reports the resource\'s close with its error, and ends once', () => {
    const resource = new Resource();
    const link = new Link();
    let ends = 0;
    const pump = pumpStream(resource, link, () => (ends += 1));
    link.fromRenderer({ kind: 'control', control: { kind: 'resize', rows: 40, cols: 120 } });
    expect(resource.controls).toEqual([{ kind: 'resize', rows: 40, cols: 120 }]);
    resource.finish({ code: 'file-error', message: 'disk full' });
    expect(link.sent.at(-1)).toEqual({ kind: 'close', error: { code: 'file-error', message: 'disk full' } });
    expect(link.closed).toBe(true);
    pump.dispose();
    link.gone();
    expect(ends).toBe(1);
    expect(resource.closed).toBe(0);
  });

  it('closes the resource when the renderer goes away', () => {
    const resource = new Resource();
    const link = new Link();
    pumpStream(resource, link);
    link.gone();
    expect(resource.closed).toBe(1);
  });
});
