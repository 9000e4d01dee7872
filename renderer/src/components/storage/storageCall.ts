/** Runs a storage call from a button or dialog: failures become a toast, the host is read again. */
import type { MessageKey, MessageParams } from '../../i18n/translate.js';
import { toErrorInfo } from '../../errors/errorInfo.js';
import { refreshInventory } from '../../services/inventoryRefresh.js';
import { useToastStore } from '../../store/toastStore.js';

export function runStorageCall<T>(hostId: string, work: Promise<T>, failKey: MessageKey, params: MessageParams, after?: () => void): Promise<T | undefined> {
  return work
    .then(
      (result) => result,
      (failure: unknown) => {
        if ((failure as { code?: string }).code !== 'cancelled') useToastStore.getState().showError(failKey, toErrorInfo(failure), params);
        return undefined;
      },
    )
    .finally(() => {
      void refreshInventory(hostId);
      after?.();
    });
}
