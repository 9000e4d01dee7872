/** Reading inventories: on start, when a host connects, after actions, and on Refresh. */
import type { HostInventory, InventoryChange } from '../../../preload/contract.js';
import { toErrorInfo } from '../errors/errorInfo.js';
import { requireClient } from '../store/connectionStore.js';
import { useHostsStore } from '../store/hostsStore.js';
import { useInventoryStore } from '../store/inventoryStore.js';
import { useUiStore } from '../store/uiStore.js';

/** Stores an inventory from a read or an event, and settles the tree's first expansion. */
export function applyInventory(inventory: HostInventory): void {
  useInventoryStore.getState().setInventory(inventory);
  useUiStore.getState().decideGroupExpansion(inventory.hostId, inventory.vms.length);
}

/** Applies announcements from main; hosts that missed one are read whole. */
export function applyInventoryChanges(changes: readonly InventoryChange[]): void {
  const gaps = useInventoryStore.getState().applyChanges(changes);
  const byHost = useInventoryStore.getState().byHost;
  for (const change of changes) {
    const inventory = byHost[change.hostId];
    if (inventory) useUiStore.getState().decideGroupExpansion(change.hostId, inventory.vms.length);
  }
  for (const hostId of new Set(gaps)) void refreshInventory(hostId);
}

const inFlight = new Map<string, Promise<void>>();
const again = new Set<string>();

/**
 * Reads one host's inventory. A request while a read is running queues exactly one more
 * read after it, so the newest state always arrives without piling up calls.
 */
export function refreshInventory(hostId: string): Promise<void> {
  const running = inFlight.get(hostId);
  if (running) {
    again.add(hostId);
    return running;
  }
  const inventory = useInventoryStore.getState();
  inventory.setLoading(hostId, true);
  const work = (async () => {
    try {
      applyInventory(await requireClient().call('inventory.get', { hostId }));
    } catch (error) {
      useInventoryStore.getState().setError(hostId, toErrorInfo(error));
    } finally {
      inFlight.delete(hostId);
      useInventoryStore.getState().setLoading(hostId, false);
      if (again.delete(hostId)) void refreshInventory(hostId);
    }
  })();
  inFlight.set(hostId, work);
  return work;
}

/** Refresh (Ctrl+R / F5): every connected host. */
export function refreshAllInventories(): Promise<void> {
  const hosts = useHostsStore.getState().hosts.filter((host) => host.status === 'connected');
  return Promise.all(hosts.map((host) => refreshInventory(host.id))).then(() => undefined);
}
