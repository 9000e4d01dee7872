/**
 * The tree benchmark. Web mode runs as its own Node process (as a user would run it, with
 * VIRTDECK_PERF=1 so main counts its own costs) with one SSH profile per lab host, their keys
 * already trusted; the renderer runs in Chromium with a probe (pageProbe.ts) installed.
 *
 * Per run (after one warm-up run), from asking every host to connect — fresh SSH handshake, new
 * virsh session, full inventory — with the tree emptied first:
 * - connect_to_tree_ms: until every host's complete VM list is rendered in the page;
 * - limit_ms: the bare OpenSSH script doing the same first reads (bareSsh.ts), measured just
 *   before on the same hosts, and ratio = connect_to_tree_ms / limit_ms;
 * - last_list_sent_ms (main announced the last host's list) and page_lag_ms (the page rendered
 *   the last host after that), max_host_lag_ms (the worst host's render after its own list);
 * - main: CPU time, synchronous phases, contract messages by name, longest event-loop stall;
 * - page: long tasks, React commits, messages and bytes received.
 * Then, on libvirtd hosts, event_to_ui_ms: from the host's own `virsh start` returning to the
 * page saying running (start_to_ui_ms includes the start command itself).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import type { EventName, HostProfile, PerfSnapshot } from '../../preload/contract.js';
import { connectContract, type ContractSocket } from '../support/contractSocket.js';
import { labExec, labKnownHostsPath, labPopulate, labUp, labVmName, readLabHosts, type LabHost } from '../lab/index.js';
import { bareFirstReads } from './bareSsh.js';
import { installPageProbe, readProbe, startProbe, summarizeLongTasks } from './pageProbe.js';
import { stopServer } from './webModeProcess.js';

export type BenchDriver = 'libvirtd' | 'test';

export interface TreeBenchOptions {
  hosts: number;
  vms: number;
  runs: number;
  driver: BenchDriver;
  log(line: Record<string, unknown>): void;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const CHROMIUM = process.env.VIRTDECK_CHROMIUM ?? '/usr/bin/chromium';
/** Test-driver hosts the lab keeps up for every benchmark and the e2e tests (one lab shape). */
export const LAB_TEST_HOSTS = 50;
/** Where a recorded arrival goes (the replay benchmark reads it). */
export const arrivalFile = (hosts: number, vms: number) => join(process.cwd(), 'test-results', `arrival-${hosts}x${vms}.json.gz`);

