import { beforeEach, describe, expect, it } from 'vitest';
import type { HostInventory, Task } from '../../preload/contract.js';
import { nodeKey, WELCOME_TAB_KEY } from '../../renderer/src/navigation/nodeRef.js';
import { useInventoryStore } from '../../renderer/src/store/inventoryStore.js';
import { clampSidebarWidth } from '../../renderer/src/store/settingsStore.js';
import { useTasksStore, visibleTasks } from '../../renderer/src/store/tasksStore.js';
import { openNode, useUiStore } from '../../renderer/src/store/uiStore.js';

const initialUi = useUiStore.getState();

describe('UI store: tabs and tree', () => {
  beforeEach(() => useUiStore.setState(initialUi, true));

  it('starts with the welcome tab open', () => {
    expect(useUiStore.getState().tabs.map((tab) => tab.key)).toEqual([WELCOME_TAB_KEY]);
    expect(useUiStore.getState().activeTabKey).toBe(WELCOME_TAB_KEY);
  });

  it('opens a tab once and focuses it again, selecting its tree node', () => {
    const vm = { kind: 'vm', hostId: 'demo', name: 'web' } as const;
    const ui = useUiStore.getState();
    ui.openTab(vm);
    ui.openTab({ kind: 'host', hostId: 'demo' });
    ui.openTab(vm);
    const state = useUiStore.getState();
    expect(state.tabs.length).toBe(3);
    expect(state.activeTabKey).toBe(nodeKey(vm));
    expect(state.selectedKey).toBe(nodeKey(vm));
  });

  it('closing the active tab shows its neighbour; closing all leaves none', () => {
    const ui = useUiStore.getState();
    ui.openTab({ kind: 'host', hostId: 'a' });
    ui.openTab({ kind: 'host', hostId: 'b' });
    ui.activateTab(nodeKey({ kind: 'host', hostId: 'a' }));
    ui.closeTab(nodeKey({ kind: 'host', hostId: 'a' }));
    expect(useUiStore.getState().activeTabKey).toBe(nodeKey({ kind: 'host', hostId: 'b' }));
    ui.closeTab(nodeKey({ kind: 'host', hostId: 'b' }));
    ui.closeTab(WELCOME_TAB_KEY);
    expect(useUiStore.getState().tabs).toEqual([]);
    expect(useUiStore.getState().activeTabKey).toBeNull();
  });

  it('toggles groups instead of opening them', () => {
    const group = { kind: 'group', hostId: 'demo', group: 'vms' } as const;
    openNode(group);
    expect(useUiStore.getState().expanded[nodeKey(group)]).toBe(false);
    expect(useUiStore.getState().tabs.length).toBe(1);
    openNode(group);
    expect(useUiStore.getState().expanded[nodeKey(group)]).toBe(true);
  });

  it('collapses the groups of a host with more than 50 VMs, once', () => {
    const ui = useUiStore.getState();
    ui.decideGroupExpansion('small', 50);
    ui.decideGroupExpansion('big', 51);
    const key = (hostId: string) => nodeKey({ kind: 'group', hostId, group: 'vms' });
    expect(useUiStore.getState().expanded[key('small')]).toBeUndefined();
    expect(useUiStore.getState().expanded[key('big')]).toBe(false);
    ui.setExpanded(key('big'), true);
    ui.decideGroupExpansion('big', 300);
    expect(useUiStore.getState().expanded[key('big')]).toBe(true);
  });
});

describe('inventory store', () => {
  const inventory = (fetchedAt: number, names: string[]): HostInventory => ({
    hostId: 'demo',
    vms: names.map((name) => ({ hostId: 'demo', name, uuid: name, state: 'running', vcpus: 1, memoryKiB: 1, persistent: true, autostart: false })),
    networks: [],
    pools: [],
    fetchedAt,
  });

  it('keeps the newer of two crossing inventories', () => {
    const store = useInventoryStore.getState();
    store.setInventory(inventory(2, ['new']));
    store.setInventory(inventory(1, ['old']));
    expect(useInventoryStore.getState().byHost.demo?.vms.map((vm) => vm.name)).toEqual(['new']);
    store.retainHosts([]);
    expect(useInventoryStore.getState().byHost).toEqual({});
  });
});

describe('tasks store', () => {
  const task = (id: string, startedAt: number, state: Task['state']): Task => ({
    id,
    titleKey: 'task.vm.start',
    state,
    progress: null,
    cancellable: false,
    startedAt,
  });

  it('lists newest first and clears finished tasks only', () => {
    const store = useTasksStore.getState();
    store.setTasks([task('a', 1, 'failed'), task('b', 3, 'running')]);
    store.upsertTask(task('c', 2, 'succeeded'));
    store.upsertTask(task('a', 1, 'failed'));
    expect(useTasksStore.getState().tasks.map((t) => t.id)).toEqual(['b', 'c', 'a']);
    store.clearFinished();
    const { tasks, cleared } = useTasksStore.getState();
    expect(visibleTasks(tasks, cleared).map((t) => t.id)).toEqual(['b']);
  });
});

describe('settings', () => {
  it('keeps the sidebar between 180 and 600 pixels', () => {
    expect(clampSidebarWidth(10)).toBe(180);
    expect(clampSidebarWidth(333.4)).toBe(333);
    expect(clampSidebarWidth(9000)).toBe(600);
  });
});
