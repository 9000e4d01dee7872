/**
 * What stream-style benchmarks share: web mode as its own Node process (as a user runs it),
 * Chromium on its page, a lab host added as a profile, and memory readings of both sides.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import type { HostProfileFields } from '../../preload/contract.js';
import { labKnownHostsPath } from '../lab/index.js';
import { connectContract, type ContractSocket } from '../support/contractSocket.js';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface WebModeSession {
  child: ChildProcess;
  url: string;
  browser: Browser;
  page: Page;
  cdp: CDPSession;
  contract: ContractSocket;
  /** Adds a profile and waits until the host is connected; returns its id. */
  addHost(fields: HostProfileFields): Promise<string>;
  close(): Promise<void>;
}

export async function startWebModeSession(): Promise<WebModeSession> {
  const configDir = await mkdtemp(join(tmpdir(), 'vd-bench-'));
  await writeFile(join(configDir, 'known_hosts'), await readFile(labKnownHostsPath(), 'utf8'));
  const child = spawn(process.execPath, [...(process.env.VIRTDECK_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), 'out/main/main/web/index.js', '--port', '0', '--config-dir', configDir, '--no-local', '--no-demo'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /open (http\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`web mode exited (${code})`)));
  });
  const browser = await chromium.launch({ executablePath: process.env.VIRTDECK_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await page.waitForFunction(() => 'virtdeckClient' in window, undefined, { timeout: 30_000 });
  const cdp = await page.context().newCDPSession(page);
  const contract = await connectContract(url);
  return {
    child,
    url,
    browser,
    page,
    cdp,
    contract,
    addHost: async (fields) => {
      const profile = await contract.call('profiles.create', { fields });
      const deadline = Date.now() + 60_000;
      for (;;) {
        const host = (await contract.call('hosts.list', {})).find((candidate) => candidate.id === profile.id);
        if (host?.status === 'connected') return profile.id;
        if (Date.now() > deadline) throw new Error(`host ${fields.label} did not connect: ${host?.status ?? 'missing'} ${host?.detail ?? ''}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: async () => {
      contract.close();
      await browser.close();
      await stopServer(child);
      await rm(configDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** Stops a web-mode server and waits (up to 10 s) until it has exited: it writes its state as it stops. */
export async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

export async function heapMb(cdp: CDPSession, collect = false): Promise<number> {
  if (collect) await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return heap.usedSize / 1024 / 1024;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const round1 = (value: number): number => Math.round(value * 10) / 10;
