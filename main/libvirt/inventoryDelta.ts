/**
 * Turns each inventory main reads into what the windows need to hear: the whole inventory the
 * first time, then only the VMs that changed (by UUID), the UUIDs that went away, and the
 * network or pool list when one of them changed. A read that changed nothing announces nothing.
 * Revisions count announcements, so a window can tell it missed one.
 */
import type { HostInventory, InventoryChange, NetworkSummary, PoolSummary, VmSummary } from '../../preload/contract.js';

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((item, index) => item === b[index]);
}

export function sameVm(a: VmSummary, b: VmSummary): boolean {
  return (
    a.name === b.name &&
    a.state === b.state &&
    a.stateReason === b.stateReason &&
    a.vcpus === b.vcpus &&
    a.memoryKiB === b.memoryKiB &&
    a.osType === b.osType &&
    a.arch === b.arch &&
    a.persistent === b.persistent &&
    a.autostart === b.autostart &&
    Boolean(a.managedSave) === Boolean(b.managedSave) &&
    a.hostId === b.hostId &&
    sameList(a.addresses, b.addresses)
  );
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
    const changed: VmSummary[] = [];
    for (const vm of read.vms) {
      const old = before.get(vm.uuid);
      before.delete(vm.uuid);
      if (!old || !sameVm(old, vm)) changed.push(vm);
    }
    const removedVms = [...before.keys()];
    const networksChanged = !sameObjects(previous.networks, read.networks);
    const poolsChanged = !sameObjects(previous.pools, read.pools);
    if (changed.length === 0 && removedVms.length === 0 && !networksChanged && !poolsChanged) {
      const inventory = { ...read, revision: this.revision };
      this.last = inventory;
      return { inventory };
    }
    const inventory = { ...read, revision: ++this.revision };
    this.last = inventory;
    const change: InventoryChange = { hostId: read.hostId, fetchedAt: read.fetchedAt, revision: inventory.revision, kind: 'delta', vms: changed, removedVms };
    if (networksChanged) change.networks = read.networks;
    if (poolsChanged) change.pools = read.pools;
    return { inventory, change };
  }
}
