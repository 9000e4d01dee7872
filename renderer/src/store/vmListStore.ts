/** The "All virtual machines" view's own state, kept while its tab is closed or hidden. */
import { create } from 'zustand';
import { emptySelection, type ListSelection } from '../model/listSelection.js';
import { defaultVmSort, type VmSort } from '../model/vmRowSort.js';
import { noVmRowFilter, type VmRowFilter } from '../model/vmRows.js';

interface VmListState {
  sort: VmSort;
  filter: VmRowFilter;
  selection: ListSelection;
  setSort(sort: VmSort): void;
  setFilter(patch: Partial<VmRowFilter>): void;
  setSelection(selection: ListSelection): void;
}

export const useVmListStore = create<VmListState>()((set) => ({
  sort: defaultVmSort,
  filter: noVmRowFilter,
  selection: emptySelection,
  setSort: (sort) => set({ sort }),
  setFilter: (patch) => set((state) => ({ filter: { ...state.filter, ...patch } })),
  setSelection: (selection) => set({ selection }),
}));
