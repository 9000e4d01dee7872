/** Keeps the stores in step with main's events. */
import type { ContractClient, HostSummary, InventoryChange } from '../../../preload/contract.js';
import { useHostsStore, findHost } from '../store/hostsStore.js';
import { useInventoryStore } from '../store/inventoryStore.js';
import { useProfilesStore } from '../store/profilesStore.js';
import { usePromptsStore } from '../store/promptsStore.js';
import { useStatsStore } from '../store/statsStore.js';
import { useTasksStore } from '../store/tasksStore.js';
import { refreshHostDetailsIfKnown } from './hostDetailsFetch.js';
import { createFrameBatch } from './frameBatch.js';
import { applyInventoryChanges, refreshInventory } from './inventoryRefresh.js';

function needsInventory(host: HostSummary, previous: HostSummary | undefined): boolean {
  if (host.status !== 'connected') return false;
  return previous?.status !== 'connected' || !useInventoryStore.getState().byHost[host.id];
}

/** One host's summary changed. Its inventory is announced by main after a connect (no read here). */
function applyHostChange(host: HostSummary): void {
  const previous = findHost(useHostsStore.getState().hosts, host.id);
  useHostsStore.getState().upsertHost(host);
  if (justConnected(host, previous)) refreshHostDetailsIfKnown(host.id);
}

function justConnected(host: HostSummary, previous: HostSummary | undefined): boolean {
  return host.status === 'connected' && previous !== undefined && previous.status !== 'connected';
}

/**
 * Replaces the host list. At start-up (`readConnected`) the inventories of connected hosts are
 * read; later, main announces every host's inventory itself (a read here would only duplicate
 * an announcement still waiting for its frame).
 */
export function applyHostList(hosts: HostSummary[], readConnected = false): void {
  const previous = useHostsStore.getState().hosts;
  useHostsStore.getState().setHosts(hosts);
  const ids = hosts.map((host) => host.id);
  useInventoryStore.getState().retainHosts(ids);
  useStatsStore.getState().retainHosts(ids);
  for (const host of hosts) {
    const before = findHost(previous, host.id);
    if (readConnected && needsInventory(host, before)) void refreshInventory(host.id);
    if (justConnected(host, before)) refreshHostDetailsIfKnown(host.id);
  }
}

/** Subscribes to every event; returns the function that unsubscribes them all. */
export function subscribeToEvents(client: ContractClient): () => void {
  // Host and inventory events are applied once per frame, in order; runs of inventory changes
  // become one store update.
  const batch = createFrameBatch();
  let pending: InventoryChange[] = [];
  const inventoryWork = () => {
    const changes = pending;
    pending = [];
    if (changes.length > 0) applyInventoryChanges(changes);
  };
  const offs = [
    client.on('host.changed', (host) => batch.push(() => applyHostChange(host))),
    client.on('hosts.changed', (hosts) => batch.push(() => applyHostList(hosts))),
    client.on('inventory.changed', (change) => {
      if (pending.length === 0) batch.push(inventoryWork);
      pending.push(change);
    }),
    client.on('task.changed', (task) => useTasksStore.getState().upsertTask(task)),
    client.on('profiles.changed', (profiles) => useProfilesStore.getState().setProfiles(profiles)),
    client.on('prompt.opened', (prompt) => usePromptsStore.getState().openPrompt(prompt)),
    client.on('prompt.closed', ({ promptId }) => usePromptsStore.getState().closePrompt(promptId)),
    client.on('stats.changed', ({ hostId, stats, sampledAt }) => useStatsStore.getState().applySample(hostId, stats, sampledAt)),
  ];
  return () => {
    batch.flush();
    for (const off of offs) off();
  };
}
