import { toErrorInfo } from '../errors/errorInfo.js';
import { requireClient } from '../store/connectionStore.js';
import { useToastStore } from '../store/toastStore.js';

export async function cancelTask(taskId: string): Promise<void> {
  try {
    await requireClient().call('tasks.cancel', { taskId });
  } catch (error) {
    useToastStore.getState().showError('tasks.cancelFailed', toErrorInfo(error));
  }
}
