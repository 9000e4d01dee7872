/**
 * Running VM actions from anywhere (the VM's toolbar, a menu, a shortcut, the VM list): the
 * ones that lose state ask first, one VM is one call, many are one bulk task. Failures become a
 * toast; a shutdown the guest ignored offers a force off instead.
 */
import type { VmAction, VmTarget } from '../../../preload/contract.js';
import { toErrorInfo } from '../errors/errorInfo.js';
import { vmActionAsksFirst } from '../model/vmActionAvailability.js';
import { requireClient } from '../store/connectionStore.js';
import { useToastStore } from '../store/toastStore.js';
import { useVmActionsStore } from '../store/vmActionsStore.js';
import { runBulkVmAction } from './bulkVmActions.js';
import { refreshInventory } from './inventoryRefresh.js';

/** Runs an action on the targets, asking first where the action loses the guest's state. */
export function requestVmAction(targets: readonly VmTarget[], action: VmAction): void {
  if (targets.length === 0) return;
  if (vmActionAsksFirst(action)) useVmActionsStore.getState().ask({ action, targets: [...targets] });
  else void performVmAction(targets, action);
}

/** Runs an action without asking (the question, if any, was answered). */
export async function performVmAction(targets: readonly VmTarget[], action: VmAction): Promise<void> {
  const [only] = targets;
  if (targets.length === 1 && only) await runVmAction(only.hostId, only.name, action);
  else if (targets.length > 1) await runBulkVmAction(targets, action);
}

/** Runs a VM action; failures become a toast. The inventory is read again either way. */
export async function runVmAction(hostId: string, name: string, action: VmAction): Promise<void> {
  const pending = useVmActionsStore.getState();
  pending.setPending(hostId, name, action);
  try {
    await requireClient().call('vm.action', { hostId, name, action });
  } catch (error) {
    const info = toErrorInfo(error);
    if (action === 'shutdown' && info.code === 'timeout') useVmActionsStore.getState().offerForceOff([{ hostId, name }]);
    else if (info.code !== 'cancelled') useToastStore.getState().showError(`vmActionFailed.${action}`, info, { name });
  } finally {
    useVmActionsStore.getState().setPending(hostId, name, undefined);
    void refreshInventory(hostId);
  }
}
