/**
 * The fleet advisor: tuning and capacity rules checked across every host at once, from what main
 * already holds (inventories, domain definitions, one facts read per host), each finding with
 * the remedy that fixes it. Findings carry catalog keys and parameters, never English: the
 * renderer translates `advisor.rule.<rule>.explain` and `advisor.remedy.<kind>` with `params`.
 */
import { z } from 'zod';

/** The rules, one per kind of problem (a finding's id starts with its rule). */
export const AdvisorRule = z.enum([
  /** The same MAC on two or more guests anywhere in the fleet. */
  'mac-collision',
  /** vCPUs of a host's running guests against its threads. */
  'cpu-overcommit',
  /** vCPUs of a host's autostart guests against its threads (what a reboot of the host starts). */
  'cpu-overcommit-autostart',
  /** Maximum memory of a host's guests against its memory (with KSM's state). */
  'memory-overcommit',
  /** A raw disk on a VM that has snapshots (raw images cannot take internal snapshots). */
  'raw-disk-snapshots',
  /** Disk cache mode `unsafe` or `writeback`. */
  'disk-cache',
  /** IDE or SATA disk bus on a Linux guest that supports virtio. */
  'disk-bus',
  /** Emulated NIC (rtl8139, e1000) on a guest whose OS supports virtio. */
  'nic-model',
  /** A `type='qemu'` (TCG, software emulation) guest on a host where KVM is usable. */
  'domain-type-qemu',
  /** A `type='kvm'` guest on a host where KVM is not usable (it cannot start). */
  'domain-type-kvm',
  /** A host's clock differs from the workstation's by more than the threshold. */
  'clock-offset',
  /** The largest clock difference between two hosts exceeds the threshold. */
  'clock-spread',
]);
export type AdvisorRule = z.infer<typeof AdvisorRule>;

/** `warning`: worth a look; `critical`: above the user's limit, or losing data / not starting. */
export const AdvisorSeverity = z.enum(['info', 'warning', 'critical']);
export type AdvisorSeverity = z.infer<typeof AdvisorSeverity>;

/** What a remedy does; the renderer shows `advisor.remedy.<kind>` (with the finding's params). */
export const AdvisorRemedyKind = z.enum([
  /** A new MAC for one interface, unique across the fleet (52:54:00 prefix). */
  'new-mac',
  'nic-virtio',
  'disk-bus-virtio',
  'disk-cache-none',
  'domain-type-kvm',
  'domain-type-qemu',
  /** A qcow2 copy of the raw volume next to it, and the disk pointed at it (the raw one is kept). */
  'convert-qcow2',
]);
export type AdvisorRemedyKind = z.infer<typeof AdvisorRemedyKind>;

export const AdvisorVmRef = z.object({ hostId: z.string(), name: z.string(), uuid: z.string() });
export type AdvisorVmRef = z.infer<typeof AdvisorVmRef>;

export const AdvisorRemedy = z.object({
  kind: AdvisorRemedyKind,
  /** The VM the remedy changes. */
  vm: AdvisorVmRef,
  /** It reaches a running guest only after its next restart (shown as a caveat). */
  afterRestart: z.boolean(),
});
export type AdvisorRemedy = z.infer<typeof AdvisorRemedy>;

export const AdvisorFinding = z.object({
  /** Stable across recomputations: `<rule>:<object>` (the object is a host, VM + device, or MAC). */
  id: z.string(),
  rule: AdvisorRule,
  severity: AdvisorSeverity,
  /** Hosts involved (for the tree's badges and links). */
  hostIds: z.array(z.string()),
  /** VMs involved (links into the tree). */
  vms: z.array(AdvisorVmRef),
  /** Parameters of `advisor.rule.<rule>.explain` and of the remedy's text (strings, ready to interpolate). */
  params: z.record(z.string(), z.string()),
  remedy: AdvisorRemedy.optional(),
  /** Silenced by the user (kept in the list, left out of the counts). */
  silenced: z.boolean(),
});
export type AdvisorFinding = z.infer<typeof AdvisorFinding>;

