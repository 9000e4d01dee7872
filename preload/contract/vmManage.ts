/** Cloning a VM on its host, and deleting a VM with the volumes the user chose. */
import { z } from 'zod';

const VmRef = { hostId: z.string().min(1), name: z.string().min(1) };

/** A new VM name: letters and digits of any script, then also . _ + - (no spaces, no /). */
export const VM_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._+-]*$/u;
export const VM_NAME_MAX = 100;

export type VmNameProblem = 'empty' | 'invalid' | 'too-long' | 'duplicate';

/** Why a new VM name is refused; `existing` are the names already on that host. */
export function vmNameProblem(name: string, existing: readonly string[]): VmNameProblem | undefined {
  if (name === '') return 'empty';
  if (name.length > VM_NAME_MAX) return 'too-long';
  if (!VM_NAME_PATTERN.test(name)) return 'invalid';
  if (existing.includes(name)) return 'duplicate';
  return undefined;
}

export const CloneDiskPlan = z.object({
  target: z.string(),
  device: z.string(),
  path: z.string().optional(),
  /** copy: a new volume in the same pool; share: the clone uses the same file (read-only, shareable, CD-ROM, empty). */
  action: z.enum(['copy', 'share']),
  pool: z.string().optional(),
  newVolume: z.string().optional(),
  sizeBytes: z.number().optional(),
});
export type CloneDiskPlan = z.infer<typeof CloneDiskPlan>;

export const CloneBlocker = z.enum(['running', 'disk-not-in-pool', 'volume-exists', 'transient']);
export type CloneBlocker = z.infer<typeof CloneBlocker>;

export const ClonePlan = z.object({
  disks: z.array(CloneDiskPlan),
  interfaces: z.number(),
  /** Why it cannot be cloned as it is (empty when it can), with the disk or volume concerned. */
  blockers: z.array(z.object({ reason: CloneBlocker, subject: z.string().optional() })),
});
export type ClonePlan = z.infer<typeof ClonePlan>;

export const DeleteVolume = z.object({
  target: z.string(),
  device: z.string(),
  path: z.string(),
  pool: z.string().optional(),
  volume: z.string().optional(),
  iso: z.boolean(),
  readonly: z.boolean(),
  shareable: z.boolean(),
  /** Other VMs on the host whose disks use the same path. */
  usedBy: z.array(z.string()),
  /** Kept unless the user ticks it: ISOs, read-only or shared media, volumes other VMs use. */
  deleteByDefault: z.boolean(),
});
export type DeleteVolume = z.infer<typeof DeleteVolume>;

export const DeletePlan = z.object({
  running: z.boolean(),
  persistent: z.boolean(),
  volumes: z.array(DeleteVolume),
  snapshots: z.number(),
  managedSave: z.boolean(),
  nvram: z.string().optional(),
});
export type DeletePlan = z.infer<typeof DeletePlan>;

export const vmManageCalls = {
  'vm.clonePlan': { args: z.object({ ...VmRef, newName: z.string() }).strict(), result: ClonePlan },
  'vm.clone': { args: z.object({ ...VmRef, newName: z.string().min(1) }).strict(), result: z.object({ name: z.string(), uuid: z.string() }) },
  'vm.deletePlan': { args: z.object(VmRef).strict(), result: DeletePlan },
  'vm.delete': {
    args: z.object({ ...VmRef, volumes: z.array(z.string()), confirmName: z.string().optional() }).strict(),
    result: z.object({ removedVolumes: z.array(z.string()) }),
  },
} as const;
