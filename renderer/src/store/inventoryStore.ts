/** The last inventory read from each host, and whether a read is running or failed. */
import { create } from 'zustand';
import type { HostInventory, InventoryChange } from '../../../preload/contract.js';
import type { ErrorInfo } from '../errors/errorInfo.js';
import { mergeInventoryChange } from '../model/inventoryMerge.js';

interface InventoryState {
  byHost: Record<string, HostInventory>;
  loading: Record<string, boolean>;
  errors: Record<string, ErrorInfo | undefined>;
  /** Stores an inventory unless a newer one is already here (events and reads can cross). */
  setInventory(inventory: HostInventory): void;
  /**
   * Applies announcements (many hosts' at once: one store update, one render); returns the hosts
   * that missed a revision and must be read whole.
   */
  applyChanges(changes: readonly InventoryChange[]): string[];
  setLoading(hostId: string, loading: boolean): void;
  setError(hostId: string, error: ErrorInfo | undefined): void;
  /** Forgets hosts that no longer exist. */
  retainHosts(hostIds: readonly string[]): void;
}

function pick<T>(record: Record<string, T>, keep: ReadonlySet<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keep.has(key)));
}

function isNewer(existing: HostInventory | undefined, inventory: HostInventory): boolean {
  if (!existing) return true;
  if (existing.revision !== undefined && inventory.revision !== undefined) return inventory.revision >= existing.revision;
  return inventory.fetchedAt >= existing.fetchedAt;
}

export const useInventoryStore = create<InventoryState>()((set, get) => ({
  byHost: {},
  loading: {},
  errors: {},
  setInventory: (inventory) =>
    set((state) => {
      if (!isNewer(state.byHost[inventory.hostId], inventory)) return {};
      return {
        byHost: { ...state.byHost, [inventory.hostId]: inventory },
        errors: { ...state.errors, [inventory.hostId]: undefined },
      };
    }),
  applyChanges: (changes) => {
    const byHost = { ...get().byHost };
    const errors = { ...get().errors };
    const gaps: string[] = [];
    let changed = false;
    for (const change of changes) {
      const result = mergeInventoryChange(byHost[change.hostId], change);
      if (result.kind === 'gap') gaps.push(change.hostId);
      if (result.kind !== 'applied') continue;
      byHost[change.hostId] = result.inventory;
      errors[change.hostId] = undefined;
      changed = true;
    }
    if (changed) set({ byHost, errors });
    return gaps;
  },
  setLoading: (hostId, loading) => set((state) => ({ loading: { ...state.loading, [hostId]: loading } })),
  setError: (hostId, error) => set((state) => ({ errors: { ...state.errors, [hostId]: error } })),
  retainHosts: (hostIds) =>
    set((state) => {
      const keep = new Set(hostIds);
      return { byHost: pick(state.byHost, keep), loading: pick(state.loading, keep), errors: pick(state.errors, keep) };
    }),
}));
