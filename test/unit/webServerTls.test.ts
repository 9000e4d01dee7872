// Web mode beyond loopback: it refuses to listen in clear text unless told --insecure, and
// with a certificate it serves https/wss, accepting only its own https origin.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../../main/app.js';
import { listenRefusal } from '../../main/web/webAuth.js';
import { startWebServer, type WebServer } from '../../main/web/webServer.js';

let dir: string;
let app: App;
let tls: { cert: string; key: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vd-web-tls-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>VirtDeck</title>');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  tls = { cert: await readFile(join(dir, 'cert.pem'), 'utf8'), key: await readFile(join(dir, 'key.pem'), 'utf8') };
  app = await createApp({ mode: 'web', configDir: join(dir, 'config'), versions: {}, systemLocale: 'en-US' }, { includeLocal: false, includeDemo: false });
});

afterAll(async () => {
  await app.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('listening beyond loopback', () => {
  it('is refused without TLS, in one line that says why and what to do', async () => {
    for (const host of ['0.0.0.0', '::', '198.18.0.1', 'myhost.example']) {
      const refusal = listenRefusal(host, false, false);
      expect(refusal).toMatch(/TLS/);
      expect(refusal).toContain('--tls-cert');
      expect(refusal).toContain('--insecure');
      expect(refusal).not.toContain('\n');
    }
    await expect(startWebServer({ registry: app.registry, staticDir: dir, host: '0.0.0.0', port: 0 })).rejects.toThrow(/--tls-cert/);
  });

  it('is allowed with TLS, or when the user said --insecure; loopback needs neither', () => {
    expect(listenRefusal('0.0.0.0', true, false)).toBeUndefined();
    expect(listenRefusal('0.0.0.0', false, true)).toBeUndefined();
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) expect(listenRefusal(host, false, false)).toBeUndefined();
  });

  it('the web-mode command exits with that line before it starts anything', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', join(process.cwd(), 'main/web/index.ts'), '--host', '0.0.0.0', '--port', '0', '--config-dir', join(dir, 'cli-config')],
        (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--tls-cert FILE --tls-key FILE/);
  });
});

describe('web mode over TLS', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startWebServer({ registry: app.registry, staticDir: dir, host: '127.0.0.1', port: 0, tls });
  });
  afterAll(async () => {
    await server.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status?: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const request = httpsRequest({ host: '127.0.0.1', port: server.port, path, headers, ca: tls.cert }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
      });
      request.on('error', reject);
      request.end();
    });

  const openSocket = (origin: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`wss://127.0.0.1:${server.port}/ws`, { headers: { origin, cookie: `virtdeck_token=${server.token}` }, ca: tls.cert });
      socket.once('open', () => resolve(socket));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
      socket.once('error', reject);
    });

  it('prints an https URL and trades the token for a Secure cookie', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const first = await get(`/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(String(first.headers['set-cookie'])).toMatch(/; Secure/);
    const page = await get('/', { cookie: `virtdeck_token=${server.token}` });
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain(`wss://127.0.0.1:${server.port}`);
  });

  it('accepts WebSockets from its own https origin only', async () => {
    const socket = await openSocket(server.origin);
    expect(server.origin).toMatch(/^https:/);
    socket.close();
    await expect(openSocket(server.origin.replace('https:', 'http:'))).rejects.toThrow('HTTP 403');
    await expect(openSocket('https://evil.example')).rejects.toThrow('HTTP 403');
  });
});
