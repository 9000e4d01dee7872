/**
 * The renderer alone: a recorded arrival of many hosts (written by the tree benchmark — the
 * events main sent, with the times it sent them) replayed into the built renderer in Chromium,
 * so the page's own cost is measured without the lab competing for the CPU. The page talks to
 * a real web-mode server (main/web) whose registry answers from the recording.
 *
 * Prints main_thread_ms (Chromium's TaskDuration over the replay: all work on the page's main
 * thread), arrival_work_ms (the same less what the idle page spends over as long a time),
 * script_ms, layout_ms, long tasks, React commits, and rendered_after_last_event_ms.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { Registry, type CallHandlers, type StreamHandlers } from '../../main/core/registry.js';
import { startWebServer } from '../../main/web/webServer.js';
import { callNames, ContractError, type EventName, type HostInventory, type HostSummary, type InventoryChange } from '../../preload/contract.js';
import { mergeInventoryChange } from '../../renderer/src/model/inventoryMerge.js';
import { installPageProbe, readProbe, startProbe, summarizeLongTasks } from './pageProbe.js';
import { arrivalFile, CHROMIUM, CHROMIUM_ARGS, median } from './treeBench.js';

export interface ReplayBenchOptions {
  hosts: number;
  vms: number;
  runs: number;
  /** Save a CPU profile of the last run (Chrome DevTools format). */
  profile?: string;
  /** Save a Chromium trace of the last run (devtools.timeline), to see where main-thread time goes. */
  trace?: string;
  /** The page's language (default en). */
  language?: 'en' | 'zh-CN';
  /** Save a screenshot of the last run when half of the hosts' lists have been sent. */
  screenshot?: string;
  /** A built renderer to serve instead of out/renderer (an earlier build, for before/after in one session). */
  rendererDir?: string;
  log(line: Record<string, unknown>): void;
}

const IDLE_SAMPLE_MS = 3_000;

interface Recording {
  hosts: number;
  vms: number;
  events: { at: number; name: EventName; payload: unknown }[];
}

/** A registry that answers the page's start-up calls and inventory reads from the replay's state. */
function replayRegistry(state: { hosts: HostSummary[]; inventories: Map<string, HostInventory> }, language: 'en' | 'zh-CN'): Registry {
  const notInReplay = async () => {
    throw new ContractError('internal', 'not available in the replay');
  };
  const handlers = Object.fromEntries(callNames.map((name) => [name, notInReplay])) as unknown as CallHandlers;
  Object.assign(handlers, {
    'app.info': async () => ({ name: 'VirtDeck', version: 'replay', mode: 'web', platform: 'linux', arch: 'x64', versions: {}, systemLocale: 'en-US' }),
    'settings.get': async () => ({ language, theme: 'light', sidebarWidth: 300 }),
    'hosts.list': async () => state.hosts,
    'tasks.list': async () => [],
    'profiles.list': async () => [],
    'prompts.list': async () => [],
    'stats.watch': async () => null,
    'inventory.get': async ({ hostId }: { hostId: string }) => {
      const inventory = state.inventories.get(hostId);
      if (!inventory) throw new ContractError('host-unavailable', 'no inventory yet');
      return inventory;
    },
  });
  return new Registry(handlers, {} as StreamHandlers);
}

