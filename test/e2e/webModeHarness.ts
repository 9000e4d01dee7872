/**
 * Starts web mode exactly as a user does — the built `out/main/main/web/index.js` as its own
 * Node process — and a real Chromium (Debian's /usr/bin/chromium driven by playwright-core)
 * pointed at it. Nothing here is a fake.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { connectContract, type ContractSocket } from '../support/contractSocket.js';

export const CHROMIUM = process.env.VIRTDECK_CHROMIUM ?? '/usr/bin/chromium';
export const RESULTS_DIR = join(process.cwd(), 'test-results');
const WEB_ENTRY = join(process.cwd(), 'out', 'main', 'main', 'web', 'index.js');

export interface Harness {
  url: string;
  origin: string;
  process: ChildProcess;
  contract: ContractSocket;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  configDir: string;
  /**
   * Stops the web-mode process and starts a new one on the same config directory (as a user
   * restarting the app), then points the page at it; url, process and contract are the new ones.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  locale?: string;
  colorScheme?: 'light' | 'dark';
  includeLocal?: boolean;
  includeDemo?: boolean;
  /** Prepares the config directory before the service starts (profiles, known_hosts). */
  prepare?: (configDir: string) => Promise<void>;
  knownHosts?: string;
  sshConfig?: string;
  /** Extra environment of the web-mode process. */
  env?: Record<string, string>;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function startService(configDir: string, options: HarnessOptions): Promise<{ child: ChildProcess; url: string }> {
  const args = [WEB_ENTRY, '--port', '0', '--config-dir', configDir];
  if (options.includeLocal === false) args.push('--no-local');
  if (options.includeDemo === false) args.push('--no-demo');
  if (options.knownHosts) args.push('--known-hosts', options.knownHosts);
  if (options.sshConfig) args.push('--ssh-config', options.sshConfig);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LANG: 'C.UTF-8', ...options.env } });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /open (http\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`web mode exited with ${code} before it listened`)));
  });
  return { child, url };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  if (!existsSync(WEB_ENTRY) || !existsSync(join(process.cwd(), 'out', 'renderer', 'index.html'))) {
    throw new Error('the build is missing: run `npm run build` first');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const configDir = await mkdtemp(join(tmpdir(), 'vd-e2e-config-'));
  await options.prepare?.(configDir);
  const { child, url } = await startService(configDir, options);
  const contract = await connectContract(url);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  const stop = async (child: ChildProcess): Promise<void> => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const harness: Harness = {
    url,
    origin: new URL(url).origin,
    process: child,
    contract,
    browser,
    context,
    page,
    configDir,
    restart: async () => {
      harness.contract.close();
      await stop(harness.process);
      const next = await startService(configDir, options);
      harness.process = next.child;
      harness.url = next.url;
      harness.origin = new URL(next.url).origin;
      harness.contract = await connectContract(next.url);
      await page.goto(next.url);
    },
    close: async () => {
      harness.contract.close();
      await browser.close();
      await stop(harness.process);
      await rm(configDir, { recursive: true, force: true });
      if (pageErrors.length > 0) throw new Error(`errors in the page: ${pageErrors.join('; ')}`);
    },
  };
  return harness;
}
