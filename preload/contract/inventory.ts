/** What a host holds — VMs, networks, storage pools — and live statistics of its VMs. */
import { z } from 'zod';
import { HostRef } from './hosts.js';

/** libvirt's own domain states (virDomainState), every one of them. */
export const VmState = z.enum([
  'running',
  /** Blocked on a resource (virsh: "idle"); Xen reports it for idle guests. */
  'blocked',
  'paused',
  /** Being shut down (virsh: "in shutdown"). */
  'shutting-down',
  'shutoff',
  'crashed',
  /** Suspended by the guest's power management (S3/S4). */
  'pm-suspended',
  /** The hypervisor reports no state. */
  'no-state',
]);
export type VmState = z.infer<typeof VmState>;

export const VmSummary = z.object({
  hostId: z.string(),
  name: z.string(),
  uuid: z.string(),
  state: VmState,
  /**
   * Why it is in that state, as libvirt says (`domstate --reason`): a key such as 'booted',
   * 'user', 'destroyed', 'crashed', 'panicked', 'saved'; absent when libvirt says unknown.
   */
  stateReason: z.string().optional(),
  vcpus: z.number(),
  memoryKiB: z.number(),
  osType: z.string().optional(),
  arch: z.string().optional(),
  persistent: z.boolean(),
  autostart: z.boolean(),
  /** Has a managed-save image (`virsh managedsave`): shut off, and the next start restores it. */
  managedSave: z.boolean().optional(),
  /** IPv4/IPv6 addresses when known (DHCP leases of libvirt networks). */
  addresses: z.array(z.string()).optional(),
});
export type VmSummary = z.infer<typeof VmSummary>;

/** The fields of a VM that a delta may change, each one by name. */
export const VmField = VmSummary.keyof().exclude(['hostId', 'uuid']);
export type VmField = z.infer<typeof VmField>;

/**
 * A VM that changed, by UUID: only the fields whose values changed (`set`), and the optional
 * fields that are gone (`unset`). Filling in 300 VMs' OS types after the first read sends 300
 * small patches, not 300 whole VMs.
 */
export const VmPatch = z.object({
  uuid: z.string(),
  set: VmSummary.omit({ hostId: true, uuid: true }).partial(),
  unset: z.array(VmField).optional(),
});
export type VmPatch = z.infer<typeof VmPatch>;

export const NetworkSummary = z.object({
  hostId: z.string(),
  name: z.string(),
  uuid: z.string(),
  active: z.boolean(),
  autostart: z.boolean(),
  persistent: z.boolean(),
  bridge: z.string().optional(),
  forwardMode: z.string().optional(),
  ipv4: z.string().optional(),
  /** The first DHCP range, `start – end` (IPv4 first). */
  dhcpRange: z.string().optional(),
});
export type NetworkSummary = z.infer<typeof NetworkSummary>;

export const PoolSummary = z.object({
  hostId: z.string(),
  name: z.string(),
  uuid: z.string(),
  active: z.boolean(),
  autostart: z.boolean(),
  type: z.string(),
  path: z.string().optional(),
  capacityBytes: z.number(),
  allocationBytes: z.number(),
  availableBytes: z.number(),
});
export type PoolSummary = z.infer<typeof PoolSummary>;

export const HostInventory = z.object({
  hostId: z.string(),
  vms: z.array(VmSummary),
  networks: z.array(NetworkSummary),
  pools: z.array(PoolSummary),
  /** ms since epoch when main last read it from the host. */
  fetchedAt: z.number(),
  /**
   * main's count of this host's announced inventories (see InventoryChange); absent from
   * one-off reads that were never announced.
   */
  revision: z.number().int().nonnegative().optional(),
});
export type HostInventory = z.infer<typeof HostInventory>;

/**
 * What `inventory.changed` carries. The first announcement of a host is `full`; after that only
 * what changed since the previous revision (`delta`), keyed by UUID, so a VM starting on a host
 * with 300 VMs sends one VM, not 300. A window that missed a revision (revision is not its own + 1)
 * reads the whole inventory with `inventory.get`.
 */
export const InventoryChange = z.object({
  hostId: z.string(),
  fetchedAt: z.number(),
  revision: z.number().int().nonnegative(),
  kind: z.enum(['full', 'delta']),
  /** full: every VM (sorted by name); delta: the VMs added. */
  vms: z.array(VmSummary),
  /** delta: the VMs that changed, field by field. */
  patches: z.array(VmPatch).optional(),
  /** delta: UUIDs of VMs that are gone. */
  removedVms: z.array(z.string()),
  /** full: always; delta: only when any network changed (then the whole list). */
  networks: z.array(NetworkSummary).optional(),
  /** full: always; delta: only when any pool changed (then the whole list). */
  pools: z.array(PoolSummary).optional(),
});
export type InventoryChange = z.infer<typeof InventoryChange>;

export const VmStats = z.object({
  hostId: z.string(),
  name: z.string(),
  /** Share of one host CPU... summed over vCPUs, 0..100 × vCPUs; null on the first sample. */
  cpuPercent: z.number().nullable(),
  memoryUsedKiB: z.number().nullable(),
  diskReadBps: z.number().nullable(),
  diskWriteBps: z.number().nullable(),
  netRxBps: z.number().nullable(),
  netTxBps: z.number().nullable(),
});
export type VmStats = z.infer<typeof VmStats>;

export const inventoryCalls = {
  'inventory.get': { args: HostRef.strict(), result: HostInventory },
} as const;

export const inventoryEvents = {
  /** A host's inventory was read again and something changed (whole at first, then deltas). */
  'inventory.changed': InventoryChange,
} as const;

export const statsCalls = {
  /** Which hosts' statistics are on screen; only those are polled. */
  'stats.watch': { args: z.object({ hostIds: z.array(z.string()).max(1000) }).strict(), result: z.null() },
} as const;

export const statsEvents = {
  /** Fresh statistics for the watched hosts' running VMs. */
  'stats.changed': z.object({ hostId: z.string(), stats: z.array(VmStats), sampledAt: z.number() }),
} as const;
