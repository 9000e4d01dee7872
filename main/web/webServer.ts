/**
 * Web mode: the same registry served over HTTP (the built renderer) and one WebSocket per
 * page (the contract). Guarded by a random per-run token; see webAuth.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { DisposableStore } from '../core/disposable.js';
import { perf } from '../core/perfTrace.js';
import { createEventEncoder, type EventEncoder } from './eventEncoding.js';
import { toErrorShape, type Registry, type ServerStream } from '../core/registry.js';
import { contentSecurityPolicy } from '../electron/contentSecurityPolicy.js';
import { resolveStaticFile, sendFile } from './staticFiles.js';
import { TOKEN_COOKIE, WebAccess } from './webAuth.js';
import { decodeStreamFrame, encodeStreamFrame, parseClientMessage, type ServerMessage } from './webProtocol.js';

export interface WebServerOptions {
  registry: Registry;
  staticDir: string;
  host?: string;
  port?: number;
  /** Fixed token for tests; otherwise a random one per run. */
  token?: string;
}

export interface WebServer {
  /** The full URL with the token, to open in a browser. */
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const WS_PATH = '/ws';
const MAX_PAYLOAD = 16 * 1024 * 1024;

function securityHeaders(origin: string): Record<string, string> {
  const wsOrigin = origin.replace(/^http/, 'ws');
  return {
    'Content-Security-Policy': contentSecurityPolicy({ connectSrc: [wsOrigin] }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${status} ${text}\n`);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  // Known once the server listens (the port may be chosen by the system).
  const bound: { access?: WebAccess; origin: string } = { origin: '' };

  const server = createServer((request, response) => {
    void handleHttp(request, response);
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const access = bound.access;
    if (!access || !access.hostAllowed(request)) return refuse(response, 403, 'Forbidden');
    const queryToken = url.searchParams.get('token');
    if (!access.authorized(request, queryToken)) return refuse(response, 401, 'Unauthorized');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Method Not Allowed');
    if (queryToken !== null) {
      // Trade the token in the URL for a cookie, and drop it from the address bar.
      url.searchParams.delete('token');
      response.writeHead(303, {
        'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + (url.search === '?' ? '' : url.search),
        'Cache-Control': 'no-store',
      });
      response.end();
      return;
    }
    const file = await resolveStaticFile(options.staticDir, url.pathname);
    if (!file) return refuse(response, 404, 'Not Found');
    sendFile(response, file, securityHeaders(bound.origin));
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  const encodeEvent = createEventEncoder();
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const access = bound.access;
    if (!access || url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!access.authorized(request, url.searchParams.get('token'))) return refuseUpgrade(socket, 401, 'Unauthorized');
    if (!access.originAllowed(request)) return refuseUpgrade(socket, 403, 'Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options.registry, sockets, encodeEvent));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  bound.access = new WebAccess(token, host, port);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${urlHost}:${port}`;
  bound.origin = origin;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    close: async () => {
      for (const socket of sockets) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One page's WebSocket: its calls, its event subscription and its open streams. */
function serveSocket(ws: WebSocket, registry: Registry, sockets: Set<WebSocket>, encodeEvent: EventEncoder): void {
  sockets.add(ws);
  const owned = new DisposableStore();
  const streams = new Map<number, ServerStream>();
  let nextStreamId = 1;
  const context = { clientId: `web-${randomUUID()}` };

  const send = (message: ServerMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    const text = perf.time('encode.json', () => JSON.stringify(message));
    perf.message(message.t === 'event' ? message.name : message.t, text.length);
    ws.send(text);
  };

  owned.add(
    registry.subscribe((name, payload) => {
      if (ws.readyState !== ws.OPEN) return;
      const text = encodeEvent(name, payload);
      perf.message(name, text.length);
      ws.send(text);
    }),
  );

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const frame = decodeStreamFrame(bytes);
      if (frame) streams.get(frame.sid)?.write(frame.data);
      return;
    }
    const message = parseClientMessage(data.toString());
    if (!message) return;
    if (message.t === 'call') {
      registry.call(message.name, message.args, context).then(
        (result) => send({ t: 'result', id: message.id, ok: true, result: result ?? null }),
        (error: unknown) => send({ t: 'result', id: message.id, ok: false, error: toErrorShape(error) }),
      );
    } else if (message.t === 'stream-open') {
      registry.openStream(message.name, message.args).then(
        (stream) => {
          const sid = nextStreamId++;
          streams.set(sid, stream);
          stream.onData((chunk) => {
            if (ws.readyState === ws.OPEN) ws.send(encodeStreamFrame(sid, chunk), { binary: true });
          });
          stream.onClose((error) => {
            streams.delete(sid);
            send(error ? { t: 'stream-closed', sid, error } : { t: 'stream-closed', sid });
          });
          owned.add({ dispose: () => stream.close() });
          send({ t: 'stream-opened', id: message.id, ok: true, sid });
        },
        (error: unknown) => send({ t: 'stream-opened', id: message.id, ok: false, error: toErrorShape(error) }),
      );
    } else {
      streams.get(message.sid)?.close();
    }
  });

  ws.on('close', () => {
    sockets.delete(ws);
    owned.dispose();
    registry.clientGone(context.clientId);
  });
}
