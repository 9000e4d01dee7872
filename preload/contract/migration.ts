/**
 * Moving a VM from one host of the tree to another: a pre-flight checklist that runs on both
 * hosts, the migration itself as a task with live progress, and the optional key pair that lets
 * the source host's libvirt reach the target's (set up only with the user's consent, removable).
 */
import { z } from 'zod';

export const MigrationMode = z.enum(['live', 'offline']);
export type MigrationMode = z.infer<typeof MigrationMode>;

/** copy: libvirt copies every writable disk (`--copy-storage-all`); shared: both hosts see the same storage. */
export const MigrationStorage = z.enum(['copy', 'shared']);
export type MigrationStorage = z.infer<typeof MigrationStorage>;

/** MiB/s; libvirt's `--bandwidth`. */
export const MIGRATION_BANDWIDTH_MAX = 100_000;

export const MigrationRequest = z
  .object({
    hostId: z.string().min(1),
    name: z.string().min(1),
    targetHostId: z.string().min(1),
    mode: MigrationMode.default('live'),
    storage: MigrationStorage.default('copy'),
    /** Defined (persistent) on the target afterwards, as users expect. */
    persistent: z.boolean().default(true),
    /** The definition removed from the source afterwards. */
    undefineSource: z.boolean().default(true),
    bandwidthMiBs: z.number().int().min(1).max(MIGRATION_BANDWIDTH_MAX).optional(),
  })
  .strict();
export type MigrationRequest = z.input<typeof MigrationRequest>;

export const MigrationCheckId = z.enum(['target', 'state', 'storage', 'hypervisor', 'machine', 'cpu', 'clock', 'networks', 'memory', 'name', 'connection']);
export type MigrationCheckId = z.infer<typeof MigrationCheckId>;

/**
 * Why a check ended as it did: the renderer shows `migration.reason.<reason>` (the explanation)
 * and, for warn and fail, `migration.remedy.<reason>`, both with the check's params.
 */
export const MigrationReason = z.enum([
  'target-ok',
  'target-same-host',
  'target-not-connected',
  'target-not-qemu',
  'state-running',
  'state-shut-off-offline',
  'state-not-running',
  'state-running-offline',
  'state-transient',
  'storage-copy',
  'storage-none',
  'storage-copy-no-pool',
  'storage-offline-copy',
  'storage-shared-path',
  'storage-shared-unverified',
  'storage-missing-on-target',
  'storage-file-exists-on-target',
  'hypervisor-same',
  'hypervisor-target-newer',
  'hypervisor-target-older',
  'hypervisor-driver-missing',
  'machine-available',
  'machine-missing',
  'cpu-compatible',
  'cpu-default',
  'cpu-incompatible',
  'cpu-passthrough-same',
  'cpu-passthrough-different',
  'cpu-unknown',
  'clock-close',
  'clock-apart',
  'networks-none',
  'networks-present',
  'networks-missing',
  'networks-inactive',
  'memory-enough',
  'memory-short',
  'name-free',
  'name-taken',
  'connection-ok',
  'connection-auth',
  'connection-host-key',
  'connection-unreachable',
]);
export type MigrationReason = z.infer<typeof MigrationReason>;

export const MigrationCheckStatus = z.enum(['pass', 'warn', 'fail']);
export type MigrationCheckStatus = z.infer<typeof MigrationCheckStatus>;

export const MigrationCheck = z.object({
  id: MigrationCheckId,
  status: MigrationCheckStatus,
  reason: MigrationReason,
  /** Names, paths and numbers for the translated text (network, path, versions, seconds). */
  params: z.record(z.string(), z.string()),
  /** What the host said, shown as is under the explanation (libvirt's or ssh's own message). */
  detail: z.string().optional(),
});
export type MigrationCheck = z.infer<typeof MigrationCheck>;

export const MigrationChecklist = z.object({
  checks: z.array(MigrationCheck),
  /** No failure (warnings may need the user's override). */
  allowed: z.boolean(),
  warnings: z.number(),
  /**
   * The source cannot log in to the target for libvirt's connection: the app can set up a key
   * pair for it (`vm.migrationKeySetup`). `installed`: VirtDeck's key is already there.
   */
  keySetup: z.object({ offered: z.boolean(), installed: z.boolean() }),
});
export type MigrationChecklist = z.infer<typeof MigrationChecklist>;

/** Live numbers from `virsh domjobinfo` on the source (bytes; dirty rate in pages per second). */
export const MigrationProgress = z.object({
  taskId: z.string(),
  hostId: z.string(),
  name: z.string(),
  elapsedMs: z.number().optional(),
  dataProcessed: z.number().optional(),
  dataRemaining: z.number().optional(),
  dataTotal: z.number().optional(),
  diskProcessed: z.number().optional(),
  diskRemaining: z.number().optional(),
  memoryDirtyRate: z.number().optional(),
  /** Bytes per second libvirt reports for memory. */
  memoryBps: z.number().optional(),
});
export type MigrationProgress = z.infer<typeof MigrationProgress>;

const HostPair = { hostId: z.string().min(1), targetHostId: z.string().min(1) };

export const migrationCalls = {
  /** Runs every pre-flight check on both hosts; changes nothing. */
  'vm.migrationCheck': { args: MigrationRequest, result: MigrationChecklist },
  /**
   * Checks again, then migrates as a cancellable task; refused (`migration-refused`) when a check
   * fails, or when one warns and `overrideWarnings` is not set. Resolves when the VM is on the target.
   */
  'vm.migrate': {
    args: MigrationRequest.extend({ overrideWarnings: z.boolean().default(false) }).strict(),
    result: z.object({ hostId: z.string(), name: z.string() }),
  },
  /**
   * With the user's consent: a key pair of VirtDeck's own on the source (~/.ssh/virtdeck_migrate),
   * its public key authorised on the target for the profile's user (tagged so it can be removed),
   * and the target's host key as the app verified it recorded in the source's known_hosts.
   */
  'vm.migrationKeySetup': {
    args: z.object({ ...HostPair, consent: z.literal(true) }).strict(),
    result: z.object({ publicKey: z.string(), fingerprint: z.string() }),
  },
  /** Takes VirtDeck's key out of the target's authorized_keys and its host-key line out of the source's known_hosts. */
  'vm.migrationKeyRemove': {
    args: z.object(HostPair).strict(),
    result: z.object({ removedAuthorizations: z.number(), removedKnownHosts: z.number() }),
  },
} as const;

export const migrationEvents = {
  'migration.progress': MigrationProgress,
} as const;
