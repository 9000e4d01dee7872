/** The latest statistics sample of each running VM, per host (from stats.changed). */
import { create } from 'zustand';
import type { VmStats } from '../../../preload/contract.js';

export interface HostStatsSample {
  sampledAt: number;
  byName: Record<string, VmStats>;
}

/** One point of a VM's rolling history: its rates at `at`, or null where it was not sampled running. */
export interface VmStatsPoint {
  at: number;
  stats: VmStats | null;
}

/** How much history a chart keeps: the last five minutes. */
export const HISTORY_MS = 5 * 60_000;

export function historyKey(hostId: string, name: string): string {
  return `${hostId}\u0000${name}`;
}

/** VMs whose history is kept (an overview shows them), counted per viewer. */
const tracked = new Map<string, number>();

interface StatsState {
  byHost: Record<string, HostStatsSample>;
  /** Rolling history (HISTORY_MS) of the tracked VMs, by historyKey. */
  history: Record<string, VmStatsPoint[]>;
  /** A host's sample replaces the previous one: VMs missing from it are not running. */
  applySample(hostId: string, stats: readonly VmStats[], sampledAt: number): void;
  retainHosts(hostIds: readonly string[]): void;
}

export const useStatsStore = create<StatsState>()((set) => ({
  byHost: {},
  history: {},
  applySample: (hostId, stats, sampledAt) =>
    set((state) => {
      const existing = state.byHost[hostId];
      if (existing && existing.sampledAt > sampledAt) return {};
      const byName: Record<string, VmStats> = {};
      for (const entry of stats) byName[entry.name] = entry;
      return { byHost: { ...state.byHost, [hostId]: { sampledAt, byName } }, history: appendHistory(state.history, hostId, byName, sampledAt) };
    }),
  retainHosts: (hostIds) =>
    set((state) => {
      const keep = new Set(hostIds);
      const byHost = Object.fromEntries(Object.entries(state.byHost).filter(([hostId]) => keep.has(hostId)));
      return Object.keys(byHost).length === Object.keys(state.byHost).length ? {} : { byHost };
    }),
}));

/** CPU % of a VM from the latest sample, or null (not running, or no second sample yet). */
export function cpuPercentOf(byHost: Readonly<Record<string, HostStatsSample>>, hostId: string, name: string): number | null {
  return byHost[hostId]?.byName[name]?.cpuPercent ?? null;
}

function appendHistory(history: Record<string, VmStatsPoint[]>, hostId: string, byName: Record<string, VmStats>, sampledAt: number): Record<string, VmStatsPoint[]> {
  let next = history;
  const prefix = historyKey(hostId, '');
  for (const key of tracked.keys()) {
    if (!key.startsWith(prefix)) continue;
    const points = history[key] ?? [];
    const last = points[points.length - 1];
    if (last && last.at >= sampledAt) continue;
    const kept = points.filter((point) => point.at > sampledAt - HISTORY_MS);
    kept.push({ at: sampledAt, stats: byName[key.slice(prefix.length)] ?? null });
    if (next === history) next = { ...history };
    next[key] = kept;
  }
  return next;
}

/**
 * Keeps the rolling history of one VM from now on, until the returned function is called (by
 * the last viewer: then the history goes too).
 */
export function trackVmHistory(hostId: string, name: string): () => void {
  const key = historyKey(hostId, name);
  tracked.set(key, (tracked.get(key) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const count = (tracked.get(key) ?? 1) - 1;
    if (count > 0) {
      tracked.set(key, count);
      return;
    }
    tracked.delete(key);
    useStatsStore.setState((state) => {
      if (!(key in state.history)) return {};
      const { [key]: _gone, ...rest } = state.history;
      return { history: rest };
    });
  };
}
