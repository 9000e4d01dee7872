/** A VM's snapshots: the tree, what the VM's disks allow, and creating, reverting, deleting. */
import { z } from 'zod';

const VmRef = { hostId: z.string().min(1), name: z.string().min(1) };

export const SnapshotInfo = z.object({
  name: z.string(),
  parent: z.string().optional(),
  description: z.string().optional(),
  /** libvirt's state of the guest when it was taken: running, shutoff, paused, disk-snapshot … */
  state: z.string(),
  /** Seconds since the epoch. */
  creationTime: z.number().optional(),
  current: z.boolean(),
  /** The guest's memory: not saved, inside the qcow2 images, or in a file of its own. */
  memory: z.enum(['no', 'internal', 'external']),
  /** Overlay files (external) rather than inside the images (internal). */
  external: z.boolean(),
});
export type SnapshotInfo = z.infer<typeof SnapshotInfo>;

export const SnapshotKind = z.enum(['internal', 'external-disk', 'external-memory']);
export type SnapshotKind = z.infer<typeof SnapshotKind>;

/** Why a kind of snapshot cannot be taken of this VM (the renderer explains each). */
export const SnapshotUnavailableReason = z.enum(['no-disk', 'raw-disk', 'pflash', 'network-disk', 'not-running']);
export type SnapshotUnavailableReason = z.infer<typeof SnapshotUnavailableReason>;

export const SnapshotKindOption = z.object({
  kind: SnapshotKind,
  available: z.boolean(),
  reason: SnapshotUnavailableReason.optional(),
});

export const SnapshotDisk = z.object({
  target: z.string(),
  /** The image format libvirt is told (qcow2, raw, …); absent when the definition names none. */
  format: z.string().optional(),
  path: z.string().optional(),
});

export const SnapshotOverview = z.object({
  snapshots: z.array(SnapshotInfo),
  running: z.boolean(),
  options: z.array(SnapshotKindOption),
  /** The VM's writable disks, for the explanation of what is possible. */
  disks: z.array(SnapshotDisk),
  /** libvirt before 9.9 can neither revert to nor fully delete an external snapshot. */
  externalRevert: z.boolean(),
});
export type SnapshotOverview = z.infer<typeof SnapshotOverview>;

/** A snapshot's name: what libvirt and a file name next to the disk both accept. */
export const SNAPSHOT_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._+-]*$/u;
export const SNAPSHOT_NAME_MAX = 100;

export type SnapshotNameProblem = 'empty' | 'invalid' | 'too-long' | 'duplicate';

export function snapshotNameProblem(name: string, existing: readonly string[]): SnapshotNameProblem | undefined {
  if (name.trim() === '') return 'empty';
  if (name.length > SNAPSHOT_NAME_MAX) return 'too-long';
  if (!SNAPSHOT_NAME_PATTERN.test(name)) return 'invalid';
  if (existing.includes(name)) return 'duplicate';
  return undefined;
}

export const snapshotCalls = {
  'snapshots.list': { args: z.object(VmRef).strict(), result: SnapshotOverview },
  'snapshots.create': {
    args: z.object({ ...VmRef, snapshot: z.string().min(1).max(SNAPSHOT_NAME_MAX), description: z.string().max(4000).optional(), kind: SnapshotKind }).strict(),
    result: z.null(),
  },
  'snapshots.revert': { args: z.object({ ...VmRef, snapshot: z.string().min(1) }).strict(), result: z.null() },
  'snapshots.delete': { args: z.object({ ...VmRef, snapshot: z.string().min(1), children: z.boolean() }).strict(), result: z.null() },
} as const;
