/**
 * Creating a VM from the wizard's choice: WizardSpec → DomainPlan (OS defaults where the spec
 * leaves things open) → steps, each recorded with its undo. A failing step undoes every earlier
 * one in reverse; only what the wizard created is removed (an imported disk never is).
 */
import type { CreateStep, WizardPreview, WizardProblem, WizardSpec } from '../../preload/contract/install.js';
import type { DiskSource } from '../libvirt/xml/domainDevices.js';
import { hasInstallPhase, type DomainPlan, type PlanBootSource, type PlanDisk, type PlanNic } from './domainPlan.js';
import { osDefaults } from './osCatalog.js';
import { planProblems, vcpusAboveHostThreads, type HostFactsForPlan } from './planProblems.js';

/** The pool where the wizard keeps installer kernels and initrds (as virt-install does). */
export const BOOT_SCRATCH_POOL = 'boot-scratch';
export const BOOT_SCRATCH_PATH = '/var/lib/libvirt/boot';

/** What the steps produced before the domain is built: the boot source and disks they resolved. */
export interface ResolvedSources {
  boot: PlanBootSource;
  disks: PlanDisk[];
}

export function volumeNameFor(spec: Pick<WizardSpec, 'name' | 'storage'>): string {
  const format = spec.storage.kind === 'new' ? spec.storage.format : 'qcow2';
  return `${spec.name.trim()}.${format}`;
}

export function nicFor(spec: WizardSpec): PlanNic[] {
  const model = spec.nicModel ?? osDefaults(spec.osId).nicModel;
  const withModel = (nic: PlanNic): PlanNic => (spec.domainType === 'lxc' ? nic : { ...nic, model });
  switch (spec.network.kind) {
    case 'network':
      return [withModel({ source: { type: 'network', network: spec.network.name } })];
    case 'bridge':
      return [withModel({ source: { type: 'bridge', bridge: spec.network.name } })];
    case 'macvtap':
      return [withModel({ source: { type: 'direct', dev: spec.network.device, mode: spec.network.mode } })];
    case 'none':
      return [];
  }
}

/** The disk the storage choice gives (a new volume is named `<name>.<format>` in its pool). */
export function storageDisk(spec: WizardSpec): PlanDisk | undefined {
  const bus = spec.diskBus;
  if (spec.storage.kind === 'new') return { source: { type: 'volume', pool: spec.storage.pool, volume: volumeNameFor(spec) }, format: spec.storage.format, bus };
  if (spec.storage.kind === 'existing') return { source: { type: 'file', file: spec.storage.path }, format: spec.storage.path.endsWith('.qcow2') ? 'qcow2' : 'raw', bus };
  return undefined;
}

/**
 * The plan before any step ran: boot files and converted/overlay volumes are given by
 * `resolved` (the steps' results) or by placeholders that show what will be there.
 */
export function specToPlan(spec: WizardSpec, resolved?: Partial<ResolvedSources>): DomainPlan {
  const defaults = osDefaults(spec.osId);
  const source = spec.source;
  let boot: PlanBootSource;
  let disks: PlanDisk[] = [];
  const disk = storageDisk(spec);
  switch (source.kind) {
    case 'iso':
      boot = { kind: 'cdrom', iso: { type: 'file', file: source.path } };
      if (disk) disks = [disk];
      break;
    case 'url': {
      const kernel = `${BOOT_SCRATCH_PATH}/${spec.name.trim()}-kernel`;
      const initrd = `${BOOT_SCRATCH_PATH}/${spec.name.trim()}-initrd`;
      const cmdline = source.kernelArgs?.trim();
      const files = { kernel, initrd, ...(cmdline ? { cmdline } : {}) };
      boot = source.xenPv === true ? { kind: 'xenpv', ...files } : { kind: 'kernel', ...files };
      if (disk) disks = [disk];
      break;
    }
    case 'pxe':
      boot = { kind: 'network' };
      if (disk) disks = [disk];
      break;
    case 'import': {
      boot = { kind: 'disk' };
      const format = source.convertTo?.format ?? (source.path.endsWith('.qcow2') ? 'qcow2' : 'raw');
      const imported: DiskSource = source.convertTo
        ? { type: 'volume', pool: source.convertTo.pool, volume: `${spec.name.trim()}.${source.convertTo.format}` }
        : { type: 'file', file: source.path };
      disks = [{ source: imported, format, bus: spec.diskBus }];
      break;
    }
    case 'cloud':
      // The seed is a CD-ROM for the first boot; the final definition keeps the drive, emptied.
      boot = { kind: 'cdrom', iso: { type: 'volume', pool: source.base.pool, volume: `${spec.name.trim()}-seed.iso` } };
      disks = [{ source: { type: 'volume', pool: source.base.pool, volume: `${spec.name.trim()}.qcow2` }, format: 'qcow2', bus: spec.diskBus }];
      break;
    case 'lxc':
      boot = { kind: 'lxc', init: source.init, mounts: source.mounts };
      break;
  }
  if (resolved?.boot) boot = resolved.boot;
  if (resolved?.disks) disks = resolved.disks;
  return {
    name: spec.name.trim(),
    domainType: spec.domainType,
    arch: spec.arch,
    memoryMiB: spec.memoryMiB || defaults.memoryMiB,
    vcpus: spec.vcpus || defaults.vcpus,
    ...(spec.cpuMode ? { cpuMode: spec.cpuMode } : {}),
    firmware: spec.firmware,
    ...(spec.osId ? { osId: spec.osId } : {}),
    disks,
    nics: nicFor(spec),
    boot,
  };
}

