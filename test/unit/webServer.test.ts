import { request as httpRequest } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../../main/app.js';
import type { App } from '../../main/app.js';
import { startWebServer, type WebServer } from '../../main/web/webServer.js';

let app: App;
let server: WebServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vd-web-test-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>VirtDeck</title>');
  await writeFile(join(dir, 'app.js'), 'console.log(1)');
  app = await createApp(
    { mode: 'web', configDir: join(dir, 'config'), versions: { node: process.versions.node }, systemLocale: 'en-US' },
    { includeLocal: false },
  );
  server = await startWebServer({ registry: app.registry, staticDir: dir, port: 0 });
});

afterAll(async () => {
  await server.close();
  await app.dispose();
  await rm(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}) {
  return fetch(`${server.origin}${path}`, { headers, redirect: 'manual' });
}

function openSocket(headers: Record<string, string>, path = '/ws'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${server.origin.replace('http', 'ws')}${path}`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

function rpc(socket: WebSocket, id: number, name: string, args: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.t === 'result' && message.id === id) {
        socket.off('message', onMessage);
        resolve(message);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ t: 'call', id, name, args }));
  });
}

const cookie = () => `virtdeck_token=${server.token}`;

describe('web mode access', () => {
  it('prints a URL with the token on loopback', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
  });

  it('answers 401 and nothing else without a token', async () => {
    for (const path of ['/', '/index.html', '/app.js', '/nope']) {
      const response = await get(path);
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('401 Unauthorized\n');
    }
  });

  it('answers 401 to a wrong token, in the URL or the cookie', async () => {
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get(`/?token=${server.token}x`)).status).toBe(401);
    expect((await get('/', { cookie: 'virtdeck_token=wrong' })).status).toBe(401);
  });

  it('trades the right token for an HttpOnly cookie and serves the app with a strict CSP', async () => {
    const first = await get(`/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(first.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
    const page = await get('/', { cookie: cookie() });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>VirtDeck</title>');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses path traversal', async () => {
    const response = await get('/..%2F..%2Fetc%2Fpasswd', { cookie: cookie() });
    expect(response.status).toBe(404);
  });

  it('refuses a foreign Host header on loopback (DNS rebinding)', async () => {
    // fetch() may not set Host, so this one goes through node:http.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port: server.port, path: '/', headers: { cookie: cookie(), host: 'evil.example' } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(status).toBe(403);
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    await expect(openSocket({ origin: server.origin })).rejects.toThrow('HTTP 401');
    await expect(openSocket({ origin: server.origin, cookie: 'virtdeck_token=nope' })).rejects.toThrow('HTTP 401');
    await expect(openSocket({ origin: 'http://evil.example', cookie: cookie() })).rejects.toThrow('HTTP 403');
    await expect(openSocket({ cookie: cookie() })).rejects.toThrow('HTTP 403');
    const socket = await openSocket({ origin: server.origin, cookie: cookie() });
    socket.close();
  });
});

describe('web mode contract', () => {
  it('serves calls, and answers unknown or malformed ones with typed errors without crashing', async () => {
    const socket = await openSocket({ origin: server.origin, cookie: cookie() });
    const unknown = await rpc(socket, 1, 'no.such.call', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    const malformed = await rpc(socket, 2, 'vm.action', { hostId: 'demo', name: 'test', action: 'explode' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'bad-arguments' } });
    const extra = await rpc(socket, 3, 'hosts.list', { sneaky: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'bad-arguments' } });
    const noHost = await rpc(socket, 4, 'inventory.get', { hostId: 'nope' });
    expect(noHost).toMatchObject({ ok: false, error: { code: 'unknown-host' } });
    socket.send('this is not json');
    socket.send(JSON.stringify({ t: 'call' }));
    const info = await rpc(socket, 5, 'app.info', {});
    expect(info).toMatchObject({ ok: true, result: { name: 'VirtDeck', mode: 'web' } });
    socket.close();
  });

  it('pushes events and carries byte streams both ways', async () => {
    const socket = await openSocket({ origin: server.origin, cookie: cookie() });
    const hosts = (await rpc(socket, 1, 'hosts.list', {})) as { result: { id: string; status: string }[] };
    expect(hosts.result.map((host) => host.id)).toEqual(['demo']);
    // Wait for the demo host to be connected (it may already be).
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const list = (await rpc(socket, 2, 'hosts.list', {})) as { result: { status: string }[] };
      if (list.result[0]?.status === 'connected') break;
      await new Promise((resolve) => socket.once('message', resolve));
    }
    const events: string[] = [];
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        const message = JSON.parse(data.toString()) as { t: string; name?: string };
        if (message.t === 'event' && message.name) events.push(message.name);
      }
    });
    const action = await rpc(socket, 3, 'vm.action', { hostId: 'demo', name: 'web-frontend', action: 'suspend' });
    expect(action).toMatchObject({ ok: true });
    expect(events).toContain('inventory.changed');
    expect(events).toContain('task.changed');
    await rpc(socket, 4, 'vm.action', { hostId: 'demo', name: 'web-frontend', action: 'resume' });

    // Stream: an interactive virsh on a socket of its own; send a command, read its answer.
    const stream = await openSocket({ origin: server.origin, cookie: cookie() }, '/ws/stream');
    const opened = new Promise<void>((resolve) => stream.once('message', () => resolve()));
    stream.send(JSON.stringify({ t: 'open', name: 'host.virshShell', args: { hostId: 'demo' } }));
    await opened;
    let received = '';
    const gotAnswer = new Promise<void>((resolve) => {
      stream.on('message', (data, isBinary) => {
        if (!isBinary) return;
        received += (data as Buffer).toString();
        if (received.includes('stream-ok-42')) resolve();
      });
    });
    stream.send(Buffer.from('echo stream-ok-42\n'));
    await gotAnswer;
    // The main socket still answers while the stream is open.
    expect(await rpc(socket, 6, 'app.info', {})).toMatchObject({ ok: true });
    const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    stream.send(JSON.stringify({ type: 'close' }));
    await closed;
    socket.close();
  });
});
