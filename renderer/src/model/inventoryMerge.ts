/**
 * Applies an `inventory.changed` announcement to the inventory a window holds. Unchanged VMs keep
 * their objects, so rows and tree nodes memoised on them are not rebuilt.
 */
import type { HostInventory, InventoryChange, VmPatch, VmSummary } from '../../../preload/contract.js';

export type MergeResult =
  | { kind: 'applied'; inventory: HostInventory }
  /** Older than or equal to what is held: nothing to do. */
  | { kind: 'stale' }
  /** A revision was missed (or nothing is held): read the whole inventory. */
  | { kind: 'gap' };

const byName = (a: VmSummary, b: VmSummary) => a.name.localeCompare(b.name);

/** A VM with a patch applied: a new object, the patch's fields set and its unset fields gone. */
export function applyVmPatch(vm: VmSummary, patch: VmPatch): VmSummary {
  const next: Record<string, unknown> = { ...vm, ...patch.set };
  for (const field of patch.unset ?? []) delete next[field];
  return next as VmSummary;
}

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
  const patches = new Map((change.patches ?? []).map((patch) => [patch.uuid, patch]));
  let reorder = false;
  const vms: VmSummary[] = [];
  for (const vm of existing.vms) {
    if (removed.has(vm.uuid)) continue;
    const patch = patches.get(vm.uuid);
    if (patch) {
      patches.delete(vm.uuid);
      const patched = applyVmPatch(vm, patch);
      if (patched.name !== vm.name) reorder = true;
      vms.push(patched);
      continue;
    }
    const update = updates.get(vm.uuid);
    if (update) {
      updates.delete(vm.uuid);
      if (update.name !== vm.name) reorder = true;
      vms.push(update);
    } else {
      vms.push(vm);
    }
  }
  // A patch for a VM this window does not hold: what it holds is not what main patched.
  if (patches.size > 0) return { kind: 'gap' };
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
