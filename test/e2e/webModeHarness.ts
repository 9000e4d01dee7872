/**
 * Starts main's services in web mode and a real Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core) pointed at them. Every e2e test uses this; nothing here is a fake.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp, type App } from '../../main/app.js';
import type { CreateAppOverrides } from '../../main/services/createApp.js';
import { startWebServer, type WebServer } from '../../main/web/webServer.js';

export const CHROMIUM = process.env.VIRTDECK_CHROMIUM ?? '/usr/bin/chromium';
export const RESULTS_DIR = join(process.cwd(), 'test-results');
const RENDERER_DIR = join(process.cwd(), 'out', 'renderer');

export interface Harness {
  app: App;
  server: WebServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  configDir: string;
  close(): Promise<void>;
}

export interface HarnessOptions extends CreateAppOverrides {
  locale?: string;
  colorScheme?: 'light' | 'dark';
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error('out/renderer/index.html is missing: run `npm run build` first');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const configDir = await mkdtemp(join(tmpdir(), 'vd-e2e-config-'));
  const app = await createApp(
    { mode: 'web', configDir, versions: { node: process.versions.node }, systemLocale: options.locale ?? 'en-US' },
    options,
  );
  const server = await startWebServer({ registry: app.registry, staticDir: RENDERER_DIR, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  return {
    app,
    server,
    browser,
    context,
    page,
    configDir,
    close: async () => {
      await browser.close();
      await server.close();
      await app.dispose();
      await rm(configDir, { recursive: true, force: true });
      if (pageErrors.length > 0) throw new Error(`errors in the page: ${pageErrors.join('; ')}`);
    },
  };
}
