/**
 * One action on many VMs across hosts (the VM list's bulk buttons, a menu on a selection): one
 * task in main, with a log line per VM; then one notice listing the VMs that failed, and a force
 * off offered for those whose shutdown the guest ignored.
 */
import type { VmAction, VmActionOutcome, VmTarget } from '../../../preload/contract.js';
import { toErrorInfo } from '../errors/errorInfo.js';
import { requireClient } from '../store/connectionStore.js';
import { useToastStore } from '../store/toastStore.js';
import { useVmActionsStore } from '../store/vmActionsStore.js';
import { refreshInventory } from './inventoryRefresh.js';

export type { VmTarget };

export async function runBulkVmAction(targets: readonly VmTarget[], action: VmAction): Promise<void> {
  const list = [...targets];
  useVmActionsStore.getState().setPendingMany(list, action);
  let outcomes: VmActionOutcome[];
  try {
    outcomes = await requireClient().call('vm.bulkAction', { targets: list, action });
  } catch (error) {
    useToastStore.getState().showError(`bulkActionFailed.${action}`, toErrorInfo(error), { count: list.length, total: list.length });
    return;
  } finally {
    useVmActionsStore.getState().setPendingMany(list, undefined);
    for (const hostId of new Set(list.map((target) => target.hostId))) void refreshInventory(hostId);
  }
  const failures = outcomes.filter((outcome) => !outcome.ok && outcome.error?.code !== 'cancelled');
  const ignoredShutdown = action === 'shutdown' ? failures.filter((outcome) => outcome.error?.code === 'timeout') : [];
  if (ignoredShutdown.length > 0) useVmActionsStore.getState().offerForceOff(ignoredShutdown.map(({ hostId, name }) => ({ hostId, name })));
  const others = failures.filter((outcome) => !ignoredShutdown.includes(outcome));
  const first = others[0];
  if (!first?.error) return;
  const error = toErrorInfo(first.error);
  const names = others.map((failure) => failure.name);
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  useToastStore.getState().showError(`bulkActionFailed.${action}`, { ...error, detail: [error.detail, shown].filter(Boolean).join('\n') }, {
    count: others.length,
    total: list.length,
  });
}
