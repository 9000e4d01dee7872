/**
 * Turns each inventory main reads into what the windows need to hear: the whole inventory the
 * first time, then only the VMs added, the fields that changed of the others (by UUID), the UUIDs
 * that went away, and the
 * network or pool list when one of them changed. A read that changed nothing announces nothing.
 * Revisions count announcements, so a window can tell it missed one.
 */
import type { HostInventory, InventoryChange, NetworkSummary, PoolSummary, VmField, VmPatch, VmSummary } from '../../preload/contract.js';

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((item, index) => item === b[index]);
}

const VM_FIELDS: readonly VmField[] = ['name', 'state', 'stateReason', 'vcpus', 'memoryKiB', 'osType', 'arch', 'persistent', 'autostart', 'managedSave', 'addresses'];

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return sameList(a as string[] | undefined, b as string[] | undefined);
  return a === b;
}

/** What changed from one VM to the same VM (by UUID) read again; undefined when nothing did. */
export function vmPatch(before: VmSummary, after: VmSummary): VmPatch | undefined {
  const set: Record<string, unknown> = {};
  const unset: VmField[] = [];
  for (const field of VM_FIELDS) {
    if (sameValue(before[field], after[field])) continue;
    if (after[field] === undefined) unset.push(field);
    else set[field] = after[field];
  }
  if (unset.length === 0 && Object.keys(set).length === 0) return undefined;
  return unset.length > 0 ? { uuid: after.uuid, set, unset } : { uuid: after.uuid, set };
}

/** Networks and pools are few per host: compared as a whole. */
function sameObjects(a: readonly (NetworkSummary | PoolSummary)[], b: readonly (NetworkSummary | PoolSummary)[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

export interface Published {
  /** The inventory as stored and served by inventory.get (with its revision). */
  inventory: HostInventory;
  /** What to announce; undefined when nothing changed. */
  change?: InventoryChange;
}

export class InventoryPublisher {
  private last: HostInventory | undefined;
  private revision = 0;

  publish(read: HostInventory): Published {
    const previous = this.last;
    if (!previous) {
      const inventory = { ...read, revision: ++this.revision };
      this.last = inventory;
      const { hostId, fetchedAt, revision, vms, networks, pools } = inventory;
      return { inventory, change: { hostId, fetchedAt, revision, kind: 'full', vms, removedVms: [], networks, pools } };
    }
    const before = new Map(previous.vms.map((vm) => [vm.uuid, vm]));
    const added: VmSummary[] = [];
    const patches: VmPatch[] = [];
    for (const vm of read.vms) {
      const old = before.get(vm.uuid);
      before.delete(vm.uuid);
      if (!old || old.hostId !== vm.hostId) added.push(vm);
      else {
        const patch = vmPatch(old, vm);
        if (patch) patches.push(patch);
      }
    }
    const removedVms = [...before.keys()];
    const networksChanged = !sameObjects(previous.networks, read.networks);
    const poolsChanged = !sameObjects(previous.pools, read.pools);
    if (added.length === 0 && patches.length === 0 && removedVms.length === 0 && !networksChanged && !poolsChanged) {
      const inventory = { ...read, revision: this.revision };
      this.last = inventory;
      return { inventory };
    }
    const inventory = { ...read, revision: ++this.revision };
    this.last = inventory;
    const change: InventoryChange = { hostId: read.hostId, fetchedAt: read.fetchedAt, revision: inventory.revision, kind: 'delta', vms: added, removedVms };
    if (patches.length > 0) change.patches = patches;
    if (networksChanged) change.networks = read.networks;
    if (poolsChanged) change.pools = read.pools;
    return { inventory, change };
  }
}
