/**
 * Storage: pools (create, start, stop, autostart, refresh, build, delete), their volumes
 * (create, resize, clone, wipe, convert, delete) and moving files in and out of them.
 * The checks a form needs before anything changes live here too, so the form and main refuse
 * the same input for the same reason.
 */
import { z } from 'zod';
import { HostRef } from './hosts.js';

export const POOL_TYPES = ['dir', 'fs', 'netfs', 'logical', 'iscsi'] as const;
export const PoolType = z.enum(POOL_TYPES);
export type PoolType = z.infer<typeof PoolType>;

export const VOLUME_FORMATS = ['qcow2', 'raw', 'vmdk'] as const;
export const VolumeFormat = z.enum(VOLUME_FORMATS);
export type VolumeFormat = z.infer<typeof VolumeFormat>;

export const WIPE_ALGORITHMS = ['zero', 'nnsa', 'dod', 'bsi', 'gutmann', 'schneier', 'pfitzner7', 'pfitzner33', 'random'] as const;
export const WipeAlgorithm = z.enum(WIPE_ALGORITHMS);
export type WipeAlgorithm = z.infer<typeof WipeAlgorithm>;

/** Names of pools and volumes: no `/`, no leading dot or dash, no control characters. */
export const STORAGE_NAME_PATTERN = /^[\p{L}\p{N}_+][\p{L}\p{N}._+-]*$/u;
export const STORAGE_NAME_MAX = 200;

export type StorageNameProblem = 'empty' | 'slash' | 'invalid' | 'too-long' | 'duplicate';

export function storageNameProblem(name: string, existing: readonly string[]): StorageNameProblem | undefined {
  if (name === '') return 'empty';
  if (name.includes('/')) return 'slash';
  if (name.length > STORAGE_NAME_MAX) return 'too-long';
  if (!STORAGE_NAME_PATTERN.test(name)) return 'invalid';
  if (existing.includes(name)) return 'duplicate';
  return undefined;
}

const AbsolutePath = z.string().min(1).max(4096).regex(/^\/[^\n]*$/, 'an absolute path');
const HostName = z.string().min(1).max(255).regex(/^[A-Za-z0-9.:_[\]-]+$/, 'a host name or address');

/** What a new pool is made of; each type needs its own fields and nothing more. */
export const PoolSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dir'), name: z.string(), targetPath: AbsolutePath }).strict(),
  z.object({ type: z.literal('fs'), name: z.string(), device: AbsolutePath, format: z.enum(['auto', 'ext4', 'ext3', 'xfs']), targetPath: AbsolutePath }).strict(),
  z.object({ type: z.literal('netfs'), name: z.string(), server: HostName, exportPath: AbsolutePath, format: z.enum(['nfs', 'cifs']), targetPath: AbsolutePath }).strict(),
  /** An existing volume group (`devices` empty), or one built from the devices. */
  z.object({ type: z.literal('logical'), name: z.string(), volumeGroup: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.+-]+$/), devices: z.array(AbsolutePath).max(64) }).strict(),
  z.object({ type: z.literal('iscsi'), name: z.string(), portal: HostName, port: z.number().int().min(1).max(65535).optional(), iqn: z.string().min(1).max(223).regex(/^(iqn|eui|naa)\.[^\s]+$/, 'an IQN') }).strict(),
]);
export type PoolSpec = z.infer<typeof PoolSpec>;

export const PoolCreateOptions = z.object({
  /** `pool-build` first (fs: make a file system only where there is none; logical: make the VG). */
  build: z.boolean(),
  start: z.boolean(),
  autostart: z.boolean(),
});

export const StorageVolume = z.object({
  name: z.string(),
  path: z.string(),
  /** libvirt's volume type: file, block, dir, … */
  type: z.string(),
  /** raw, qcow2, vmdk, iso, … as libvirt probes it; absent when unknown. */
  format: z.string().optional(),
  capacityBytes: z.number(),
  allocationBytes: z.number(),
  backingPath: z.string().optional(),
  /** VMs on the host whose disks use this volume. */
  usedBy: z.array(z.string()),
});
export type StorageVolume = z.infer<typeof StorageVolume>;

export const PoolVolumes = z.object({
  /** The pool's own details beyond the inventory's summary. */
  targetPath: z.string().optional(),
  source: z.string().optional(),
  /** Whether files can be put straight into it (dir, fs, netfs): uploads and conversions. */
  fileBased: z.boolean(),
  volumes: z.array(StorageVolume),
});
export type PoolVolumes = z.infer<typeof PoolVolumes>;

