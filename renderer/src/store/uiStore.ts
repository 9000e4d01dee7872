/** Window state that is not persisted: tree selection, expansion and filter, tabs, dialogs. */
import { create } from 'zustand';
import { isTreeTab, nodeKey, WELCOME_TAB_KEY, type NodeRef, type TabRef } from '../navigation/nodeRef.js';
import { cycleKey, keyAfterClose } from '../navigation/tabOrder.js';
import { GROUP_AUTO_EXPAND_LIMIT, groupKinds, normalizeQuery } from '../navigation/treeModel.js';

export type DialogKind =
  | 'about'
  | 'shortcuts'
  | 'settings'
  /** Add a host (no target), or edit the profile named by dialogTarget. */
  | 'host-editor'
  | 'import-ssh-config'
  /** Remove the profile named by dialogTarget. */
  | 'remove-host'
  /** Forget the recorded key of the host named by dialogTarget. */
  | 'forget-host-key'
  /** The new-VM wizard, opened on the host named by dialogTarget (or the first connected one). */
  | 'new-vm';

export interface OpenTab {
  key: string;
  ref: TabRef;
}

interface UiState {
  selectedKey: string | null;
  /** Explicit expansion state by node key; absent means expanded. */
  expanded: Record<string, boolean>;
  /** Expansion while a filter is typed; starts empty with every new filter text. */
  filterExpanded: Record<string, boolean>;
  /** Hosts whose group expansion has been decided (on their first inventory). */
  expansionDecided: Record<string, true>;
  /** The sidebar's filter text. */
  treeFilter: string;
  tabs: OpenTab[];
  activeTabKey: string | null;
  sidebarVisible: boolean;
  dialog: DialogKind | null;
  /** The profile or host a dialog is about (edit, remove, forget key). */
  dialogTarget: string | null;
  taskPopoverOpen: boolean;

  select(key: string | null): void;
  setExpanded(key: string, expanded: boolean): void;
  /** On a host's first inventory: collapse its groups when it has many VMs. */
  decideGroupExpansion(hostId: string, vmCount: number): void;
  setTreeFilter(text: string): void;
  openTab(ref: TabRef): void;
  activateTab(key: string): void;
  closeTab(key: string): void;
  cycleTab(delta: number): void;
  toggleSidebar(): void;
  openDialog(dialog: DialogKind, target?: string | null): void;
  closeDialog(): void;
  setTaskPopoverOpen(open: boolean): void;
}

/** The tree node a tab corresponds to, for keeping the selection in step. */
function treeKeyOfTab(key: string): string | null {
  return isTreeTab(key) ? key : null;
}

export const useUiStore = create<UiState>()((set, get) => ({
  selectedKey: null,
  expanded: {},
  filterExpanded: {},
  expansionDecided: {},
  treeFilter: '',
  tabs: [{ key: WELCOME_TAB_KEY, ref: { kind: 'welcome' } }],
  activeTabKey: WELCOME_TAB_KEY,
  sidebarVisible: true,
  dialog: null,
  dialogTarget: null,
  taskPopoverOpen: false,

  select: (selectedKey) => set({ selectedKey }),

  setExpanded: (key, expanded) =>
    set((state) =>
      normalizeQuery(state.treeFilter) !== ''
        ? { filterExpanded: { ...state.filterExpanded, [key]: expanded } }
        : { expanded: { ...state.expanded, [key]: expanded } },
    ),

  decideGroupExpansion: (hostId, vmCount) =>
    set((state) => {
      if (state.expansionDecided[hostId]) return {};
      const expanded = { ...state.expanded };
      if (vmCount > GROUP_AUTO_EXPAND_LIMIT) {
        for (const group of groupKinds) {
          const key = nodeKey({ kind: 'group', hostId, group });
          if (expanded[key] === undefined) expanded[key] = false;
        }
      }
      return { expanded, expansionDecided: { ...state.expansionDecided, [hostId]: true } };
    }),

  setTreeFilter: (treeFilter) =>
    set((state) =>
      normalizeQuery(treeFilter) === normalizeQuery(state.treeFilter) ? { treeFilter } : { treeFilter, filterExpanded: {} },
    ),

  openTab: (ref) => {
    const key = nodeKey(ref);
    const { tabs } = get();
    const next = tabs.some((tab) => tab.key === key) ? tabs : [...tabs, { key, ref }];
    set({ tabs: next, activeTabKey: key, selectedKey: treeKeyOfTab(key) ?? get().selectedKey });
  },

  activateTab: (key) =>
    set((state) => ({ activeTabKey: key, selectedKey: treeKeyOfTab(key) ?? state.selectedKey })),

  closeTab: (key) =>
    set((state) => {
      const keys = state.tabs.map((tab) => tab.key);
      if (!keys.includes(key)) return {};
      const activeTabKey = keyAfterClose(keys, key, state.activeTabKey);
      const selectedKey = activeTabKey ? (treeKeyOfTab(activeTabKey) ?? state.selectedKey) : state.selectedKey;
      return { tabs: state.tabs.filter((tab) => tab.key !== key), activeTabKey, selectedKey };
    }),

  cycleTab: (delta) => {
    const state = get();
    const key = cycleKey(
      state.tabs.map((tab) => tab.key),
      state.activeTabKey,
      delta,
    );
    if (key !== null) state.activateTab(key);
  },

  toggleSidebar: () => set((state) => ({ sidebarVisible: !state.sidebarVisible })),
  openDialog: (dialog, target = null) => set({ dialog, dialogTarget: target, taskPopoverOpen: false }),
  closeDialog: () => set({ dialog: null, dialogTarget: null }),
  setTaskPopoverOpen: (taskPopoverOpen) => set({ taskPopoverOpen }),
}));

/**
 * Opens what a tree node stands for: objects and hosts open a tab, groups and folders toggle.
 * `open` is whether the node shows its children now (the tree knows; filters change it).
 */
export function openNode(ref: NodeRef, open?: boolean): void {
  const ui = useUiStore.getState();
  const key = nodeKey(ref);
  if (ref.kind === 'group' || ref.kind === 'folder') {
    ui.select(key);
    const record = normalizeQuery(ui.treeFilter) !== '' ? ui.filterExpanded : ui.expanded;
    ui.setExpanded(key, !(open ?? record[key] ?? true));
    return;
  }
  ui.openTab(ref);
}
