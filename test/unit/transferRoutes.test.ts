/**
 * Web mode's HTTP transfer routes (main/web/transferRoutes.ts over streams/nodePipes.ts), with a
 * real web server and HTTP client and a fake stream behind the registry: the token and the
 * page's own origin are required; an upload's body reaches the stream whole, with backpressure
 * (the body waits while the stream says it is full), then `end`; a client that breaks off closes
 * the stream (which is what removes a partial volume); a download carries its name and length,
 * and one cut short is an error for the client, never a complete-looking short response.
 */
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractErrorShape, StreamControl } from '../../preload/contract.js';
import { toDisposable } from '../../main/core/disposable.js';
import type { Registry, ServerStream } from '../../main/core/registry.js';
import { contentDisposition } from '../../main/web/transferRoutes.js';
import { startWebServer, type WebServer } from '../../main/web/webServer.js';

interface Fake {
  stream: ServerStream;
  received: number;
  maxQueued: number;
  controls: StreamControl[];
  closedByClient: boolean;
  emit(data: Uint8Array): void;
  finish(error?: ContractErrorShape): void;
  paused: () => boolean;
}

/** A stream that takes at most 256 KiB before it says "full", and drains a moment later. */
function fakeStream(size?: number): Fake {
  const dataListeners = new Set<(data: Uint8Array) => void>();
  const drainListeners = new Set<() => void>();
  const closeListeners = new Set<(error?: ContractErrorShape) => void>();
  let queued = 0;
  let paused = false;
  const fake: Fake = {
    received: 0,
    maxQueued: 0,
    controls: [],
    closedByClient: false,
    emit: (data) => dataListeners.forEach((listener) => listener(data)),
    finish: (error) => closeListeners.forEach((listener) => listener(error)),
    paused: () => paused,
    stream: {
      ...(size === undefined ? {} : { size }),
      write: (data) => {
        fake.received += data.byteLength;
        queued += data.byteLength;
        fake.maxQueued = Math.max(fake.maxQueued, queued);
        if (queued < 256 * 1024) return true;
        setTimeout(() => {
          queued = 0;
          drainListeners.forEach((listener) => listener());
        }, 2);
        return false;
      },
      onDrain: (listener) => (drainListeners.add(listener), toDisposable(() => drainListeners.delete(listener))),
      onData: (listener) => (dataListeners.add(listener), toDisposable(() => dataListeners.delete(listener))),
      pause: () => (paused = true),
      resume: () => (paused = false),
      control: (message) => {
        fake.controls.push(message);
        if (message.kind === 'end') setTimeout(() => fake.finish(), 5);
      },
      onClose: (listener) => (closeListeners.add(listener), toDisposable(() => closeListeners.delete(listener))),
      close: () => {
        fake.closedByClient = true;
        fake.finish({ code: 'cancelled', message: 'cancelled' });
      },
    },
  };
  return fake;
}

let server: WebServer;
let dir: string;
let next: Fake | undefined;
const opened: { name: string; args: unknown }[] = [];
const registry = {
  openStream: async (name: string, args: unknown) => {
    opened.push({ name, args });
    if (!next) throw new Error('no stream prepared');
    return next.stream;
  },
} as unknown as Registry;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vd-transfer-test-'));
  server = await startWebServer({ registry, staticDir: dir, port: 0 });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const cookie = () => `virtdeck_token=${server.token}`;
const uploadPath = `/transfer/volume.upload?args=${encodeURIComponent(JSON.stringify({ hostId: 'h', pool: 'p', name: 'v.img', size: 3 << 20 }))}`;

describe('web mode transfer routes', () => {
  it('want the token and the page’s own origin', async () => {
    expect((await fetch(`${server.origin}${uploadPath}`, { method: 'PUT', body: 'x' })).status).toBe(401);
    expect((await fetch(`${server.origin}${uploadPath}`, { method: 'PUT', body: 'x', headers: { cookie: cookie(), origin: 'http://evil.example' } })).status).toBe(403);
    expect((await fetch(`${server.origin}/transfer/volume.download?args={}`, { headers: { cookie: cookie(), 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await fetch(`${server.origin}/transfer/vm.vnc?args={}`, { headers: { cookie: cookie() } })).status).toBe(404);
    expect((await fetch(`${server.origin}${uploadPath}`, { headers: { cookie: cookie() } })).status).toBe(405);
  });

  it('feeds an upload’s body into the stream whole, holding it back while the stream is full', async () => {
    next = fakeStream();
    const body = new Uint8Array(3 << 20).fill(7);
    const response = await fetch(`${server.origin}${uploadPath}`, { method: 'PUT', body, headers: { cookie: cookie(), origin: server.origin } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(next.received).toBe(body.byteLength);
    expect(next.controls).toEqual([{ kind: 'end' }]);
    // Paused at the first "full": never more than the mark plus one chunk of the body.
    expect(next.maxQueued).toBeLessThan(256 * 1024 + 128 * 1024);
    expect(opened.at(-1)).toEqual({ name: 'volume.upload', args: { hostId: 'h', pool: 'p', name: 'v.img', size: 3 << 20 } });
  });

  it('closes the stream when the client breaks an upload off', async () => {
    const fake = fakeStream();
    next = fake;
    const request = httpRequest(`${server.origin}${uploadPath}`, { method: 'PUT', headers: { cookie: cookie(), origin: server.origin, 'content-length': String(3 << 20) } });
    request.on('error', () => undefined);
    request.write(Buffer.alloc(64 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 50));
    request.destroy();
    await expect.poll(() => fake.closedByClient).toBe(true);
  });

  it('sends a download with its name and length', async () => {
    const fake = fakeStream(5);
    next = fake;
    const responding = fetch(`${server.origin}/transfer/volume.download?args=${encodeURIComponent('{"hostId":"h","pool":"p","volume":"v.img"}')}&filename=v.img`, { headers: { cookie: cookie() } });
    await expect.poll(() => opened.at(-1)?.name).toBe('volume.download');
    await new Promise((resolve) => setTimeout(resolve, 20));
    fake.emit(Uint8Array.of(1, 2, 3));
    fake.emit(Uint8Array.of(4, 5));
    fake.finish();
    const response = await responding;
    expect(response.headers.get('content-length')).toBe('5');
    expect(response.headers.get('content-disposition')).toBe(contentDisposition('v.img'));
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3, 4, 5]);
  });

  it('breaks a download cut short, so the client never sees it as complete', async () => {
    const fake = fakeStream(10);
    next = fake;
    const count = opened.length;
    const responding = fetch(`${server.origin}/transfer/volume.download?args=${encodeURIComponent('{"hostId":"h","pool":"p","volume":"v.img"}')}`, { headers: { cookie: cookie() } });
    await expect.poll(() => opened.length).toBe(count + 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    fake.emit(Uint8Array.of(1, 2, 3));
    fake.finish();
    // Either the response or its body fails: the connection is broken, not ended.
    await expect(responding.then((response) => response.arrayBuffer())).rejects.toThrow();
  });

  it('names a download in ASCII and in UTF-8', () => {
    expect(contentDisposition('镜像 "a".iso')).toBe(`attachment; filename="__ _a_.iso"; filename*=UTF-8''${encodeURIComponent('镜像 "a".iso')}`);
  });
});