export const PoolAction = z.enum(['start', 'stop', 'refresh', 'build', 'autostart-on', 'autostart-off']);
export type PoolAction = z.infer<typeof PoolAction>;

export const PoolDeletePlan = z.object({
  active: z.boolean(),
  /** VMs whose disks use one of its volumes: while there are any, the pool is not deleted. */
  usedBy: z.array(z.string()),
  volumes: z.number(),
  /** Whether "also delete its data" means anything for this type. */
  canDeleteData: z.boolean(),
});
export type PoolDeletePlan = z.infer<typeof PoolDeletePlan>;

const PoolRef = HostRef.extend({ pool: z.string().min(1) });
const VolumeRef = PoolRef.extend({ volume: z.string().min(1) });

export const VolumeSpec = z
  .object({
    name: z.string(),
    format: z.enum(['qcow2', 'raw']),
    capacityBytes: z.number().int().positive(),
    /** All of it up front instead of sparse (raw: fallocate; qcow2: metadata and data). */
    preallocate: z.boolean(),
    /** A volume of the same pool this one is layered on (qcow2 only). */
    backingVolume: z.string().optional(),
  })
  .strict();
export type VolumeSpec = z.infer<typeof VolumeSpec>;

export const storageCalls = {
  'storage.volumes': { args: PoolRef.strict(), result: PoolVolumes },
  'storage.poolCreate': { args: HostRef.extend({ spec: PoolSpec, options: PoolCreateOptions }).strict(), result: z.null() },
  /** The default pool (`default`, /var/lib/libvirt/images), for a host that has none. */
  'storage.createDefaultPool': { args: HostRef.strict(), result: z.null() },
  'storage.poolAction': { args: PoolRef.extend({ action: PoolAction }).strict(), result: z.null() },
  'storage.poolDeletePlan': { args: PoolRef.strict(), result: PoolDeletePlan },
  'storage.poolDelete': { args: PoolRef.extend({ deleteData: z.boolean() }).strict(), result: z.null() },
  /** Discovery: NFS exports of a server or iSCSI targets of a portal, as libvirt finds them. */
  'storage.findSources': { args: HostRef.extend({ type: z.enum(['netfs', 'iscsi']), server: HostName }).strict(), result: z.array(z.string()) },
  'storage.volumeCreate': { args: PoolRef.extend({ spec: VolumeSpec }).strict(), result: z.null() },
  'storage.volumeResize': { args: VolumeRef.extend({ capacityBytes: z.number().int().positive() }).strict(), result: z.null() },
  'storage.volumeDelete': { args: VolumeRef.strict(), result: z.null() },
  'storage.volumeClone': { args: VolumeRef.extend({ newName: z.string() }).strict(), result: z.null() },
  'storage.volumeWipe': { args: VolumeRef.extend({ algorithm: WipeAlgorithm }).strict(), result: z.null() },
  /** A copy in another format next to it (`qemu-img convert`); resolves with the new volume's path. */
  'storage.volumeConvert': { args: VolumeRef.extend({ format: VolumeFormat, newName: z.string() }).strict(), result: z.object({ path: z.string() }) },
  /** Points a VM's disks that use `fromPath` at `toPath` (in its persistent definition). */
  'storage.retargetDisk': { args: HostRef.extend({ vm: z.string().min(1), fromPath: AbsolutePath, toPath: AbsolutePath, format: VolumeFormat }).strict(), result: z.null() },
} as const;

export const storageStreams = {
  /**
   * A new volume from the renderer's bytes: exactly `size` of them, then `end`. It runs as a
   * task; a cancelled or failed upload leaves no volume. Only into file-based pools.
   */
  'volume.upload': { args: PoolRef.extend({ name: z.string(), size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict() },
  /**
   * A volume's bytes, then the stream closes (with an error if cut short); runs as a task.
   * `transfer`, chosen by the renderer, is put in the task's title parameters so a page whose
   * browser saves the bytes itself (web mode's HTTP download) can follow that task.
   */
  'volume.download': { args: VolumeRef.extend({ transfer: z.string().regex(/^[A-Za-z0-9-]{8,64}$/).optional() }).strict() },
} as const;
