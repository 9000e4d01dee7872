/**
 * Web mode: the same registry served over HTTP (the built renderer) and one WebSocket per
 * page (the contract). Guarded by a random per-run token; see webAuth.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { DisposableStore, toDisposable } from '../core/disposable.js';
import { perf } from '../core/perfTrace.js';
import { toErrorShape, type Registry } from '../core/registry.js';
import { controlFrameObject, parseControlFrame, pumpStream, type FrameLink } from '../core/streamPump.js';
import { contentSecurityPolicy } from '../electron/contentSecurityPolicy.js';
import { createEventEncoder, type EventEncoder } from './eventEncoding.js';
import { resolveStaticFile, sendFile } from './staticFiles.js';
import { serveTransfer } from './transferRoutes.js';
import { listenRefusal, TOKEN_COOKIE, WebAccess } from './webAuth.js';
import { parseClientMessage, parseStreamOpen, parseStreamText, type ServerMessage } from './webProtocol.js';

export interface WebServerOptions {
  registry: Registry;
  staticDir: string;
  host?: string;
  port?: number;
  /** Fixed token for tests; otherwise a random one per run. */
  token?: string;
  /** Serve https/wss with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Listen beyond loopback without TLS: the user said the network is trusted. */
  insecure?: boolean;
}

/** Thrown before anything listens, with the one line that says why. */
export class WebListenRefused extends Error {
  override readonly name = 'WebListenRefused';
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
const WS_STREAM_PATH = '/ws/stream';
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
  const refusal = listenRefusal(host, options.tls !== undefined, options.insecure === true);
  if (refusal) throw new WebListenRefused(refusal);
  const scheme = options.tls ? 'https' : 'http';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  // Known once the server listens (the port may be chosen by the system).
  const bound: { access?: WebAccess; origin: string } = { origin: '' };

  const listener: RequestListener = (request, response) => {
    void handleHttp(request, response);
  };
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, listener) : createServer(listener);

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const access = bound.access;
    if (!access || !access.hostAllowed(request)) return refuse(response, 403, 'Forbidden');
    const queryToken = url.searchParams.get('token');
    if (!access.authorized(request, queryToken)) return refuse(response, 401, 'Unauthorized');
    if (await serveTransfer(request, response, url, options.registry, access)) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Method Not Allowed');
    if (queryToken !== null) {
      // Trade the token in the URL for a cookie, and drop it from the address bar.
      url.searchParams.delete('token');
      response.writeHead(303, {
        'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/${scheme === 'https' ? '; Secure' : ''}`,
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
    if (!access || (url.pathname !== WS_PATH && url.pathname !== WS_STREAM_PATH)) return refuseUpgrade(socket, 404, 'Not Found');
    if (!access.authorized(request, url.searchParams.get('token'))) return refuseUpgrade(socket, 401, 'Unauthorized');
    if (!access.originAllowed(request)) return refuseUpgrade(socket, 403, 'Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) =>
      url.pathname === WS_PATH ? serveSocket(ws, options.registry, sockets, encodeEvent) : serveStreamSocket(ws, options.registry, sockets),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  bound.access = new WebAccess(token, host, port, scheme);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `${scheme}://${urlHost}:${port}`;
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

/** One page's WebSocket: its calls and its event subscription. */
function serveSocket(ws: WebSocket, registry: Registry, sockets: Set<WebSocket>, encodeEvent: EventEncoder): void {
  sockets.add(ws);
  const owned = new DisposableStore();
  const context = { clientId: `web-${randomUUID()}` };

  const send = (message: ServerMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    const text = perf.time('encode.json', () => JSON.stringify(message));
    perf.message(message.t, text.length);
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
    if (isBinary) return;
    const message = parseClientMessage(data.toString());
    if (!message) return;
    registry.call(message.name, message.args, context).then(
      (result) => send({ t: 'result', id: message.id, ok: true, result: result ?? null }),
      (error: unknown) => send({ t: 'result', id: message.id, ok: false, error: toErrorShape(error) }),
    );
  });

  ws.on('close', () => {
    sockets.delete(ws);
    owned.dispose();
    registry.clientGone(context.clientId);
  });
}

/** One stream's own WebSocket as the pump's link. */
function socketLink(ws: WebSocket): FrameLink {
  return {
    send: (frame) => {
      if (ws.readyState !== ws.OPEN) return;
      if (frame.kind === 'data') ws.send(frame.data, { binary: true });
      else ws.send(JSON.stringify(controlFrameObject(frame)));
    },
    onFrame: (listener) => {
      const onMessage = (data: RawData, isBinary: boolean) => {
        if (isBinary) {
          const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
          listener({ kind: 'data', data: bytes });
          return;
        }
        const frame = parseControlFrame(parseStreamText(data.toString()));
        if (frame) listener(frame);
      };
      ws.on('message', onMessage);
      return toDisposable(() => ws.off('message', onMessage));
    },
    onGone: (listener) => {
      ws.on('close', listener);
      return toDisposable(() => ws.off('close', listener));
    },
    close: () => ws.close(),
  };
}

/** A stream socket: opened by its first frame, then pumped until either side closes. */
function serveStreamSocket(ws: WebSocket, registry: Registry, sockets: Set<WebSocket>): void {
  sockets.add(ws);
  ws.on('close', () => sockets.delete(ws));
  ws.once('message', (data: RawData, isBinary: boolean) => {
    const open = isBinary ? undefined : parseStreamOpen(data.toString());
    if (!open) {
      ws.close(1002, 'expected an open frame');
      return;
    }
    registry.openStream(open.name, open.args).then(
      (stream) => {
        if (ws.readyState !== ws.OPEN) {
          stream.close();
          return;
        }
        ws.send(JSON.stringify({ t: 'opened' }));
        pumpStream(stream, socketLink(ws));
      },
      (error: unknown) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'close', error: toErrorShape(error) }));
        ws.close();
      },
    );
  });
}
