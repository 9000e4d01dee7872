import type { VmState, VmSummary } from '../../../preload/contract.js';

export type VmStateCounts = Record<VmState, number>;

export function countVmStates(vms: readonly Pick<VmSummary, 'state'>[]): VmStateCounts {
  const counts: VmStateCounts = { running: 0, paused: 0, shutoff: 0, other: 0 };
  for (const vm of vms) counts[vm.state] += 1;
  return counts;
}
