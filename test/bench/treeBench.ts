/**
 * The tree benchmark. Web mode runs as its own Node process (as a user would run it) with one
 * SSH host profile per lab host, their keys already trusted; the renderer runs in Chromium.
 *
 * - connect_to_tree_ms: from asking every host to (re)connect — a fresh SSH handshake, a new
 *   virsh session, the full inventory — to every host's complete VM list rendered in the page.
 * - event_to_ui_ms: from `virsh start` run on the host itself to the page showing that VM running.
 * - renderer_heap_mb: the page's JS heap after a forced GC, with every VM loaded.
 * - main_rss_mb: resident memory of the web-mode (main services) process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from 'playwright-core';
import type { HostProfile } from '../../preload/contract.js';
import { connectContract } from '../support/contractSocket.js';
import { labExec, labKnownHostsPath, labPopulate, labUp, labVmName, readLabHosts, type LabHost } from '../lab/index.js';

export interface TreeBenchOptions {
  hosts: number;
  vms: number;
  runs: number;
  log(line: Record<string, unknown>): void;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function profileFor(host: LabHost, index: number): HostProfile {
  return {
    id: `bench-${host.name}`,
    label: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    auth: 'key',
    keyFile: host.keyFile ?? '',
    jumpHosts: [],
    uri: host.libvirtUri,
    sudo: false,
    folder: `rack${Math.floor(index / 10) + 1}`,
    tags: [],
    rememberSecret: false,
    createdAt: 0,
    updatedAt: 0,
  };
}

async function startWebMode(configDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['out/main/main/web/index.js', '--port', '0', '--config-dir', configDir, '--no-local', '--no-demo'], {
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
  return { child, url };
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/** True once every host's VM group in the tree says it holds `vms` machines. */
async function treeComplete(page: Page, hosts: number, vms: number): Promise<number> {
  const handle = await page.waitForFunction(
    ({ hosts: h, vms: v }) => {
      const groups = [...document.querySelectorAll('[data-testid="tree-group-vms"]')];
      const full = groups.filter((group) => Number(group.getAttribute('data-count')) === v);
      return full.length >= h ? Date.now() : false;
    },
    { hosts, vms },
    { timeout: 120_000, polling: 'raf' },
  );
  return (await handle.jsonValue()) as number;
}

