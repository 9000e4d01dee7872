/**
 * Who may talk to web mode: the per-run token (in the first URL, then an HttpOnly cookie),
 * a Host header naming this server when it listens on loopback (DNS rebinding), and for
 * WebSocket upgrades an Origin that is this server's own (https when it serves TLS). Beyond
 * loopback it serves only over TLS, unless the user explicitly says the network is trusted.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'virtdeck_token';

export function tokensEqual(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieToken(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function isLoopbackAddress(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Why web mode must not listen on `host`, or undefined when it may. Beyond loopback the token,
 * the page and every typed password would cross the network in clear text without TLS.
 */
export function listenRefusal(host: string, tls: boolean, insecure: boolean): string | undefined {
  if (tls || insecure || isLoopbackAddress(host)) return undefined;
  return (
    `refusing to listen on ${host} without TLS: the access token and the passwords you type would cross the network unencrypted. ` +
    'Give --tls-cert FILE --tls-key FILE to serve https, listen on 127.0.0.1, or add --insecure if you trust every machine on this network.'
  );
}

export class WebAccess {
  constructor(
    private readonly token: string,
    private readonly bindHost: string,
    private readonly port: number,
    /** The scheme pages are served with: their Origin header must carry it. */
    private readonly scheme: 'http' | 'https' = 'http',
  ) {}

  /** Host headers accepted; null means any (the server listens beyond loopback). */
  private allowedHosts(): Set<string> | null {
    if (!isLoopbackAddress(this.bindHost)) return null;
    const names = ['127.0.0.1', 'localhost', '[::1]', this.bindHost.includes(':') && !this.bindHost.startsWith('[') ? `[${this.bindHost}]` : this.bindHost];
    return new Set(names.map((name) => `${name}:${this.port}`));
  }

  hostAllowed(request: IncomingMessage): boolean {
    const host = request.headers.host;
    if (!host) return false;
    const allowed = this.allowedHosts();
    return allowed === null || allowed.has(host.toLowerCase());
  }

  /** The token from the query string or the cookie is the right one. */
  authorized(request: IncomingMessage, queryToken: string | null): boolean {
    return tokensEqual(queryToken, this.token) || tokensEqual(cookieToken(request), this.token);
  }

  /** A WebSocket may only be opened by a page this server served. */
  originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    const host = request.headers.host;
    if (!origin || !host || !this.hostAllowed(request)) return false;
    return origin.toLowerCase() === `${this.scheme}://${host.toLowerCase()}`;
  }
}
