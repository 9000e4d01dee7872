import { beforeEach, describe, expect, it } from 'vitest';
import { ContractError, type ContractClient, type HostInventory, type Prompt, type Task } from '../../preload/contract.js';
import { watchTransport } from '../../renderer/src/services/transportWatch.js';
import { useConnectionStore } from '../../renderer/src/store/connectionStore.js';
import { useProfilesStore } from '../../renderer/src/store/profilesStore.js';
import { usePromptsStore } from '../../renderer/src/store/promptsStore.js';
import { cpuPercentOf, useStatsStore } from '../../renderer/src/store/statsStore.js';
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

describe('UI store: folders, filter and dialogs', () => {
  beforeEach(() => useUiStore.setState(initialUi, true));

  it('toggles folders like groups', () => {
    const folder = { kind: 'folder', path: 'Lab/Rack 1' } as const;
    openNode(folder);
    expect(useUiStore.getState().expanded[nodeKey(folder)]).toBe(false);
    expect(useUiStore.getState().selectedKey).toBe(nodeKey(folder));
    openNode(folder, false);
    expect(useUiStore.getState().expanded[nodeKey(folder)]).toBe(true);
  });

  it('keeps expansion made while filtering apart, and starts it afresh with each new filter', () => {
    const ui = useUiStore.getState();
    const group = { kind: 'group', hostId: 'a', group: 'vms' } as const;
    ui.setExpanded(nodeKey(group), false);
    ui.setTreeFilter('web');
    openNode(group, false);
    expect(useUiStore.getState().filterExpanded[nodeKey(group)]).toBe(true);
    expect(useUiStore.getState().expanded[nodeKey(group)]).toBe(false);
    // Same words, different spacing: nothing resets.
    ui.setTreeFilter(' web ');
    expect(useUiStore.getState().filterExpanded[nodeKey(group)]).toBe(true);
    ui.setTreeFilter('db');
    expect(useUiStore.getState().filterExpanded).toEqual({});
  });

  it('opens the VM list as a tab that selects nothing in the tree', () => {
    const ui = useUiStore.getState();
    ui.select('host/a');
    ui.openTab({ kind: 'vm-list' });
    expect(useUiStore.getState().activeTabKey).toBe('vm-list');
    expect(useUiStore.getState().selectedKey).toBe('host/a');
  });

  it('remembers which profile a dialog is about', () => {
    const ui = useUiStore.getState();
    ui.openDialog('remove-host', 'p1');
    expect(useUiStore.getState()).toMatchObject({ dialog: 'remove-host', dialogTarget: 'p1' });
    ui.openDialog('host-editor');
    expect(useUiStore.getState()).toMatchObject({ dialog: 'host-editor', dialogTarget: null });
    ui.closeDialog();
    expect(useUiStore.getState()).toMatchObject({ dialog: null, dialogTarget: null });
  });
});

describe('prompts, profiles and statistics stores', () => {
  const hostKey = (promptId: string): Prompt => ({
    promptId,
    hostId: 'h',
    hostLabel: 'h',
    kind: 'host-key',
    host: 'h',
    port: 22,
    keyType: 'ssh-ed25519',
    fingerprint: 'SHA256:x',
  });

  it('queues prompts oldest first, once each, and drops them when closed', () => {
    const store = usePromptsStore.getState();
    store.setPrompts([hostKey('a')]);
    store.openPrompt(hostKey('b'));
    store.openPrompt(hostKey('a'));
    expect(usePromptsStore.getState().queue.map((prompt) => prompt.promptId)).toEqual(['a', 'b']);
    store.setAnswering('a', true);
    expect(usePromptsStore.getState().answering).toEqual({ a: true });
    store.closePrompt('a');
    expect(usePromptsStore.getState().queue.map((prompt) => prompt.promptId)).toEqual(['b']);
    expect(usePromptsStore.getState().answering).toEqual({});
  });

  it('indexes profiles by id', () => {
    const profile = {
      id: 'p1',
      createdAt: 1,
      updatedAt: 1,
      label: 'a',
      address: 'a',
      port: 22,
      user: 'u',
      auth: 'agent' as const,
      jumpHosts: [],
      uri: 'qemu:///system',
      sudo: false,
      folder: '',
      tags: [],
      rememberSecret: false,
    };
    useProfilesStore.getState().setProfiles([profile]);
    useProfilesStore.getState().upsertProfile({ ...profile, label: 'b' });
    expect(useProfilesStore.getState().byId.p1?.label).toBe('b');
    expect(useProfilesStore.getState().profiles).toHaveLength(1);
  });

  it('keeps the latest statistics per host and VM, and forgets removed hosts', () => {
    const stat = (name: string, cpuPercent: number | null) => ({
      hostId: 'h',
      name,
      cpuPercent,
      memoryUsedKiB: null,
      diskReadBps: null,
      diskWriteBps: null,
      netRxBps: null,
      netTxBps: null,
    });
    const store = useStatsStore.getState();
    store.applySample('h', [stat('a', 12), stat('b', null)], 2);
    store.applySample('h', [stat('a', 99)], 1);
    let byHost = useStatsStore.getState().byHost;
    expect(cpuPercentOf(byHost, 'h', 'a')).toBe(12);
    expect(cpuPercentOf(byHost, 'h', 'b')).toBeNull();
    store.applySample('h', [stat('b', 5)], 3);
    byHost = useStatsStore.getState().byHost;
    expect(cpuPercentOf(byHost, 'h', 'a')).toBeNull();
    expect(cpuPercentOf(byHost, 'h', 'b')).toBe(5);
    store.retainHosts([]);
    expect(useStatsStore.getState().byHost).toEqual({});
  });
});

describe('lost transport', () => {
  function fakeClient(fail: unknown): ContractClient & { disconnect(): void } {
    let listener: (() => void) | null = null;
    return {
      mode: 'web',
      call: async () => {
        throw fail;
      },
      on: () => () => undefined,
      openStream: async () => {
        throw fail;
      },
      onDisconnect: (next: () => void) => {
        listener = next;
        return () => {
          listener = null;
        };
      },
      disconnect: () => listener?.(),
    } as ContractClient & { disconnect(): void };
  }

  beforeEach(() => {
    useConnectionStore.setState({ phase: 'ready', transportLost: false });
  });

  it('is noticed when a call fails with transport-closed, not with other errors', async () => {
    const other = watchTransport(fakeClient(new ContractError('host-unavailable', 'host down')));
    await expect(other.client.call('hosts.list', {})).rejects.toThrow('host down');
    expect(useConnectionStore.getState().transportLost).toBe(false);
    const closed = watchTransport(fakeClient(new ContractError('transport-closed', 'gone')));
    await expect(closed.client.call('hosts.list', {})).rejects.toThrow('gone');
    expect(useConnectionStore.getState().transportLost).toBe(true);
  });

  it('is noticed when the web transport reports its socket closed, until unsubscribed', () => {
    const client = fakeClient(null);
    const watched = watchTransport(client);
    watched.dispose();
    client.disconnect();
    expect(useConnectionStore.getState().transportLost).toBe(false);
    watchTransport(client);
    client.disconnect();
    expect(useConnectionStore.getState().transportLost).toBe(true);
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