export async function runReplayBench(options: ReplayBenchOptions): Promise<void> {
  const file = arrivalFile(options.hosts, options.vms);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run bench -- tree --hosts ${options.hosts} --vms ${options.vms} --driver test\` first (it records the arrival)`);
  const recording = JSON.parse(gunzipSync(await readFile(file)).toString('utf8')) as Recording;
  const events = recording.events.filter((event) => event.name !== 'profiles.changed');
  const lastAt = Math.max(...events.map((event) => event.at));
  options.log({ bench: 'replay', step: 'recording', hosts: recording.hosts, vms: recording.vms, events: events.length, span_ms: lastAt });

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const results: Record<string, number>[] = [];
  try {
    for (let run = 0; run <= options.runs; run += 1) {
      const state = { hosts: [] as HostSummary[], inventories: new Map<string, HostInventory>() };
      const registry = replayRegistry(state, options.language ?? 'en');
      const server = await startWebServer({ registry, staticDir: options.rendererDir ? resolve(options.rendererDir) : join(process.cwd(), 'out', 'renderer') });
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      try {
        await installPageProbe(page);
        await page.goto(server.url);
        await page.locator('.tree-empty').waitFor({ timeout: 30_000 });
        await startProbe(page, recording.vms);
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const metrics = async () => {
          const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
          return Object.fromEntries(list.map((metric) => [metric.name, metric.value]));
        };
        const profiling = options.profile && run === options.runs;
        const tracing = options.trace && run === options.runs;
        if (tracing) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'] });
        if (profiling) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
          await cdp.send('Profiler.start');
        }
        // What the page costs doing nothing (timers, frames), to tell the arrival's own work apart.
        const idleFrom = await metrics();
        await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
        const before = await metrics();
        const idlePerMs = ((before.TaskDuration ?? 0) - (idleFrom.TaskDuration ?? 0)) / IDLE_SAMPLE_MS;
        const startedAt = Date.now();
        const fullLists = events.filter((event) => (event.payload as { kind?: string }).kind === 'full');
        const halfway = fullLists[Math.floor(fullLists.length / 2)];
        for (const event of events) {
          if (event === halfway && options.screenshot && run === options.runs) await page.screenshot({ path: options.screenshot });
          const wait = startedAt + event.at - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          if (event.name === 'hosts.changed') state.hosts = event.payload as HostSummary[];
          if (event.name === 'host.changed') {
            const host = event.payload as HostSummary;
            state.hosts = state.hosts.map((existing) => (existing.id === host.id ? host : existing));
          }
          if (event.name === 'inventory.changed') {
            const change = event.payload as InventoryChange;
            const merged = mergeInventoryChange(state.inventories.get(change.hostId), change);
            if (merged.kind === 'applied') state.inventories.set(change.hostId, merged.inventory);
          }
          registry.emit(event.name, event.payload as never);
        }
        const lastEventAt = Date.now();
        await page.waitForFunction((count) => Object.keys(window.__vdProbe!.rendered).length >= count, recording.hosts, { timeout: 60_000, polling: 100 });
        // Let what the last events started finish (inventory reads the page asked for).
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const after = await metrics();
        const spanMs = Date.now() - startedAt;
        if (profiling) {
          const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
          const { writeFile } = await import('node:fs/promises');
          await writeFile(options.profile!, JSON.stringify(profile));
        }
        if (tracing) {
          const { writeFile } = await import('node:fs/promises');
          await writeFile(options.trace!, await browser.stopTracing());
        }
        const probe = await readProbe(page);
        const lastRendered = Math.max(...Object.values(probe.rendered));
        const delta = (name: string) => Math.round(((after[name] ?? 0) - (before[name] ?? 0)) * 1000);
        const line = {
          bench: 'replay',
          step: 'run',
          run,
          main_thread_ms: delta('TaskDuration'),
          // The same minus what the page spends idle over as long a time.
          arrival_work_ms: Math.round(delta('TaskDuration') - idlePerMs * 1000 * spanMs),
          idle_ms_per_s: Math.round(idlePerMs * 1000 * 1000),
          script_ms: delta('ScriptDuration'),
          layout_ms: delta('LayoutDuration') + delta('RecalcStyleDuration'),
          rendered_after_last_event_ms: lastRendered - lastEventAt,
          react_commits: probe.commits,
          page_kb: Math.round(probe.bytes / 1024),
          ...summarizeLongTasks(probe.longTasks, startedAt),
        };
        if (run > 0) {
          results.push(line as unknown as Record<string, number>);
          options.log(line);
        }
      } finally {
        await page.close();
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
  const pick = (key: string) => median(results.map((line) => line[key] ?? 0));
  options.log({
    bench: 'replay',
    hosts: recording.hosts,
    vms: recording.vms * recording.hosts,
    main_thread_ms: pick('main_thread_ms'),
    arrival_work_ms: pick('arrival_work_ms'),
    script_ms: pick('script_ms'),
    long_task_max_ms: Math.max(...results.map((line) => line.long_task_max_ms ?? 0)),
    long_tasks: pick('long_tasks'),
    react_commits: pick('react_commits'),
    rendered_after_last_event_ms: pick('rendered_after_last_event_ms'),
  });
}
