/**
 * Applies an `inventory.changed` announcement to the inventory a window holds. Unchanged VMs keep
 * their objects, so rows and tree nodes memoised on them are not rebuilt.
 */
import type { HostInventory, InventoryChange, VmSummary } from '../../../preload/contract.js';

export type MergeResult =
  | { kind: 'applied'; inventory: HostInventory }
  /** Older than or equal to what is held: nothing to do. */
  | { kind: 'stale' }
  /** A revision was missed (or nothing is held): read the whole inventory. */
  | { kind: 'gap' };

const byName = (a: VmSummary, b: VmSummary) => a.name.localeCompare(b.name);

export function mergeInventoryChange(existing: HostInventory | undefined, change: InventoryChange): MergeResult {
  const held = existing?.revision ?? -1;
  if (existing && held >= change.revision) return { kind: 'stale' };
  if (change.kind === 'full') {
    const { hostId, fetchedAt, revision, vms, networks = [], pools = [] } = change;
    return { kind: 'applied', inventory: { hostId, fetchedAt, revision, vms, networks, pools } };
  }
  if (!existing || held !== change.revision - 1) return { kind: 'gap' };
  const removed = new Set(change.removedVms);
  const updates = new Map(change.vms.map((vm) => [vm.uuid, vm]));
  let reorder = false;
  const vms: VmSummary[] = [];
  for (const vm of existing.vms) {
    if (removed.has(vm.uuid)) continue;
    const update = updates.get(vm.uuid);
    if (update) {
      updates.delete(vm.uuid);
      if (update.name !== vm.name) reorder = true;
      vms.push(update);
    } else {
      vms.push(vm);
    }
  }
  for (const added of updates.values()) {
    vms.push(added);
    reorder = true;
  }
  if (reorder) vms.sort(byName);
  return {
    kind: 'applied',
    inventory: {
      hostId: existing.hostId,
      fetchedAt: change.fetchedAt,
      revision: change.revision,
      vms,
      networks: change.networks ?? existing.networks,
      pools: change.pools ?? existing.pools,
    },
  };
}
