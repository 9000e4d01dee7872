import { VmState, type VmSummary } from '../../../preload/contract.js';

export type VmStateCounts = Record<VmState, number>;

export function countVmStates(vms: readonly Pick<VmSummary, 'state'>[]): VmStateCounts {
  const counts = Object.fromEntries(VmState.options.map((state) => [state, 0])) as VmStateCounts;
  for (const vm of vms) counts[vm.state] += 1;
  return counts;
}

/** Always shown: what a host's counts line starts with even when they are zero. */
const ALWAYS_SHOWN: readonly VmState[] = ['running', 'paused', 'shutoff'];

/** The states to list on a counts line, in libvirt's order: the usual three, then any other with VMs in it. */
export function shownStateCounts(counts: VmStateCounts): { state: VmState; count: number }[] {
  return VmState.options.filter((state) => ALWAYS_SHOWN.includes(state) || counts[state] > 0).map((state) => ({ state, count: counts[state] }));
}
