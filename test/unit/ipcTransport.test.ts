/**
 * The Electron IPC adapter with fake ipcMain, WebContents and MessageChannelMain: what it
 * answers, whom it trusts, and that streams, subscriptions and handlers do not outlive their
 * window or the transport.
 */
import { EventEmitter } from 'node:events';
import type { IpcMainInvokeEvent, MessageChannelMain, WebContents } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels, type ContractErrorShape } from '../../preload/contract.js';
import { toDisposable } from '../../main/core/disposable.js';
import { Registry, type CallHandlers, type ServerStream, type StreamHandlers } from '../../main/core/registry.js';
import { IpcTransport, pipeStreamToPort, type CallReply, type StreamOpenReply } from '../../main/electron/ipcTransport.js';
import type { FrameLike } from '../../main/electron/guards.js';

const appUrl = 'file:///opt/virtdeck/out/renderer/index.html';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle(channel: string, handler: Handler) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };
}

/** A MessagePortMain pair: postMessage on one side emits 'message' { data } on the other. */
class FakePort extends EventEmitter {
  peer?: FakePort;
  closed = false;
  started = false;
  postMessage(data: unknown) {
    if (this.closed) return;
    this.peer?.emit('message', { data, ports: [] });
  }
  start() {
    this.started = true;
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    const peer = this.peer;
    if (peer && !peer.closed) {
      peer.closed = true;
      peer.emit('close');
    }
  }
}

function fakeChannel() {
  const port1 = new FakePort();
  const port2 = new FakePort();
  port1.peer = port2;
  port2.peer = port1;
  return { port1, port2 };
}

