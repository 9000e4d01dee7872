/**
 * Start-up as a user sees it: `npm run web` with nothing changed since the last build, from the
 * command to the URL it prints (command_to_url_ms), then from opening that URL in Chromium to the
 * demo hypervisor's machines in the tree (url_to_tree_ms). One build first, so nothing is stale.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { DEMO_NODE } from '../../main/services/hosts/embeddedHosts.js';
import { CHROMIUM, CHROMIUM_ARGS, median } from './treeBench.js';

export interface StartBenchOptions {
  runs: number;
  log(line: Record<string, unknown>): void;
}

export async function runStartBench(options: StartBenchOptions): Promise<void> {
  const built = spawnSync('node', ['scripts/buildChanged.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the build failed');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const toUrl: number[] = [];
  const toTree: number[] = [];
  try {
    for (let run = 1; run <= options.runs; run += 1) {
      const configDir = await mkdtemp(join(tmpdir(), 'vd-start-'));
      const startedAt = Date.now();
      const child = spawn('npm', ['run', '-s', 'web', '--', '--port', '0', '--no-local', '--config-dir', configDir], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          createInterface({ input: child.stdout! }).on('line', (line) => {
            const match = /open (http\S+)/.exec(line);
            if (match?.[1]) resolve(match[1]);
          });
          child.once('exit', (code) => reject(new Error(`npm run web exited (${code})`)));
        });
        const urlAt = Date.now();
        const page = await browser.newPage();
        await page.goto(url);
        await page.locator('[data-testid="status-bar"]').waitFor({ timeout: 30_000 });
        const shellAt = Date.now();
        await page.locator('[data-testid="tree-host"]').first().waitFor({ timeout: 30_000 });
        const hostAt = Date.now();
        await page.locator(`[data-testid="tree-group-vms"][data-count="${DEMO_NODE.domains.length}"]`).waitFor({ timeout: 30_000 });
        const treeAt = Date.now();
        await page.close();
        toUrl.push(urlAt - startedAt);
        toTree.push(treeAt - urlAt);
        options.log({
          bench: 'start',
          run,
          command_to_url_ms: urlAt - startedAt,
          url_to_tree_ms: treeAt - urlAt,
          // On the way: the window's shell, then the demo host in the tree (then its machines).
          url_to_shell_ms: shellAt - urlAt,
          url_to_host_ms: hostAt - urlAt,
        });
      } finally {
        // npm, sh and node: the whole group.
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
        await rm(configDir, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
  options.log({ bench: 'start', command_to_url_ms: median(toUrl), url_to_tree_ms: median(toTree) });
}
