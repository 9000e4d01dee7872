/**
 * What a benchmark measures inside the page, installed before the renderer loads:
 * - long tasks (PerformanceObserver 'longtask'), each with its start and duration;
 * - React commits, counted through the hook React DevTools uses (production builds call it too);
 * - contract messages the page received over its WebSocket (count and bytes);
 * - per host, when its VM group first showed the expected count (a MutationObserver).
 * Everything lands in window.__vdProbe; `readProbe` takes it out and clears it.
 */
import type { Page } from 'playwright-core';

export interface ProbeWindow {
  longTasks: { start: number; duration: number }[];
  commits: number;
  messages: number;
  bytes: number;
  /** hostId → ms since epoch when its VM group said `expectVms`. */
  rendered: Record<string, number>;
  expectVms: number;
}

declare global {
  interface Window {
    __vdProbe?: ProbeWindow;
    __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown;
  }
}

/**
 * Runs in the page before any of its scripts. Plain JavaScript text, not a function: the
 * TypeScript loader would add helpers (__name) that do not exist in the page.
 */
const PROBE_SCRIPT = `(() => {
  const probe = { longTasks: [], commits: 0, messages: 0, bytes: 0, rendered: {}, expectVms: -1 };
  window.__vdProbe = probe;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.longTasks.push({ start: performance.timeOrigin + entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  let nextId = 1;
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject: () => nextId++,
    onCommitFiberRoot: () => { probe.commits += 1; },
    onCommitFiberUnmount: () => undefined,
    onPostCommitFiberRoot: () => undefined,
    checkDCE: () => undefined,
  };
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        probe.messages += 1;
        probe.bytes += typeof event.data === 'string' ? event.data.length : event.data.byteLength;
      });
    }
  };
  // When a host's VM group first shows the expected count: watched, not polled, so measuring
  // costs the page nothing while nothing changes.
  const seen = (group) => {
    if (probe.expectVms < 0 || Number(group.getAttribute('data-count')) !== probe.expectVms) return;
    const hostId = group.closest('[data-testid="tree-host"]')?.getAttribute('data-host-id');
    if (hostId && probe.rendered[hostId] === undefined) probe.rendered[hostId] = Date.now();
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') {
        if (record.target.getAttribute('data-testid') === 'tree-group-vms') seen(record.target);
        continue;
      }
      for (const added of record.addedNodes) {
        if (added.nodeType !== 1) continue;
        if (added.getAttribute('data-testid') === 'tree-group-vms') seen(added);
        for (const group of added.querySelectorAll('[data-testid="tree-group-vms"]')) seen(group);
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-count'] });
})();`;

export async function installPageProbe(page: Page): Promise<void> {
  await page.addInitScript({ content: PROBE_SCRIPT });
}

/** Starts a measurement: clears what was collected and says which VM count means "rendered". */
export async function startProbe(page: Page, expectVms: number): Promise<void> {
  await page.evaluate((vms) => {
    const probe = window.__vdProbe!;
    probe.longTasks = [];
    probe.commits = 0;
    probe.messages = 0;
    probe.bytes = 0;
    probe.rendered = {};
    probe.expectVms = vms;
  }, expectVms);
}

export async function readProbe(page: Page): Promise<ProbeWindow> {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.__vdProbe)) as ProbeWindow);
}

export interface LongTaskSummary {
  long_tasks: number;
  long_task_max_ms: number;
  long_task_total_ms: number;
}

export function summarizeLongTasks(tasks: readonly { start: number; duration: number }[], from = 0, to = Infinity): LongTaskSummary {
  const inWindow = tasks.filter((task) => task.start >= from && task.start <= to);
  const round = (ms: number) => Math.round(ms);
  return {
    long_tasks: inWindow.length,
    long_task_max_ms: round(Math.max(0, ...inWindow.map((task) => task.duration))),
    long_task_total_ms: round(inWindow.reduce((sum, task) => sum + task.duration, 0)),
  };
}
