/**
 * Checks of a plan against what the host reported, before anything is created. Each problem
 * names the wizard page where it is fixed, so the form shows it there.
 */
import { vmNameProblem } from '../../preload/contract/vmManage.js';
import type { DomainPlan } from './domainPlan.js';

export type PlanPage = 'source' | 'resources' | 'storage' | 'network' | 'name';

export interface PlanProblem {
  page: PlanPage;
  /** Catalog-style key with parameters, translated by the renderer. */
  key: 'nameEmpty' | 'nameInvalid' | 'nameTaken' | 'memoryBeyondHost' | 'memoryTooSmall' | 'vcpusTooFew' | 'diskBeyondPool' | 'uefiMissing';
  params?: Record<string, string | number>;
}

export interface HostFactsForPlan {
  /** Names of the domains defined on the host. */
  domainNames: readonly string[];
  hostMemoryMiB: number;
  uefiAvailable: boolean;
}

export interface NewVolumeForPlan {
  sizeBytes: number;
  /** Free bytes in the chosen pool. */
  poolFreeBytes: number;
}

export function planProblems(plan: DomainPlan, host: HostFactsForPlan, newVolume?: NewVolumeForPlan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const name = plan.name.trim();
  // The same rule as a clone's new name.
  const nameProblem = vmNameProblem(name, host.domainNames);
  if (nameProblem === 'empty') problems.push({ page: 'name', key: 'nameEmpty' });
  else if (nameProblem === 'invalid' || nameProblem === 'too-long') problems.push({ page: 'name', key: 'nameInvalid' });
  else if (nameProblem === 'duplicate') problems.push({ page: 'name', key: 'nameTaken', params: { name } });
  if (plan.memoryMiB < 16) problems.push({ page: 'resources', key: 'memoryTooSmall' });
  else if (plan.memoryMiB > host.hostMemoryMiB) problems.push({ page: 'resources', key: 'memoryBeyondHost', params: { host: host.hostMemoryMiB } });
  if (!Number.isInteger(plan.vcpus) || plan.vcpus < 1) problems.push({ page: 'resources', key: 'vcpusTooFew' });
  if (plan.firmware === 'uefi' && !host.uefiAvailable) problems.push({ page: 'resources', key: 'uefiMissing' });
  if (newVolume !== undefined && newVolume.sizeBytes > newVolume.poolFreeBytes) {
    problems.push({ page: 'storage', key: 'diskBeyondPool', params: { free: newVolume.poolFreeBytes } });
  }
  return problems;
}

/** A warning, not a refusal: more vCPUs than the host has threads makes the guest slower. */
export function vcpusAboveHostThreads(vcpus: number, hostThreads: number): boolean {
  return vcpus > hostThreads;
}