/** What main knows of a host for the rules (one read per host, never per VM). */
export const AdvisorHostFacts = z.object({
  hostId: z.string(),
  /** Logical CPUs (threads), null when unknown. */
  threads: z.number().int().nullable(),
  memoryKiB: z.number().int().nullable(),
  /** Whether the host can run `type='kvm'` guests (its capabilities list the kvm domain type); null when unknown. */
  kvmUsable: z.boolean().nullable(),
  /** `/sys/kernel/mm/ksm/run` = 1, and `pages_sharing`; null when unreadable. */
  ksm: z.object({ running: z.boolean(), pagesSharing: z.number().int() }).nullable(),
  /** Host clock minus the workstation's, in ms, measured against the round trip's midpoint; null when not measured. */
  clockOffsetMs: z.number().nullable(),
  /** Half the round trip of that measurement (its uncertainty), ms. */
  clockUncertaintyMs: z.number().nullable(),
  measuredAt: z.number(),
});
export type AdvisorHostFacts = z.infer<typeof AdvisorHostFacts>;

export const AdvisorCounts = z.object({ info: z.number().int(), warning: z.number().int(), critical: z.number().int() });
export type AdvisorCounts = z.infer<typeof AdvisorCounts>;

export const AdvisorSettings = z.object({
  /** vCPUs per host thread above which CPU overcommit is critical (above 1× it is a warning). */
  cpuRatio: z.number().min(1).max(64),
  /** Ids of silenced findings. */
  silenced: z.array(z.string()),
});
export type AdvisorSettings = z.infer<typeof AdvisorSettings>;
export const DEFAULT_ADVISOR_SETTINGS: AdvisorSettings = { cpuRatio: 4, silenced: [] };
/** Clock differences above this (ms) are findings. */
export const CLOCK_THRESHOLD_MS = 1000;

export const AdvisorReport = z.object({
  /** Grows with every recomputation that changed something (as in `advisor.changed`). */
  revision: z.number().int().nonnegative(),
  computedAt: z.number(),
  settings: AdvisorSettings,
  /** Every finding, silenced ones included, most severe first. */
  findings: z.array(AdvisorFinding),
  hosts: z.array(AdvisorHostFacts),
  /** Unsilenced findings per host id (the tree's badges). */
  countsByHost: z.record(z.string(), AdvisorCounts),
});
export type AdvisorReport = z.infer<typeof AdvisorReport>;

/** Why a remedy was refused (catalog `advisor.refused.<reason>`); nothing was changed. */
export const AdvisorRefusal = z.enum([
  /** No finding with that id now (already fixed, or the inventory changed). */
  'gone',
  /** The object changed since the finding was computed and the finding no longer holds. */
  'changed',
  /** The finding has no remedy VirtDeck can run. */
  'no-remedy',
  /** The raw disk is not a volume of a file-based pool, so it cannot be converted. */
  'not-a-volume',
  /** The disk belongs to a running VM: converting an image in use would copy it mid-write. Shut it down first. */
  'vm-running',
]);
export type AdvisorRefusal = z.infer<typeof AdvisorRefusal>;

export const AdvisorRemedyResult = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('applied') }),
  z.object({ outcome: z.literal('refused'), reason: AdvisorRefusal }),
]);
export type AdvisorRemedyResult = z.infer<typeof AdvisorRemedyResult>;

export const AdvisorExportFormat = z.enum(['csv', 'json']);
export type AdvisorExportFormat = z.infer<typeof AdvisorExportFormat>;

export const advisorCalls = {
  /** The findings as computed now (from held inventories; no commands to the hosts). */
  'advisor.findings': { args: z.object({}).strict(), result: AdvisorReport },
  /** Reads every connected host's facts again (threads, memory, KVM, KSM, clock), then recomputes. */
  'advisor.refresh': { args: z.object({}).strict(), result: AdvisorReport },
  'advisor.setCpuRatio': { args: z.object({ ratio: z.number().min(1).max(64) }).strict(), result: AdvisorSettings },
  /** Silences (or brings back) one finding by its id; kept in the settings. */
  'advisor.silence': { args: z.object({ findingId: z.string().min(1).max(600), silenced: z.boolean() }).strict(), result: AdvisorSettings },
  /** The findings as a file's text (silenced ones included, marked). */
  'advisor.export': { args: z.object({ format: AdvisorExportFormat }).strict(), result: z.object({ fileName: z.string(), mimeType: z.string(), text: z.string() }) },
  /**
   * Runs a finding's remedy as a task, after re-checking it against a fresh read of its VM.
   * A remedy that fails leaves the VM as it was (the error says why).
   */
  'advisor.remedy': { args: z.object({ findingId: z.string().min(1).max(600) }).strict(), result: AdvisorRemedyResult },
} as const;

export const advisorEvents = {
  /** The findings changed (after an inventory change, a facts read or a settings change): read them with `advisor.findings`. */
  'advisor.changed': z.object({ revision: z.number().int().nonnegative(), countsByHost: z.record(z.string(), AdvisorCounts) }),
} as const;
