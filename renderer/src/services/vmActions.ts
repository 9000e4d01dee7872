import type { VmAction } from '../../../preload/contract.js';
import { toErrorInfo } from '../errors/errorInfo.js';
import { requireClient } from '../store/connectionStore.js';
import { useToastStore } from '../store/toastStore.js';
import { useVmActionsStore } from '../store/vmActionsStore.js';
import { refreshInventory } from './inventoryRefresh.js';

/** Runs a VM action; failures become a toast. The inventory is read again either way. */
export async function runVmAction(hostId: string, name: string, action: VmAction): Promise<void> {
  const pending = useVmActionsStore.getState();
  pending.setPending(hostId, name, action);
  try {
    await requireClient().call('vm.action', { hostId, name, action });
  } catch (error) {
    useToastStore.getState().showError(`vmActionFailed.${action}`, toErrorInfo(error), { name });
  } finally {
    useVmActionsStore.getState().setPending(hostId, name, undefined);
    void refreshInventory(hostId);
  }
}
