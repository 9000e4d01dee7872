/** The last inventory read from each host, and whether a read is running or failed. */
import { create } from 'zustand';
import type { HostInventory } from '../../../preload/contract.js';
import type { ErrorInfo } from '../errors/errorInfo.js';

interface InventoryState {
  byHost: Record<string, HostInventory>;
  loading: Record<string, boolean>;
  errors: Record<string, ErrorInfo | undefined>;
  /** Stores an inventory unless a newer one is already here (events and reads can cross). */
  setInventory(inventory: HostInventory): void;
  setLoading(hostId: string, loading: boolean): void;
  setError(hostId: string, error: ErrorInfo | undefined): void;
  /** Forgets hosts that no longer exist. */
  retainHosts(hostIds: readonly string[]): void;
}

function pick<T>(record: Record<string, T>, keep: ReadonlySet<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keep.has(key)));
}

export const useInventoryStore = create<InventoryState>()((set) => ({
  byHost: {},
  loading: {},
  errors: {},
  setInventory: (inventory) =>
    set((state) => {
      const existing = state.byHost[inventory.hostId];
      if (existing && existing.fetchedAt > inventory.fetchedAt) return {};
      return {
        byHost: { ...state.byHost, [inventory.hostId]: inventory },
        errors: { ...state.errors, [inventory.hostId]: undefined },
      };
    }),
  setLoading: (hostId, loading) => set((state) => ({ loading: { ...state.loading, [hostId]: loading } })),
  setError: (hostId, error) => set((state) => ({ errors: { ...state.errors, [hostId]: error } })),
  retainHosts: (hostIds) =>
    set((state) => {
      const keep = new Set(hostIds);
      return { byHost: pick(state.byHost, keep), loading: pick(state.loading, keep), errors: pick(state.errors, keep) };
    }),
}));
