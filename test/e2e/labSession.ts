/**
 * The setup e2e tests against a lab host share: the web-mode harness trusting the lab's host
 * keys, a profile for the host (connected before the tests start), `virsh` on the host, a dir
 * pool for test volumes, and a cleanup list run in order when the session closes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { labExec, labKnownHostsPath } from '../lab/index.js';
import { labProfileFields } from '../support/labApp.js';
import { defineLabDirPool } from '../support/labPool.js';
import { startHarness, type Harness } from './webModeHarness.js';

export interface LabSession {
  harness: Harness;
  page: Page;
  hostId: string;
  /** Commands run on the host at close, first to last (unshift what must go first). */
  cleanup: string[][];
  /** `virsh -q` on the host's system libvirt; its stdout, or an error with its stderr. */
  virsh(...argv: string[]): Promise<string>;
  /** A started dir pool at `path` on the host, removed at close. */
  definePool(name: string, path: string): Promise<void>;
  close(): Promise<void>;
}

export async function startLabSession(host: string): Promise<LabSession> {
  const harness = await startHarness({
    includeLocal: false,
    includeDemo: false,
    prepare: async (configDir) => writeFile(join(configDir, 'known_hosts'), await readFile(labKnownHostsPath(), 'utf8')),
  });
  const cleanup: string[][] = [];
  const virsh = async (...argv: string[]) => {
    const result = await labExec(host, ['virsh', '-q', '-c', 'qemu:///system', ...argv]);
    if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const profile = await harness.contract.call('profiles.create', { fields: await labProfileFields(host) });
  await harness.page.locator(`[data-testid="tree-host"][data-host-id="${profile.id}"][data-status="connected"]`).waitFor({ timeout: 60_000 });
  return {
    harness,
    page: harness.page,
    hostId: profile.id,
    cleanup,
    virsh,
    definePool: (name, path) => defineLabDirPool(host, name, path, cleanup),
    close: async () => {
      for (const argv of cleanup) await labExec(host, argv).catch(() => undefined);
      await harness.close();
    },
  };
}
