/**
 * The stream benchmark: 1 GiB (by default) from a lab host's file through a contract stream
 * (`file.download`) into the renderer in Chromium, in web mode, while the page keeps making a
 * call every 20 ms. Measured in the same run: the same bytes through OpenSSH (`ssh host cat`),
 * the reference; memory growth of main and of the page; call latency while idle and during.
 * Two more references from the same run say what is the app's cost and what is the machine's:
 * how fast this Chromium takes bare WebSocket messages at all (a plain server pushing the same
 * amount), and the call latency while a Node client (no browser) drinks the same stream at the
 * page's pace. Main's memory growth is measured after a 128 MiB warm-up stream (and from before
 * it, as `main_rss_growth_cold_mb`).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { labExec, labKnownHostsPath, labSshConfigPath, labUp, readLabHost, readLabHosts } from '../lab/index.js';
import { labProfileFields } from '../support/labApp.js';
import { heapMb, percentile, round1, rssMb, startWebModeSession } from './webModeProcess.js';

export interface StreamBenchOptions {
  mb: number;
  log(line: Record<string, unknown>): void;
}

const HOST = 'lab1';

/** A file of `mb` MiB on the host, made once (zeros: SSH does not compress, so content is moot). */
async function benchFile(mb: number): Promise<string> {
  const path = `/var/tmp/vd-bench-${mb}m.bin`;
  const user = (await readLabHost(HOST)).user;
  const script = `[ "$(stat -c %s ${path} 2>/dev/null)" = "${mb * 1024 * 1024}" ] || head -c ${mb}M /dev/zero > ${path}; chown ${user}: ${path}`;
  const result = await labExec(HOST, ['sh', '-c', script], { timeoutMs: 600_000 });
  if (result.code !== 0) throw new Error(`making ${path}: ${result.stderr}`);
  return path;
}

/** OpenSSH reading the same file: `ssh lab1 cat FILE`, bytes counted as they arrive. */
function openSshRead(path: string): Promise<{ bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('ssh', ['-F', labSshConfigPath(), '-o', `UserKnownHostsFile=${labKnownHostsPath()}`, '-o', 'BatchMode=yes', HOST, 'cat', path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve({ bytes, ms: Date.now() - started }) : reject(new Error(`ssh cat exited ${code}`))));
  });
}

/**
 * The measured limit: a bare WebSocket server pushing `mb` MiB into the same browser as fast as
 * it takes them, read by a page of its own origin (the app's page rightly may not connect there).
 */
