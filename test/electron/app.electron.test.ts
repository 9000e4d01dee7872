/**
 * The desktop app itself, driven by Playwright's _electron: the window, the preload bridge,
 * and that the page has no Node. Runs wherever an Electron binary is installed and the app is
 * built (`npm run build`); skipped where the binary could not be downloaded.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The Electron binary, or null. Not `require('electron')`: that tries to download the binary
 * when it is missing. Same lookup as node_modules/electron/index.js and scripts/start.mjs.
 */
function electronBinary(): string | null {
  try {
    const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = path.join(packageDir, 'path.txt');
    const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
    const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
    const binary = override
      ? path.join(override, relative || 'electron')
      : relative && path.join(packageDir, 'dist', relative);
    return binary && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

type Bridge = {
  mode: string;
  call(name: string, args: unknown): Promise<unknown>;
};

const binary = electronBinary();

describe.skipIf(binary === null)(
  'VirtDeck in Electron (skipped: the Electron binary is not installed — download skipped or no network)',
  () => {
    let app: ElectronApplication;
    let page: Page;
    let configHome: string;

    beforeAll(async () => {
      if (!existsSync(path.join(repoRoot, 'out', 'main', 'main', 'electron', 'index.js'))) {
        throw new Error('The app is not built: run "npm run build" first.');
      }
      // A throwaway config folder (Linux reads userData from XDG_CONFIG_HOME).
      configHome = mkdtempSync(path.join(tmpdir(), 'virtdeck-electron-'));
      app = await _electron.launch({
        executablePath: binary ?? undefined,
        args: ['.'],
        cwd: repoRoot,
        env: { ...process.env, XDG_CONFIG_HOME: configHome } as Record<string, string>,
      });
      page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
    });

    afterAll(async () => {
      await app?.close();
      if (configHome) rmSync(configHome, { recursive: true, force: true });
    });

    it('opens one window titled VirtDeck', async () => {
      const titles = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.getTitle()));
      expect(titles).toHaveLength(1);
      expect(titles[0]).toMatch(/VirtDeck/);
    });

    it('exposes exactly call/mode/on/openStream as window.virtdeck', async () => {
      const keys = await page.evaluate(() =>
        Object.keys((window as unknown as { virtdeck: object }).virtdeck).sort(),
      );
      expect(keys).toEqual(['call', 'mode', 'on', 'openStream']);
    });

    it('gives the page no Node: require and process are undefined', async () => {
      const globals = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
      }));
      expect(globals).toEqual({ require: 'undefined', process: 'undefined' });
    });

    it('answers a call over IPC, and rejects an unknown one with its code', async () => {
      const result = await page.evaluate(async () => {
        const bridge = (window as unknown as { virtdeck: Bridge }).virtdeck;
        const info = (await bridge.call('app.info', {})) as { mode: string };
        const failure = await bridge.call('no.such.call', {}).then(
          () => null,
          (error: { code?: string }) => error.code ?? 'no code',
        );
        return { mode: info.mode, failure };
      });
      expect(result).toEqual({ mode: 'electron', failure: 'unknown-call' });
    });
  },
);