export interface PreviewFacts extends HostFactsForPlan {
  hostThreads: number;
  kvmUsable: boolean;
  pools: { name: string; freeBytes: number; active: boolean }[];
  networks: { name: string; active: boolean; pxe: boolean }[];
}

/** Problems (refusals, on their page) and warnings of a spec against the host's facts. */
export function specProblems(spec: WizardSpec, facts: PreviewFacts): { problems: WizardProblem[]; warnings: WizardProblem[] } {
  const plan = specToPlan(spec);
  const problems: WizardProblem[] = [];
  const warnings: WizardProblem[] = [];
  let newVolume: { sizeBytes: number; poolFreeBytes: number } | undefined;
  if (spec.storage.kind === 'new') {
    const pool = facts.pools.find((entry) => entry.name === (spec.storage as { pool: string }).pool);
    if (!pool || !pool.active) problems.push({ page: 'storage', key: 'poolMissing', params: { pool: spec.storage.pool } });
    else if (spec.storage.sparse) {
      // A sparse volume takes its space as the guest writes; only warn when it could outgrow the pool.
      if (spec.storage.sizeGiB * 2 ** 30 > pool.freeBytes) warnings.push({ page: 'storage', key: 'diskMayOutgrowPool', params: { free: pool.freeBytes } });
    } else newVolume = { sizeBytes: spec.storage.sizeGiB * 2 ** 30, poolFreeBytes: pool.freeBytes };
  }
  problems.push(...planProblems(plan, facts, newVolume));
  if (spec.storage.kind === 'none' && spec.source.kind !== 'import' && spec.source.kind !== 'lxc' && spec.source.kind !== 'cloud') {
    warnings.push({ page: 'storage', key: 'noDisk' });
  }
  if (spec.network.kind === 'network') {
    const name = spec.network.name;
    const network = facts.networks.find((entry) => entry.name === name);
    if (!network) problems.push({ page: 'network', key: 'networkMissing', params: { name } });
    else if (spec.source.kind === 'pxe' && !network.pxe) warnings.push({ page: 'network', key: 'networkNoPxe', params: { name } });
  }
  if (spec.source.kind === 'pxe' && spec.network.kind === 'none') problems.push({ page: 'network', key: 'pxeNeedsNetwork' });
  if (vcpusAboveHostThreads(plan.vcpus, facts.hostThreads)) warnings.push({ page: 'resources', key: 'vcpusAboveHost', params: { threads: facts.hostThreads } });
  if (spec.domainType === 'qemu' && facts.kvmUsable) warnings.push({ page: 'resources', key: 'softwareEmulation' });
  return { problems, warnings };
}

/**
 * A source with an install phase (ISO, URL tree, PXE, cloud seed) boots its installer only at
 * the create: nothing would run it later, so such a create must start at once.
 */
export function startProblems(spec: WizardSpec, start: boolean): WizardProblem[] {
  if (start || spec.source.kind === 'lxc' || !hasInstallPhase(specToPlan(spec).boot)) return [];
  return [{ page: 'name', key: 'installNeedsStart' }];
}

export type PreviewResult = WizardPreview;

// ---------------------------------------------------------------------------------------------
// Steps with undo
// ---------------------------------------------------------------------------------------------

export interface StepRecord {
  step: CreateStep;
  /** What this step made, in words for the log (`boot-scratch/web-kernel`). */
  what: string;
  undo: () => Promise<void>;
}

/** Records what each step created, and undoes it all in reverse when a later step fails. */
export class UndoLog {
  private readonly records: StepRecord[] = [];

  add(record: StepRecord): void {
    this.records.push(record);
  }

  get size(): number {
    return this.records.length;
  }

  /** Undoes every record, last first; a failing undo is reported and the rest still run. */
  async undoAll(report: (record: StepRecord, error?: unknown) => void): Promise<void> {
    for (const record of [...this.records].reverse()) {
      try {
        await record.undo();
        report(record);
      } catch (error) {
        report(record, error);
      }
    }
    this.records.length = 0;
  }
}
