/**
 * One action on many VMs (the VM list's Start / Shut down / Force off): a few calls at a time
 * so hundreds of selected machines do not flood a host, then one notice for any failures.
 */
import type { VmAction } from '../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../errors/errorInfo.js';
import { requireClient } from '../store/connectionStore.js';
import { useToastStore } from '../store/toastStore.js';
import { useVmActionsStore } from '../store/vmActionsStore.js';
import { refreshInventory } from './inventoryRefresh.js';

export interface VmTarget {
  hostId: string;
  name: string;
}

const PARALLEL = 6;

export async function runBulkVmAction(targets: readonly VmTarget[], action: VmAction): Promise<void> {
  const queue = [...targets];
  const failures: { target: VmTarget; error: ErrorInfo }[] = [];
  const hosts = new Set<string>();
  const worker = async (): Promise<void> => {
    for (let target = queue.shift(); target; target = queue.shift()) {
      hosts.add(target.hostId);
      useVmActionsStore.getState().setPending(target.hostId, target.name, action);
      try {
        await requireClient().call('vm.action', { hostId: target.hostId, name: target.name, action });
      } catch (error) {
        failures.push({ target, error: toErrorInfo(error) });
      } finally {
        useVmActionsStore.getState().setPending(target.hostId, target.name, undefined);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
  for (const hostId of hosts) void refreshInventory(hostId);
  const first = failures[0];
  if (!first) return;
  const names = failures.map((failure) => failure.target.name);
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  useToastStore.getState().showError(`bulkActionFailed.${action}`, { ...first.error, detail: [first.error.detail, shown].filter(Boolean).join('\n') }, {
    count: failures.length,
    total: targets.length,
  });
}
