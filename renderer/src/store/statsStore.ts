/** The latest statistics sample of each running VM, per host (from stats.changed). */
import { create } from 'zustand';
import type { VmStats } from '../../../preload/contract.js';

export interface HostStatsSample {
  sampledAt: number;
  byName: Record<string, VmStats>;
}

interface StatsState {
  byHost: Record<string, HostStatsSample>;
  /** A host's sample replaces the previous one: VMs missing from it are not running. */
  applySample(hostId: string, stats: readonly VmStats[], sampledAt: number): void;
  retainHosts(hostIds: readonly string[]): void;
}

export const useStatsStore = create<StatsState>()((set) => ({
  byHost: {},
  applySample: (hostId, stats, sampledAt) =>
    set((state) => {
      const existing = state.byHost[hostId];
      if (existing && existing.sampledAt > sampledAt) return {};
      const byName: Record<string, VmStats> = {};
      for (const entry of stats) byName[entry.name] = entry;
      return { byHost: { ...state.byHost, [hostId]: { sampledAt, byName } } };
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