async function bareWebSocketMbS(browser: import('playwright-core').Browser, mb: number): Promise<number> {
  const server = createServer((_request, response) => response.end('<!doctype html><title>limit</title>'));
  const wss = new WebSocketServer({ server });
  const frame = Buffer.alloc(64 * 1024);
  const total = mb * 1024 * 1024;
  wss.on('connection', (ws) => {
    let sent = 0;
    const push = () => {
      while (sent < total && ws.bufferedAmount < 1024 * 1024) {
        ws.send(frame);
        sent += frame.length;
      }
      if (sent < total) setTimeout(push, 1);
    };
    push();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    return await page.evaluate(
      ({ port: p, total: t }) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${p}/`);
          ws.binaryType = 'arraybuffer';
          let bytes = 0;
          const started = performance.now();
          ws.onmessage = (event) => {
            bytes += (event.data as ArrayBuffer).byteLength;
            if (bytes >= t) {
              ws.close();
              resolve(bytes / 1048576 / ((performance.now() - started) / 1000));
            }
          };
        }),
      { port, total },
    );
  } finally {
    await page.close();
    wss.close();
    server.close();
  }
}

/** Call latency while a Node client (no browser) reads the same stream at `mbS`. */
async function nodeConsumerCallP95(url: string, contract: import('../support/contractSocket.js').ContractSocket, hostId: string, path: string, mbS: number, mb: number): Promise<number> {
  const parsed = new URL(url);
  const ws = new WebSocket(`ws://${parsed.host}/ws/stream`, { headers: { origin: parsed.origin, cookie: `virtdeck_token=${parsed.searchParams.get('token') ?? ''}` } });
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(JSON.stringify({ t: 'open', name: 'file.download', args: { hostId, path } }));
  const latencies: number[] = [];
  let done = false;
  const calls = (async () => {
    while (!done) {
      const started = performance.now();
      await contract.call('app.info', {});
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = Date.now();
  let bytes = 0;
  // At most the first quarter of the file, so the reference does not double the run's length.
  const enough = (mb * 1024 * 1024) / 4;
  await new Promise<void>((resolve) => {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const size = (data as Buffer).length;
      bytes += size;
      if (bytes >= enough) return resolve();
      const due = Math.max(0, (bytes / (mbS * 1048576)) * 1000 - (Date.now() - started));
      setTimeout(() => ws.send(JSON.stringify({ type: 'credit', bytes: size })), due);
    });
    ws.once('close', () => resolve());
  });
  done = true;
  await calls;
  ws.close();
  return percentile(latencies, 95);
}

interface PageRun {
  bytes: number;
  ms: number;
  latencies: number[];
  error?: unknown;
}

export async function runStreamBench(options: StreamBenchOptions): Promise<void> {
  const { log } = options;
  const lab = (await readLabHosts().catch(() => [])).some((host) => host.name === HOST) ? { kvm: (await readLabHost(HOST)).kvm } : await labUp({ hosts: 1 });
  const path = await benchFile(options.mb);
  log({ bench: 'stream', step: 'setup', host: HOST, kvm: lab.kvm, file: path, mb: options.mb });

  const reference = await openSshRead(path);
  log({ bench: 'stream', step: 'openssh', mb_s: round1(reference.bytes / 1048576 / (reference.ms / 1000)) });

  const session = await startWebModeSession();
  try {
    const hostId = await session.addHost(await labProfileFields(HOST));
    const pid = session.child.pid!;

    // Idle: the same call loop with nothing else running.
    const idle = await session.page.evaluate(async () => {
      const client = (window as unknown as { virtdeckClient: import('../../preload/contract.js').ContractClient }).virtdeckClient;
      const latencies: number[] = [];
      for (let i = 0; i < 150; i += 1) {
        const started = performance.now();
        await client.call('app.info', {});
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return latencies;
    });

    // Main's one-time costs of a first stream (code compiled, ssh2's and ws's buffers, malloc's
    // arenas) are not the stream's: 128 MiB warm it up, and the growth is measured after. The
    // growth from before the warm-up is reported too.
    const rssCold = await rssMb(pid);
    await session.page.evaluate(
      async ({ hostId: id, path: file, warm }) => {
        const client = (window as unknown as { virtdeckClient: import('../../preload/contract.js').ContractClient }).virtdeckClient;
        const stream = await client.openStream('file.download', { hostId: id, path: file });
        let bytes = 0;
        await new Promise<void>((resolve) => {
          stream.onClose(() => resolve());
          stream.onData((data) => {
            bytes += data.byteLength;
            if (bytes >= warm) stream.close();
          });
        });
      },
      { hostId, path, warm: 128 * 1024 * 1024 },
    );
    const rssBefore = await rssMb(pid);
    const heapBefore = await heapMb(session.cdp, true);
    let rssPeak = rssBefore;
    let heapPeak = heapBefore;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        rssPeak = Math.max(rssPeak, await rssMb(pid));
        heapPeak = Math.max(heapPeak, await heapMb(session.cdp).catch(() => heapPeak));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    const run: PageRun = await session.page.evaluate(
      async ({ hostId: id, path: file }) => {
        const client = (window as unknown as { virtdeckClient: import('../../preload/contract.js').ContractClient }).virtdeckClient;
        const latencies: number[] = [];
        let done = false;
        const calls = (async () => {
          while (!done) {
            const started = performance.now();
            await client.call('app.info', {});
            latencies.push(performance.now() - started);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })();
        const started = performance.now();
        let bytes = 0;
        const stream = await client.openStream('file.download', { hostId: id, path: file });
        stream.onData((data) => {
          bytes += data.byteLength;
        });
        const error = await new Promise((resolve) => stream.onClose((closeError) => resolve(closeError)));
        const ms = performance.now() - started;
        done = true;
        await calls;
        return { bytes, ms, latencies, error };
      },
      { hostId, path },
    );
    sampling = false;
    await sampler;
    if (run.error) throw new Error(`the stream failed: ${JSON.stringify(run.error)}`);
    if (run.bytes !== options.mb * 1024 * 1024) throw new Error(`the stream delivered ${run.bytes} bytes, not ${options.mb} MiB`);

    const streamMbS = run.bytes / 1048576 / (run.ms / 1000);
    const openSshMbS = reference.bytes / 1048576 / (reference.ms / 1000);
    const limitMbS = await bareWebSocketMbS(session.browser, Math.min(options.mb, 256));
    const nodeP95 = await nodeConsumerCallP95(session.url, session.contract, hostId, path, streamMbS, options.mb);
    log({
      bench: 'stream',
      mb: options.mb,
      kvm: lab.kvm,
      stream_mb_s: round1(streamMbS),
      openssh_mb_s: round1(openSshMbS),
      ratio_to_openssh: Math.round((streamMbS / openSshMbS) * 100) / 100,
      websocket_limit_mb_s: round1(limitMbS),
      ratio_to_limit: Math.round((streamMbS / limitMbS) * 100) / 100,
      main_rss_growth_mb: round1(rssPeak - rssBefore),
      main_rss_growth_cold_mb: round1(rssPeak - rssCold),
      renderer_heap_growth_mb: round1(heapPeak - heapBefore),
      call_p95_ms_during: round1(percentile(run.latencies, 95)),
      call_p95_ms_idle: round1(percentile(idle, 95)),
      call_p95_ms_node_consumer: round1(nodeP95),
      calls_during: run.latencies.length,
    });
  } finally {
    await session.close();
  }
}
