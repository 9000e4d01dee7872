/** Keeps the stores in step with main's events. */
import type { ContractClient, HostSummary } from '../../../preload/contract.js';
import { useHostsStore, findHost } from '../store/hostsStore.js';
import { useInventoryStore } from '../store/inventoryStore.js';
import { useTasksStore } from '../store/tasksStore.js';
import { applyInventory, refreshInventory } from './inventoryRefresh.js';

function needsInventory(host: HostSummary, previous: HostSummary | undefined): boolean {
  if (host.status !== 'connected') return false;
  return previous?.status !== 'connected' || !useInventoryStore.getState().byHost[host.id];
}

/** Replaces the host list and reads inventories of newly connected hosts. */
export function applyHostList(hosts: HostSummary[]): void {
  const previous = useHostsStore.getState().hosts;
  useHostsStore.getState().setHosts(hosts);
  useInventoryStore.getState().retainHosts(hosts.map((host) => host.id));
  for (const host of hosts) {
    if (needsInventory(host, findHost(previous, host.id))) void refreshInventory(host.id);
  }
}

/** Subscribes to every event; returns the function that unsubscribes them all. */
export function subscribeToEvents(client: ContractClient): () => void {
  const offs = [
    client.on('host.changed', (host) => {
      const previous = findHost(useHostsStore.getState().hosts, host.id);
      useHostsStore.getState().upsertHost(host);
      if (needsInventory(host, previous)) void refreshInventory(host.id);
    }),
    client.on('hosts.changed', (hosts) => applyHostList(hosts)),
    client.on('inventory.changed', (inventory) => applyInventory(inventory)),
    client.on('task.changed', (task) => useTasksStore.getState().upsertTask(task)),
  ];
  return () => {
    for (const off of offs) off();
  };
}