export async function runTreeBench(options: TreeBenchOptions): Promise<void> {
  const { log } = options;
  const up = await labUp({ hosts: options.hosts, variants: true, log: () => undefined });
  log({ bench: 'tree', step: 'lab', hosts: options.hosts, kvm: up.kvm, lab_up_ms: up.elapsedMs });
  const labHosts = (await readLabHosts()).filter((host) => host.role === 'plain').slice(0, options.hosts);
  const populateStart = Date.now();
  await Promise.all(labHosts.map((host) => labPopulate({ host: host.name, vms: options.vms, log: () => undefined })));
  log({ bench: 'tree', step: 'populate', vms_per_host: options.vms, populate_ms: Date.now() - populateStart });

  const configDir = await mkdtemp(join(tmpdir(), 'vd-bench-'));
  const profiles = labHosts.map(profileFor);
  await writeFile(join(configDir, 'known_hosts'), await readFile(labKnownHostsPath(), 'utf8'));

  const { child, url } = await startWebMode(configDir);
  const browser = await chromium.launch({ executablePath: process.env.VIRTDECK_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    const contract = await connectContract(url);

    // Each run removes every host (the tree empties) and adds them again: from the add request
    // to every host's complete VM list in the page is a full connect — SSH handshake, virsh,
    // inventory — and a render from nothing.
    const connectTimes: number[] = [];
    let current: HostProfile[] = [];
    // Hosts have settled when each announced its quick list and its full list (XML details) and
    // no read has come for QUIET_MS (live events started, catch-up reads done): nothing of the
    // last run is still busy when the next one starts.
    const QUIET_MS = 2_000;
    const reads = new Map<string, number>();
    const firstRead = new Map<string, number>();
    let lastRead = 0;
    contract.onEvent('inventory.changed', (inventory) => {
      reads.set(inventory.hostId, (reads.get(inventory.hostId) ?? 0) + 1);
      if (!firstRead.has(inventory.hostId)) firstRead.set(inventory.hostId, Date.now());
      lastRead = Date.now();
    });
    const settled = async (ids: string[]) => {
      const deadline = Date.now() + 120_000;
      while (!ids.every((id) => (reads.get(id) ?? 0) >= 2) || Date.now() - lastRead < QUIET_MS) {
        if (Date.now() > deadline) throw new Error(`hosts did not settle within 120 s: ${JSON.stringify([...reads.values()])}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    // Run 0 warms up (first connects also fill libvirt's and the kernel's caches) and is not counted.
    for (let run = 0; run <= options.runs; run += 1) {
      await Promise.all(current.map((profile) => contract.call('profiles.remove', { id: profile.id })));
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="tree-host"]').length === 0, undefined, { timeout: 30_000 });
      const startedAt = Date.now();
      const [renderedAt, created] = await Promise.all([
        treeComplete(page, options.hosts, options.vms),
        Promise.all(profiles.map(({ id: _id, createdAt: _c, updatedAt: _u, ...fields }) => contract.call('profiles.create', { fields }))),
      ]);
      current = created;
      await settled(created.map((profile) => profile.id));
      if (run === 0) continue;
      connectTimes.push(renderedAt - startedAt);
      const lists = created.map((profile) => (firstRead.get(profile.id) ?? 0) - startedAt);
      log({ bench: 'tree', step: 'connect', run, connect_to_tree_ms: renderedAt - startedAt, last_list_sent_ms: Math.max(...lists) });
    }

    // event → UI: open the VM's own tab, start it on the host, wait for the page to say running.
    const eventTimes: number[] = [];
    const host = labHosts[0]!;
    for (let run = 0; run < options.runs; run += 1) {
      const name = labVmName(host.name, run + 1);
      await labExec(host.name, ['virsh', '-c', 'qemu:///system', 'destroy', name]).catch(() => undefined);
      const hostId = current.find((profile) => profile.label === host.name)?.id ?? '';
      const details = await openVmTab(page, hostId, name);
      await details.and(page.locator('[data-state="shutoff"]')).waitFor({ timeout: 30_000 });
      const startedAt = Date.now();
      const started = await labExec(host.name, ['virsh', '-c', 'qemu:///system', 'start', name]);
      if (started.code !== 0) throw new Error(`virsh start ${name}: ${started.stderr}`);
      await details.and(page.locator('[data-state="running"]')).waitFor({ timeout: 30_000 });
      eventTimes.push(Date.now() - startedAt);
      log({ bench: 'tree', step: 'event', run: run + 1, event_to_ui_ms: Date.now() - startedAt });
      await labExec(host.name, ['virsh', '-c', 'qemu:///system', 'destroy', name]).catch(() => undefined);
    }

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    contract.close();
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    log({
      bench: 'tree',
      hosts: options.hosts,
      vms: options.vms * options.hosts,
      connect_to_tree_ms: median(connectTimes),
      event_to_ui_ms: median(eventTimes),
      renderer_heap_mb: Math.round((heap.usedSize / 1024 / 1024) * 10) / 10,
      main_rss_mb: await rssMb(child.pid!),
    });
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await rm(configDir, { recursive: true, force: true });
  }
}

/** Opens a VM's details tab through the all-VMs list (search, then Enter on the row). */
async function openVmTab(page: Page, hostId: string, name: string) {
  const existing = page.locator(`[data-testid="vm-details"][data-vm-name="${name}"]`);
  if (await existing.count()) return existing;
  await page.keyboard.press('Control+Shift+L');
  const search = page.locator('[data-testid="vm-list-search"]');
  await search.fill(name);
  const row = page.locator(`[data-testid="vm-list-row"][data-vm-name="${name}"][data-host-id="${hostId}"]`);
  await row.click();
  await page.keyboard.press('Enter');
  await existing.waitFor();
  return existing;
}
