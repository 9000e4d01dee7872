/** Keeps the stores in step with main's events. */
import type { ContractClient, HostSummary } from '../../../preload/contract.js';
import { useHostsStore, findHost } from '../store/hostsStore.js';
import { useInventoryStore } from '../store/inventoryStore.js';
import { useProfilesStore } from '../store/profilesStore.js';
import { usePromptsStore } from '../store/promptsStore.js';
import { useStatsStore } from '../store/statsStore.js';
import { useTasksStore } from '../store/tasksStore.js';
import { refreshHostDetailsIfKnown } from './hostDetailsFetch.js';
import { applyInventory, refreshInventory } from './inventoryRefresh.js';

function needsInventory(host: HostSummary, previous: HostSummary | undefined): boolean {
  if (host.status !== 'connected') return false;
  return previous?.status !== 'connected' || !useInventoryStore.getState().byHost[host.id];
}

function justConnected(host: HostSummary, previous: HostSummary | undefined): boolean {
  return host.status === 'connected' && previous !== undefined && previous.status !== 'connected';
}

/** Replaces the host list and reads inventories of newly connected hosts. */
export function applyHostList(hosts: HostSummary[]): void {
  const previous = useHostsStore.getState().hosts;
  useHostsStore.getState().setHosts(hosts);
  const ids = hosts.map((host) => host.id);
  useInventoryStore.getState().retainHosts(ids);
  useStatsStore.getState().retainHosts(ids);
  for (const host of hosts) {
    const before = findHost(previous, host.id);
    if (needsInventory(host, before)) void refreshInventory(host.id);
    if (justConnected(host, before)) refreshHostDetailsIfKnown(host.id);
  }
}

/** Subscribes to every event; returns the function that unsubscribes them all. */
export function subscribeToEvents(client: ContractClient): () => void {
  const offs = [
    client.on('host.changed', (host) => {
      const previous = findHost(useHostsStore.getState().hosts, host.id);
      useHostsStore.getState().upsertHost(host);
      if (needsInventory(host, previous)) void refreshInventory(host.id);
      if (justConnected(host, previous)) refreshHostDetailsIfKnown(host.id);
    }),
    client.on('hosts.changed', (hosts) => applyHostList(hosts)),
    client.on('inventory.changed', (inventory) => applyInventory(inventory)),
    client.on('task.changed', (task) => useTasksStore.getState().upsertTask(task)),
    client.on('profiles.changed', (profiles) => useProfilesStore.getState().setProfiles(profiles)),
    client.on('prompt.opened', (prompt) => usePromptsStore.getState().openPrompt(prompt)),
    client.on('prompt.closed', ({ promptId }) => usePromptsStore.getState().closePrompt(promptId)),
    client.on('stats.changed', ({ hostId, stats, sampledAt }) => useStatsStore.getState().applySample(hostId, stats, sampledAt)),
  ];
  return () => {
    for (const off of offs) off();
  };
}
