/**
 * The upload benchmark: M MiB (default 1 GiB) from this machine into a storage pool of a lab
 * host and back, through the UI in web mode — the pool tab's Upload dialog fed by the browser's
 * file picker, then the volume's Download — against OpenSSH's `scp` of the same file to and from
 * the same host in the same run.
 *
 * References from the same run say where a limit is: how fast this Chromium sends bare
 * WebSocket frames at all (a page of its own origin writing into a plain `ws` sink), and the
 * same contract stream (`volume.upload` / `volume.download`) driven by a Node client instead of
 * the page, which is main → host alone — the path the desktop app's main process uses. Both
 * pool folders are measured: one the SSH user may write (the file primitive) and one only root
 * may, which is what a pool VirtDeck creates is (staged in the user's folder and copied by
 * libvirt on the host; with VIRTDECK_STAGE_TRANSFERS=off, libvirt's volume stream through SSH).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { STREAM_MAX_FRAME, STREAM_WINDOW } from '../../preload/contract.js';
import { labExec, labKnownHostsPath, labSshConfigPath, labUp, readLabHost, readLabHosts } from '../lab/index.js';
import { labProfileFields } from '../support/labApp.js';
import { round1, startWebModeSession, type WebModeSession } from './webModeProcess.js';

export interface UploadBenchOptions {
  mb: number;
  log(line: Record<string, unknown>): void;
}

const HOST = 'lab1';
const LOCAL = (mb: number) => `/var/tmp/vd-bench-upload-${mb}m.bin`;

function run(argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(Date.now() - started) : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  });
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function hostSh(script: string, ...args: string[]): Promise<string> {
  const result = await labExec(HOST, ['sh', '-c', script, 'sh', ...args], { timeoutMs: 600_000 });
  if (result.code !== 0) throw new Error(`${script}: ${result.stderr}`);
  return result.stdout.trim();
}

const mbS = (mb: number, ms: number) => round1(mb / (ms / 1000));

/** The page writing `mb` MiB of 64 KiB frames into a bare WebSocket sink, as fast as it can. */
async function pageWebSocketSendMbS(session: WebModeSession, mb: number): Promise<number> {
  const server = createServer((_request, response) => response.end('<!doctype html><title>sink</title>'));
  const wss = new WebSocketServer({ server });
  const total = mb * 1024 * 1024;
  const received = new Promise<number>((resolve) => {
    wss.on('connection', (ws) => {
      let bytes = 0;
      let started = 0;
      ws.on('message', (data: Buffer) => {
        if (bytes === 0) started = Date.now();
        bytes += data.length;
        if (bytes >= total) resolve(bytes / 1048576 / ((Date.now() - started) / 1000));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  const page = await session.browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.evaluate(
      ({ port: p, total: t, frame }) =>
        new Promise<void>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${p}/`);
          const chunk = new Uint8Array(frame);
          let sent = 0;
          ws.onopen = () => {
            const pump = () => {
              while (sent < t && ws.bufferedAmount < 4 * 1024 * 1024) {
                ws.send(chunk);
                sent += chunk.byteLength;
              }
              if (sent < t) setTimeout(pump, 0);
              else resolve();
            };
            pump();
          };
        }),
      { port, total, frame: STREAM_MAX_FRAME },
    );
    return await received;
  } finally {
    await page.close();
    wss.close();
    server.close();
  }
}

/** A stream socket of web mode opened by a Node client (no browser). */
async function nodeStream(session: WebModeSession, name: string, args: Record<string, unknown>): Promise<WebSocket> {
  const parsed = new URL(session.url);
  const ws = new WebSocket(`ws://${parsed.host}/ws/stream`, { headers: { origin: parsed.origin, cookie: `virtdeck_token=${parsed.searchParams.get('token') ?? ''}` } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ t: 'open', name, args }));
  await new Promise<void>((resolve, reject) => {
    const onMessage = (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString('utf8')) as { t?: string; type?: string; error?: unknown };
      ws.off('message', onMessage);
      if (message.t === 'opened') resolve();
      else reject(new Error(`stream refused: ${JSON.stringify(message.error ?? message)}`));
    };
    ws.on('message', onMessage);
  });
  return ws;
}

/** main → host alone: the same upload stream fed by Node at the window's pace. */
async function nodeUploadMs(session: WebModeSession, hostId: string, pool: string, name: string, path: string, size: number): Promise<number> {
  const started = Date.now();
  const ws = await nodeStream(session, 'volume.upload', { hostId, pool, name, size });
  let credit = STREAM_WINDOW;
  let wake: (() => void) | undefined;
  const closed = new Promise<unknown>((resolve) => {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const frame = JSON.parse(data.toString('utf8')) as { type?: string; bytes?: number; error?: unknown };
      if (frame.type === 'credit' && frame.bytes) {
        credit += frame.bytes;
        wake?.();
      } else if (frame.type === 'close') resolve(frame.error);
    });
    ws.once('close', () => resolve(undefined));
  });
  for await (const chunk of createReadStream(path, { highWaterMark: STREAM_MAX_FRAME })) {
    const buffer = chunk as Buffer;
    while (credit < buffer.length) await new Promise<void>((resolve) => (wake = resolve));
    credit -= buffer.length;
    ws.send(buffer);
  }
  ws.send(JSON.stringify({ type: 'control', control: { kind: 'end' } }));
  const error = await closed;
  ws.close();
  if (error) throw new Error(`node upload failed: ${JSON.stringify(error)}`);
  return Date.now() - started;
}

async function nodeDownloadMs(session: WebModeSession, hostId: string, pool: string, volume: string, size: number): Promise<number> {
  const started = Date.now();
  const ws = await nodeStream(session, 'volume.download', { hostId, pool, volume });
  let bytes = 0;
  const error = await new Promise<unknown>((resolve) => {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        bytes += data.length;
        ws.send(JSON.stringify({ type: 'credit', bytes: data.length }));
        return;
      }
      const frame = JSON.parse(data.toString('utf8')) as { type?: string; error?: unknown };
      if (frame.type === 'close') resolve(frame.error);
    });
    ws.once('close', () => resolve(undefined));
  });
  ws.close();
  if (error || bytes !== size) throw new Error(`node download: ${bytes} of ${size} bytes ${JSON.stringify(error ?? '')}`);
  return Date.now() - started;
}

/** The UI: the pool's tab, Upload…, the file picker, Upload; done when the dialog closes (the task succeeded). */
async function uiUploadMs(session: WebModeSession, hostId: string, pool: string, name: string, path: string): Promise<number> {
  const { page } = session;
  await page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"] > [data-testid="tree-row"]`).first().click();
  await page.locator('[data-testid="host-section-storage"]').click();
  await page.locator('[data-testid="host-storage"]').getByRole('button', { name: pool, exact: true }).click();
  const details = page.locator(`[data-testid="pool-details"][data-name="${pool}"]`);
  await details.locator('[data-testid="volume-upload"]').click();
  const dialog = page.locator('[data-testid="upload-dialog"]');
  await dialog.locator('[data-testid="upload-file"]').setInputFiles(path);
  await dialog.locator('[data-testid="upload-name"]').fill(name);
  const started = Date.now();
  await dialog.locator('[data-testid="upload-start"]').click();
  await dialog.waitFor({ state: 'detached', timeout: 1_800_000 });
  const ms = Date.now() - started;
  await details.locator(`[data-testid="volume-row"][data-name="${name}"]`).waitFor({ timeout: 60_000 });
  return ms;
}

/** The UI: the volume's Download…; done when the browser has the whole file. */
async function uiDownloadMs(session: WebModeSession, pool: string, name: string, savePath: string): Promise<number> {
  const { page } = session;
  const details = page.locator(`[data-testid="pool-details"][data-name="${pool}"]`);
  await details.locator(`[data-testid="volume-row"][data-name="${name}"] [data-testid="volume-menu"]`).click();
  const downloading = page.waitForEvent('download', { timeout: 1_800_000 });
  const started = Date.now();
  await page.locator('[data-testid="volume-action-download"]').click();
  const download = await downloading;
  // The browser has written all of it (it saves under a temporary name until then).
  await download.path();
  await page.locator('[data-testid="download-done"]').waitFor({ timeout: 1_800_000 });
  const ms = Date.now() - started;
  await download.saveAs(savePath);
  await page.locator('[data-testid="download-close"]').click();
  return ms;
}

export async function runUploadBench(options: UploadBenchOptions): Promise<void> {
  const { log, mb } = options;
  const lab = (await readLabHosts().catch(() => [])).some((host) => host.name === HOST) ? { kvm: (await readLabHost(HOST)).kvm } : await labUp({ hosts: 1 });
  const user = (await readLabHost(HOST)).user;
  const size = mb * 1024 * 1024;
  const local = LOCAL(mb);
  if ((await stat(local).catch(() => undefined))?.size !== size) await run(['sh', '-c', `head -c ${mb}M /dev/urandom > ${local}`]);
  const localSha = await sha256(local);
  const ssh = ['-q', '-F', labSshConfigPath(), '-o', `UserKnownHostsFile=${labKnownHostsPath()}`, '-o', 'BatchMode=yes'];
  const tag = Date.now().toString(36);
  const pools = { root: `vd-bench-root-${tag}`, user: `vd-bench-user-${tag}` };
  const dirs = { root: `/var/tmp/${pools.root}`, user: `/var/tmp/${pools.user}` };
  log({ bench: 'upload', step: 'setup', host: HOST, kvm: lab.kvm, mb, file: local });

  // OpenSSH first: scp up, then down, of the same file to the same host.
  const scpUpMs = await run(['scp', ...ssh, local, `${HOST}:/var/tmp/vd-bench-scp-${tag}.bin`]);
  const scpDownMs = await run(['scp', ...ssh, `${HOST}:/var/tmp/vd-bench-scp-${tag}.bin`, `/var/tmp/vd-bench-scp-down-${tag}.bin`]);
  await hostSh('rm -f "$1"', `/var/tmp/vd-bench-scp-${tag}.bin`);
  await rm(`/var/tmp/vd-bench-scp-down-${tag}.bin`, { force: true });
  log({ bench: 'upload', step: 'scp', up_mb_s: mbS(mb, scpUpMs), down_mb_s: mbS(mb, scpDownMs) });

  const session = await startWebModeSession();
  try {
    const hostId = await session.addHost(await labProfileFields(HOST));
    for (const key of ['root', 'user'] as const) {
      await session.contract.call('storage.poolCreate', { hostId, spec: { type: 'dir', name: pools[key], targetPath: dirs[key] }, options: { build: true, start: true, autostart: false } });
    }
    await hostSh('chown "$1" "$2"', user, dirs.user);

    // The old page path's limit (bare WebSocket frames from the page), only when asked: the UI's
    // transfers no longer go through a WebSocket, and this reference hung once on the lab.
    const pageSendMbS = process.env.VIRTDECK_BENCH_PAGE_WS === '1' ? await pageWebSocketSendMbS(session, Math.min(mb, 512)) : undefined;
    if (pageSendMbS !== undefined) log({ bench: 'upload', step: 'page-websocket-send', mb_s: round1(pageSendMbS) });

    const results: Record<string, number> = {};
    // A root-owned pool is staged in the SSH user's folder unless VIRTDECK_STAGE_TRANSFERS=off
    // (inherited by the web-mode process), which measures libvirt's stream through SSH instead.
    const rootMethod = process.env.VIRTDECK_STAGE_TRANSFERS === 'off' ? 'libvirt' : 'staged';
    for (const key of ['root', 'user'] as const) {
      const method = key === 'root' ? rootMethod : 'file';
      const nodeUp = await nodeUploadMs(session, hostId, pools[key], 'node.img', local, size);
      const nodeDown = await nodeDownloadMs(session, hostId, pools[key], 'node.img', size);
      const uiUp = await uiUploadMs(session, hostId, pools[key], 'ui.img', local);
      const uploadedSha = await hostSh('sha256sum "$1" | cut -d" " -f1', `${dirs[key]}/ui.img`);
      const saved = `/var/tmp/vd-bench-ui-down-${tag}.bin`;
      const uiDown = await uiDownloadMs(session, pools[key], 'ui.img', saved);
      const downloadedSha = await sha256(saved);
      await rm(saved, { force: true });
      if (uploadedSha !== localSha || downloadedSha !== localSha) throw new Error(`${method}: checksums differ (local ${localSha}, host ${uploadedSha}, downloaded ${downloadedSha})`);
      results[`${method}_ui_up`] = mbS(mb, uiUp);
      results[`${method}_ui_down`] = mbS(mb, uiDown);
      results[`${method}_node_up`] = mbS(mb, nodeUp);
      results[`${method}_node_down`] = mbS(mb, nodeDown);
      log({ bench: 'upload', step: method, pool_folder: key === 'root' ? 'root-owned' : 'writable by the SSH user', ui_up_mb_s: results[`${method}_ui_up`], ui_down_mb_s: results[`${method}_ui_down`], node_client_up_mb_s: results[`${method}_node_up`], node_client_down_mb_s: results[`${method}_node_down`], checksums: 'equal' });
    }
    const scpUp = mbS(mb, scpUpMs);
    const scpDown = mbS(mb, scpDownMs);
    // The summary: the UI's path into a pool VirtDeck created (root-owned).
    log({
      bench: 'upload',
      mb,
      root_pool_method: rootMethod,
      app_mb_s: results[`${rootMethod}_ui_up`],
      scp_mb_s: scpUp,
      ratio: Math.round((results[`${rootMethod}_ui_up`]! / scpUp) * 100) / 100,
      app_download_mb_s: results[`${rootMethod}_ui_down`],
      scp_download_mb_s: scpDown,
      download_ratio: Math.round((results[`${rootMethod}_ui_down`]! / scpDown) * 100) / 100,
      file_method_ui_up_mb_s: results.file_ui_up,
      file_method_ui_down_mb_s: results.file_ui_down,
      main_to_host_up_mb_s: { [rootMethod]: results[`${rootMethod}_node_up`], file: results.file_node_up },
      main_to_host_down_mb_s: { [rootMethod]: results[`${rootMethod}_node_down`], file: results.file_node_down },
      main_to_host_up_ratio: Math.round((Math.max(results[`${rootMethod}_node_up`]!, results.file_node_up!) / scpUp) * 100) / 100,
      main_to_host_down_ratio: Math.round((Math.max(results[`${rootMethod}_node_down`]!, results.file_node_down!) / scpDown) * 100) / 100,
      ...(pageSendMbS === undefined ? {} : { page_websocket_send_limit_mb_s: round1(pageSendMbS) }),
    });
  } finally {
    for (const key of ['root', 'user'] as const) {
      await session.contract.call('storage.poolDelete', { hostId: (await session.contract.call('hosts.list', {}))[0]?.id ?? '', pool: pools[key], deleteData: true }).catch(() => undefined);
      await hostSh('rm -rf "$1"', dirs[key]).catch(() => undefined);
    }
    await session.close();
  }
}
