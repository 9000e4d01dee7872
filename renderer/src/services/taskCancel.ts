import { toErrorInfo } from '../errors/errorInfo.js';
import { requireClient } from '../store/connectionStore.js';
import { useTasksStore } from '../store/tasksStore.js';
import { useToastStore } from '../store/toastStore.js';

export async function cancelTask(taskId: string): Promise<void> {
  try {
    await requireClient().call('tasks.cancel', { taskId });
  } catch (error) {
    useToastStore.getState().showError('tasks.cancelFailed', toErrorInfo(error));
  }
}

/** Clears finished tasks from this window's list and from main's history (kept across restarts). */
export async function clearFinishedTasks(): Promise<void> {
  useTasksStore.getState().clearFinished();
  try {
    await requireClient().call('tasks.clearFinished', {});
  } catch (error) {
    useToastStore.getState().showError('tasks.clearFailed', toErrorInfo(error));
  }
}