class FakeContents extends EventEmitter {
  destroyed = false;
  mainFrame: FrameLike = { url: appUrl, parent: null };
  sent: unknown[][] = [];
  posted: Array<{ channel: string; message: unknown; ports: FakePort[] }> = [];
  isDestroyed() {
    return this.destroyed;
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  postMessage(channel: string, message: unknown, ports: FakePort[]) {
    this.posted.push({ channel, message, ports });
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

class FakeStream implements ServerStream {
  written: Uint8Array[] = [];
  closed = 0;
  paused = false;
  private data = new Set<(data: Uint8Array) => void>();
  private closeListeners = new Set<(error?: ContractErrorShape) => void>();
  write(data: Uint8Array) {
    this.written.push(data);
    return true;
  }
  onDrain() {
    return toDisposable(() => undefined);
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  control() {}
  onData(listener: (data: Uint8Array) => void) {
    this.data.add(listener);
    return toDisposable(() => this.data.delete(listener));
  }
  onClose(listener: (error?: ContractErrorShape) => void) {
    this.closeListeners.add(listener);
    return toDisposable(() => this.closeListeners.delete(listener));
  }
  close() {
    this.closed++;
    this.end();
  }
  push(bytes: Uint8Array) {
    for (const listener of [...this.data]) listener(bytes);
  }
  end(error?: ContractErrorShape) {
    for (const listener of [...this.closeListeners]) listener(error);
  }
  get listenerCount() {
    return this.data.size + this.closeListeners.size;
  }
}

function setup() {
  const streams: FakeStream[] = [];
  const callHandlers = {
    'hosts.list': async () => [],
    'hosts.reconnect': async ({ hostId }: { hostId: string }) => {
      if (hostId === 'boom') throw new Error('kaboom');
      return null;
    },
  } as unknown as CallHandlers;
  const streamHandlers = {
    'host.virshShell': async () => {
      const stream = new FakeStream();
      streams.push(stream);
      return stream;
    },
  } as unknown as StreamHandlers;
  const registry = new Registry(callHandlers, streamHandlers);
  const ipcMain = fakeIpcMain();
  const channels: Array<ReturnType<typeof fakeChannel>> = [];
  const transport = new IpcTransport({
    registry,
    appUrl,
    ipcMain: ipcMain as never,
    createChannel: () => {
      const channel = fakeChannel();
      channels.push(channel);
      return channel as unknown as MessageChannelMain;
    },
  });
  const contents = new FakeContents();
  transport.addWindow(contents as unknown as WebContents);

  const invoke = async (channel: string, sender: FakeContents, frame: FrameLike | null, ...args: unknown[]) => {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    const event = { sender, senderFrame: frame } as unknown as IpcMainInvokeEvent;
    return handler(event, ...args);
  };
  const call = (name: unknown, args: unknown, sender = contents, frame: FrameLike | null = sender.mainFrame) =>
    invoke(ipcChannels.call, sender, frame, name, args) as Promise<CallReply>;
  const open = (name: unknown, args: unknown, sender = contents, frame: FrameLike | null = sender.mainFrame) =>
    invoke(ipcChannels.streamOpen, sender, frame, name, args) as Promise<StreamOpenReply>;

  return { registry, ipcMain, transport, contents, streams, channels, call, open };
}

let current: ReturnType<typeof setup> | undefined;
afterEach(() => {
  current?.transport.dispose();
  current = undefined;
});
function start() {
  current = setup();
  return current;
}

describe('IpcTransport calls', () => {
  it('answers a known call with ok and the result', async () => {
    const t = start();
    await expect(t.call('hosts.list', {})).resolves.toEqual({ ok: true, result: [] });
  });

  it('answers an unknown call with unknown-call, never a throw', async () => {
    const t = start();
    const reply = await t.call('no.such.call', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
  });

  it('answers bad arguments with bad-arguments', async () => {
    const t = start();
    await expect(t.call('hosts.reconnect', { hostId: 42 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'bad-arguments' },
    });
    await expect(t.call('hosts.list', { extra: true })).resolves.toMatchObject({
      ok: false,
      error: { code: 'bad-arguments' },
    });
  });

  it('turns a failing handler into an internal error shape', async () => {
    const t = start();
    await expect(t.call('hosts.reconnect', { hostId: 'boom' })).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'kaboom' },
    });
  });

  it('refuses untrusted senders: a subframe, another page, a window that is not ours', async () => {
    const t = start();
    const refused = { ok: false, error: { code: 'internal', message: expect.stringMatching(/^Refused/) } };
    await expect(t.call('hosts.list', {}, t.contents, { url: appUrl, parent: t.contents.mainFrame })).resolves.toEqual(
      refused,
    );
    await expect(t.call('hosts.list', {}, t.contents, { url: 'https://evil.example/', parent: null })).resolves.toEqual(
      refused,
    );
    await expect(t.call('hosts.list', {}, t.contents, null)).resolves.toEqual(refused);
    await expect(t.call('hosts.list', {}, new FakeContents())).resolves.toEqual(refused);
    await expect(t.open('host.virshShell', { hostId: 'local' }, new FakeContents())).resolves.toEqual(refused);
    expect(t.streams).toHaveLength(0);
  });
});

describe('IpcTransport events', () => {
  it('forwards registry events to our windows that still show the app', () => {
    const t = start();
    const other = new FakeContents();
    t.transport.addWindow(other as unknown as WebContents);
    other.mainFrame = { url: 'https://elsewhere.example/', parent: null };
    const host = { id: 'local', label: 'x', kind: 'local', uri: 'qemu:///system', status: 'connected' } as const;
    t.registry.emit('host.changed', host);
    expect(t.contents.sent).toEqual([[ipcChannels.event, 'host.changed', host]]);
    expect(other.sent).toEqual([]);
  });

  it('stops sending to a destroyed window, and to everyone after dispose', () => {
    const t = start();
    t.contents.destroy();
    t.registry.emit('hosts.changed', []);
    expect(t.contents.sent).toEqual([]);

    const again = new FakeContents();
    t.transport.addWindow(again as unknown as WebContents);
    t.transport.dispose();
    t.registry.emit('hosts.changed', []);
    expect(again.sent).toEqual([]);
    expect(t.ipcMain.handlers.size).toBe(0);
  });
});

describe('IpcTransport streams', () => {
  it('opens a stream and posts the renderer its port with the stream id', async () => {
    const t = start();
    const reply = await t.open('host.virshShell', { hostId: 'local' });
    expect(reply).toEqual({ ok: true, streamId: expect.any(String) });
    const streamId = (reply as { streamId: string }).streamId;
    expect(t.contents.posted).toHaveLength(1);
    expect(t.contents.posted[0]).toEqual({
      channel: ipcChannels.streamPort,
      message: { streamId },
      ports: [t.channels[0]?.port2],
    });
    expect(t.channels[0]?.port1.started).toBe(true);
  });

  it('answers unknown streams and bad arguments with typed errors', async () => {
    const t = start();
    await expect(t.open('no.such.stream', {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    await expect(t.open('host.virshShell', {})).resolves.toMatchObject({ ok: false, error: { code: 'bad-arguments' } });
    expect(t.contents.posted).toHaveLength(0);
  });

  it('pipes bytes both ways and closes the stream when the renderer says close', async () => {
    const t = start();
    await t.open('host.virshShell', { hostId: 'local' });
    const stream = t.streams[0]!;
    const rendererPort = t.channels[0]!.port2;
    const fromMain: unknown[] = [];
    rendererPort.on('message', (event: { data: unknown }) => fromMain.push(event.data));

    rendererPort.postMessage(new Uint8Array([1, 2, 3]));
    expect(stream.written).toEqual([new Uint8Array([1, 2, 3])]);
    // The resource took them: their credit goes back to the renderer.
    expect(fromMain).toEqual([{ type: 'credit', bytes: 3 }]);

    const pooled = Buffer.from('hello world').subarray(6);
    stream.push(pooled);
    // Small chunks go out at the end of this turn of the event loop, as one frame.
    await new Promise((resolve) => setImmediate(resolve));
    expect(fromMain).toHaveLength(2);
    const delivered = fromMain[1] as Uint8Array;
    expect(Object.getPrototypeOf(delivered)).toBe(Uint8Array.prototype);
    expect(delivered.buffer.byteLength).toBe(5);
    expect(Buffer.from(delivered).toString()).toBe('world');

    rendererPort.postMessage({ type: 'close' });
    expect(stream.closed).toBe(1);
    expect(stream.listenerCount).toBe(0);
  });

  it('tells the renderer when the resource closes, with its error', async () => {
    const t = start();
    await t.open('host.virshShell', { hostId: 'local' });
    const fromMain: unknown[] = [];
    t.channels[0]!.port2.on('message', (event: { data: unknown }) => fromMain.push(event.data));
    const error = { code: 'host-unavailable', message: 'ssh dropped' } as const;
    t.streams[0]!.end(error);
    expect(fromMain).toEqual([{ type: 'close', error }]);
    expect(t.channels[0]!.port1.closed).toBe(true);
  });

  it('closes the stream when the renderer end of the port goes away (reload)', async () => {
    const t = start();
    await t.open('host.virshShell', { hostId: 'local' });
    t.channels[0]!.port2.close();
    expect(t.streams[0]!.closed).toBe(1);
  });

  it('closes every stream of a window when the window is destroyed', async () => {
    const t = start();
    await t.open('host.virshShell', { hostId: 'local' });
    await t.open('host.virshShell', { hostId: 'local' });
    t.contents.destroy();
    expect(t.streams.map((s) => s.closed)).toEqual([1, 1]);
    expect(t.streams.every((s) => s.listenerCount === 0)).toBe(true);
  });

  it('closes a stream that finishes opening after its window closed', async () => {
    const t = start();
    const opening = t.open('host.virshShell', { hostId: 'local' });
    t.contents.destroy();
    await expect(opening).resolves.toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(t.streams[0]!.closed).toBe(1);
    expect(t.contents.posted).toHaveLength(0);
  });

  it('closes open streams on dispose and removes both handlers', async () => {
    const t = start();
    await t.open('host.virshShell', { hostId: 'local' });
    t.transport.dispose();
    expect(t.streams[0]!.closed).toBe(1);
    expect(t.ipcMain.handlers.size).toBe(0);
  });
});

describe('pipeStreamToPort', () => {
  it('ends once, however many ways it is ended', () => {
    const stream = new FakeStream();
    const { port1, port2 } = fakeChannel();
    const onEnd = vi.fn();
    const link = pipeStreamToPort(stream, port1 as never, onEnd);
    port2.postMessage({ type: 'close' });
    link.dispose();
    stream.end();
    port2.close();
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(stream.closed).toBe(1);
  });

  it('ignores messages outside the protocol', () => {
    const stream = new FakeStream();
    const { port1, port2 } = fakeChannel();
    pipeStreamToPort(stream, port1 as never);
    port2.postMessage('text');
    port2.postMessage({ type: 'open' });
    port2.postMessage(null);
    expect(stream.written).toEqual([]);
    expect(stream.closed).toBe(0);
  });
});