export function profileFor(host: LabHost, index: number): HostProfile {
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

export async function startWebMode(configDir: string, extraArgs: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['out/main/main/web/index.js', '--port', '0', '--config-dir', configDir, '--no-local', '--no-demo', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VIRTDECK_PERF: '1' },
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

export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

export const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const round1 = (value: number) => Math.round(value * 10) / 10;

/** The lab hosts a benchmark of this driver uses, brought up (one shape for all benchmarks) and populated. */
export async function benchLab(hosts: number, vms: number, driver: BenchDriver, log: TreeBenchOptions['log'], bench: string): Promise<LabHost[]> {
  const up = await labUp({
    hosts: driver === 'libvirtd' ? Math.max(3, hosts) : 3,
    testHosts: Math.max(LAB_TEST_HOSTS, driver === 'test' ? hosts : 0),
    variants: true,
    log: () => undefined,
  });
  log({ bench, step: 'lab', hosts, driver, kvm: up.kvm, lab_up_ms: up.elapsedMs });
  const role = driver === 'test' ? 'test-driver' : 'plain';
  const labHosts = (await readLabHosts()).filter((host) => host.role === role).slice(0, hosts);
  if (labHosts.length < hosts) throw new Error(`the lab has ${labHosts.length} ${role} hosts, not ${hosts}`);
  const populateStart = Date.now();
  await Promise.all(labHosts.map((host) => labPopulate({ host: host.name, vms, log: () => undefined })));
  log({ bench, step: 'populate', vms_per_host: vms, populate_ms: Date.now() - populateStart });
  return labHosts;
}

interface Recorded {
  at: number;
  name: EventName;
  payload: unknown;
}

/** Waits until every host has read its details (main's marks) and no inventory came for quietMs. */
async function settled(contract: ContractSocket, ids: readonly string[], lastInventoryAt: () => number, quietMs = 1_500): Promise<PerfSnapshot> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const snapshot = await contract.call('diagnostics.perf', {});
    const done = new Set(snapshot.marks.filter((mark) => mark.name === 'details').map((mark) => mark.hostId));
    if (ids.every((id) => done.has(id)) && Date.now() - lastInventoryAt() >= quietMs) return snapshot;
    if (Date.now() > deadline) throw new Error(`hosts did not settle within 180 s (${done.size} of ${ids.length} read their details)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function phaseSummary(snapshot: PerfSnapshot): Record<string, number> {
  const phases: Record<string, number> = {};
  let measured = 0;
  for (const [name, phase] of Object.entries(snapshot.phases)) {
    phases[name] = Math.round(phase.ms);
    measured += phase.ms;
  }
  // ssh2 (handshakes, ciphers), channels, virsh framing, timers: what no phase above covers.
  phases.other = Math.round(snapshot.cpuUserMs + snapshot.cpuSystemMs - measured);
  return phases;
}

function hostTimes(snapshot: PerfSnapshot, name: string, startedAt: number): Map<string, number> {
  const times = new Map<string, number>();
  for (const mark of snapshot.marks) if (mark.name === name && !times.has(mark.hostId)) times.set(mark.hostId, mark.at - startedAt);
  return times;
}

async function connectRun(page: Page, contract: ContractSocket, labHosts: readonly LabHost[], profiles: HostProfile[], options: TreeBenchOptions, record: Recorded[] | undefined) {
  const limitMs = await bareFirstReads(labHosts, labHosts.length > 1);
  await contract.call('diagnostics.perf', { reset: true });
  await startProbe(page, options.vms);
  let lastInventoryAt = 0;
  const startedAt = Date.now();
  const offs = (['inventory.changed', 'host.changed', 'hosts.changed', 'profiles.changed'] as const).map((name) =>
    contract.onEvent(name, (payload) => {
      if (name === 'inventory.changed') lastInventoryAt = Date.now();
      record?.push({ at: Date.now() - startedAt, name, payload });
    }),
  );
  try {
    const [renderedAt, created] = await Promise.all([
      page
        .waitForFunction((count) => Object.keys(window.__vdProbe!.rendered).length >= count && Date.now(), profiles.length, { timeout: 180_000, polling: 100 })
        .then((handle) => handle.jsonValue() as Promise<number>),
      Promise.all(profiles.map(({ id: _id, createdAt: _c, updatedAt: _u, ...fields }) => contract.call('profiles.create', { fields }))),
    ]);
    const snapshot = await settled(contract, created.map((profile) => profile.id), () => lastInventoryAt);
    const probe = await readProbe(page);
    const lists = hostTimes(snapshot, 'list', startedAt);
    const rendered = new Map(Object.entries(probe.rendered).map(([id, at]) => [id, at - startedAt]));
    const lastList = Math.max(...lists.values());
    const lastRendered = Math.max(...rendered.values());
    const hostLags = created.map((profile) => (rendered.get(profile.id) ?? 0) - (lists.get(profile.id) ?? 0));
    const connectMs = Math.max(renderedAt, startedAt + lastRendered) - startedAt;
    const messages = Object.fromEntries(Object.entries(snapshot.messages).map(([name, m]) => [name, { count: m.count, kb: Math.round(m.bytes / 1024) }]));
    return {
      created,
      line: {
        connect_to_tree_ms: connectMs,
        limit_ms: limitMs,
        ratio: Math.round((connectMs / limitMs) * 100) / 100,
        ssh_ready_ms: Math.max(...hostTimes(snapshot, 'ssh', startedAt).values()),
        virsh_ready_ms: Math.max(...hostTimes(snapshot, 'virsh', startedAt).values()),
        last_list_sent_ms: lastList,
        page_lag_ms: lastRendered - lastList,
        max_host_lag_ms: Math.max(...hostLags),
        details_done_ms: Math.max(...hostTimes(snapshot, 'details', startedAt).values()),
        main_cpu_ms: Math.round(snapshot.cpuUserMs + snapshot.cpuSystemMs),
        main_phases_ms: phaseSummary(snapshot),
        main_loop_max_stall_ms: snapshot.eventLoopMaxDelayMs,
        main_messages: messages,
        page_messages: probe.messages,
        page_kb: Math.round(probe.bytes / 1024),
        react_commits: probe.commits,
        // While hosts arrive: from the request until the last host is rendered.
        ...summarizeLongTasks(probe.longTasks, startedAt, startedAt + connectMs),
        long_tasks_until_settled: summarizeLongTasks(probe.longTasks, startedAt).long_tasks,
        long_task_max_until_settled_ms: summarizeLongTasks(probe.longTasks, startedAt).long_task_max_ms,
      },
    };
  } finally {
    for (const off of offs) off();
  }
}

export async function runTreeBench(options: TreeBenchOptions): Promise<void> {
  const { log } = options;
  const labHosts = await benchLab(options.hosts, options.vms, options.driver, log, 'tree');
  const configDir = await mkdtemp(join(tmpdir(), 'vd-bench-'));
  const profiles = labHosts.map(profileFor);
  await writeFile(join(configDir, 'known_hosts'), await readFile(labKnownHostsPath(), 'utf8'));

  const { child, url } = await startWebMode(configDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await installPageProbe(page);
    await page.goto(url);
    const contract = await connectContract(url);

    // Each run removes every host (the tree empties) and adds them again.
    const lines: Record<string, number>[] = [];
    let current: HostProfile[] = [];
    let record: Recorded[] = [];
    // Run 0 warms up (first connects also fill libvirt's and the kernel's caches) and is not counted.
    for (let run = 0; run <= options.runs; run += 1) {
      await Promise.all(current.map((profile) => contract.call('profiles.remove', { id: profile.id })));
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="tree-host"]').length === 0, undefined, { timeout: 30_000 });
      record = [];
      const result = await connectRun(page, contract, labHosts, profiles, options, run === options.runs ? record : undefined);
      current = result.created;
      if (run === 0) continue;
      const line = { bench: 'tree', step: 'connect', run, ...result.line };
      lines.push(line as unknown as Record<string, number>);
      log(line);
    }
    await mkdir(join(process.cwd(), 'test-results'), { recursive: true });
    await writeFile(arrivalFile(options.hosts, options.vms), gzipSync(JSON.stringify({ hosts: options.hosts, vms: options.vms, events: record })));

    const eventTimes: number[] = [];
    const startTimes: number[] = [];
    if (options.driver === 'libvirtd') {
      // event → UI: open the VM's own tab, start it on the host, wait for the page to say running.
      const host = labHosts[0]!;
      for (let run = 0; run < options.runs; run += 1) {
        const name = labVmName(host.name, run + 1);
        await labExec(host.name, ['virsh', '-c', 'qemu:///system', 'destroy', name]).catch(() => undefined);
        const hostId = current.find((profile) => profile.label === host.name)?.id ?? '';
        const details = await openVmTab(page, hostId, name);
        await details.and(page.locator('[data-state="shutoff"]')).waitFor({ timeout: 30_000 });
        const startedAt = Date.now();
        const started = await labExec(host.name, ['virsh', '-c', 'qemu:///system', 'start', name]);
        const returnedAt = Date.now();
        if (started.code !== 0) throw new Error(`virsh start ${name}: ${started.stderr}`);
        await details.and(page.locator('[data-state="running"]')).waitFor({ timeout: 30_000 });
        const shownAt = Date.now();
        eventTimes.push(shownAt - returnedAt);
        startTimes.push(shownAt - startedAt);
        log({ bench: 'tree', step: 'event', run: run + 1, event_to_ui_ms: shownAt - returnedAt, start_to_ui_ms: shownAt - startedAt });
        await labExec(host.name, ['virsh', '-c', 'qemu:///system', 'destroy', name]).catch(() => undefined);
      }
    }

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    contract.close();
    const pick = (key: string) => median(lines.map((line) => line[key] ?? 0));
    log({
      bench: 'tree',
      hosts: options.hosts,
      driver: options.driver,
      vms: options.vms * options.hosts,
      connect_to_tree_ms: pick('connect_to_tree_ms'),
      limit_ms: pick('limit_ms'),
      ratio: pick('ratio'),
      last_list_sent_ms: pick('last_list_sent_ms'),
      page_lag_ms_max: Math.max(...lines.map((line) => line.page_lag_ms ?? 0)),
      long_task_max_ms: Math.max(...lines.map((line) => line.long_task_max_ms ?? 0)),
      event_to_ui_ms: eventTimes.length > 0 ? median(eventTimes) : null,
      start_to_ui_ms: startTimes.length > 0 ? median(startTimes) : null,
      renderer_heap_mb: round1(heap.usedSize / 1024 / 1024),
      main_rss_mb: await rssMb(child.pid!),
    });
  } finally {
    await browser.close();
    await stopServer(child);
    await rm(configDir, { recursive: true, force: true, maxRetries: 5 });
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
