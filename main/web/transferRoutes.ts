/**
 * Web mode's file transfers as plain HTTP, beside the WebSocket contract: the page PUTs a File
 * as the request body (`/transfer/volume.upload?args=…`) and gets a volume as a download
 * (`GET /transfer/volume.download?args=…`, Content-Disposition). Each opens the same contract
 * stream the WebSocket would (arguments checked by the registry against the contract) and joins
 * it to the request or response (streams/nodePipes.ts), so the browser's own upload and download
 * machinery moves the bytes: no per-frame JavaScript in the page, no whole file in memory, and
 * the browser writes a download under a temporary name until it is complete.
 *
 * Guarded like everything else here: the token cookie (checked by the caller), and the request
 * must come from this server's own page — an Origin of its own for PUT, and Sec-Fetch-Site
 * `same-origin` where the browser sends it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ContractError, type ContractErrorShape } from '../../preload/contract.js';
import { toErrorShape, type Registry } from '../core/registry.js';
import { pipeFromStream, pipeIntoStream } from '../services/streams/nodePipes.js';
import type { WebAccess } from './webAuth.js';

export const TRANSFER_PATH = '/transfer/';

/** The streams that may be driven over HTTP, and with which method. */
const ROUTES: Record<string, 'PUT' | 'GET'> = {
  'volume.upload': 'PUT',
  'file.upload': 'PUT',
  'volume.download': 'GET',
  'file.download': 'GET',
};

const STATUS: Partial<Record<ContractErrorShape['code'], number>> = {
  'bad-arguments': 400,
  'unknown-call': 404,
  'not-found': 404,
  cancelled: 499,
};

function answer(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  // A refused upload's body is not read: the connection goes with the answer.
  response.writeHead(status, { ...(status === 200 ? {} : { Connection: 'close' }), 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  response.end(JSON.stringify(body));
}

function fail(response: ServerResponse, error: unknown): void {
  const shape = toErrorShape(error);
  answer(response, STATUS[shape.code] ?? 500, { ok: false, error: shape });
}

/** `attachment` with the name as ASCII and as UTF-8 (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const base = name.split('/').pop() || 'download';
  const ascii = base.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base)}`;
}

function sameOrigin(request: IncomingMessage, access: WebAccess, method: 'PUT' | 'GET'): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  return method === 'GET' || access.originAllowed(request);
}

/** Serves one transfer; true when the path was a transfer route (answered either way). */
export async function serveTransfer(request: IncomingMessage, response: ServerResponse, url: URL, registry: Registry, access: WebAccess): Promise<boolean> {
  if (!url.pathname.startsWith(TRANSFER_PATH)) return false;
  const name = url.pathname.slice(TRANSFER_PATH.length);
  const method = ROUTES[name];
  if (!method) {
    fail(response, new ContractError('unknown-call', `No transfer route ${name}`));
    return true;
  }
  if (request.method !== method) {
    answer(response, 405, { ok: false, error: { code: 'bad-arguments', message: `${name} takes ${method}.` } });
    return true;
  }
  if (!sameOrigin(request, access, method)) {
    answer(response, 403, { ok: false, error: { code: 'bad-arguments', message: 'Transfers are only taken from this server’s own page.' } });
    return true;
  }
  let args: unknown;
  try {
    args = JSON.parse(url.searchParams.get('args') ?? '{}');
  } catch {
    fail(response, new ContractError('bad-arguments', 'The transfer’s arguments are not JSON.'));
    return true;
  }
  try {
    const stream = await registry.openStream(name, args);
    if (method === 'PUT') {
      await pipeIntoStream(request, stream);
      answer(response, 200, { ok: true });
    } else {
      response.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': contentDisposition(url.searchParams.get('filename') ?? name),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...(stream.size === undefined ? {} : { 'Content-Length': String(stream.size) }),
      });
      await pipeFromStream(stream, response);
    }
  } catch (error) {
    fail(response, error);
  }
  return true;
}
