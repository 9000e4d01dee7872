/**
 * Back after an outage: a connected test-driver host loses its sshd — the listener and every
 * session, as when the host goes down — for `seconds`, then sshd starts again. back_after_ms is
 * from sshd listening again to the page showing the host connected (median of the runs).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { connectContract } from '../support/contractSocket.js';
import { dropSshSessions, labKnownHostsPath, startSshd, stopSshd } from '../lab/index.js';
import { benchLab, CHROMIUM, CHROMIUM_ARGS, median, profileFor, startWebMode } from './treeBench.js';

export interface OutageBenchOptions {
  seconds: number;
  runs: number;
  log(line: Record<string, unknown>): void;
}

export async function runOutageBench(options: OutageBenchOptions): Promise<void> {
  const [host] = await benchLab(1, 300, 'test', options.log, 'outage');
  const configDir = await mkdtemp(join(tmpdir(), 'vd-outage-'));
  await writeFile(join(configDir, 'known_hosts'), await readFile(labKnownHostsPath(), 'utf8'));
  const { child, url } = await startWebMode(configDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const times: number[] = [];
  try {
    const page = await browser.newPage();
    await page.goto(url);
    const contract = await connectContract(url);
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = profileFor(host!, 0);
    const profile = await contract.call('profiles.create', { fields });
    const row = page.locator(`[data-testid="tree-host"][data-host-id="${profile.id}"]`);
    for (let run = 1; run <= options.runs; run += 1) {
      await row.and(page.locator('[data-status="connected"]')).waitFor({ timeout: 60_000 });
      await stopSshd(host!.name);
      await dropSshSessions(host!.name);
      await row.and(page.locator(':not([data-status="connected"]):not([data-status="connecting"])')).waitFor({ timeout: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
      await startSshd(host!.name);
      const backAt = Date.now();
      await row.and(page.locator('[data-status="connected"]')).waitFor({ timeout: 120_000 });
      times.push(Date.now() - backAt);
      options.log({ bench: 'outage', run, outage_s: options.seconds, back_after_ms: Date.now() - backAt });
    }
    contract.close();
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await startSshd(host!.name).catch(() => undefined);
    await rm(configDir, { recursive: true, force: true });
  }
  options.log({ bench: 'outage', outage_s: options.seconds, back_after_ms: median(times) });
}
