/** `tasks.*`: long work with progress, cancelling it, and its history. */
import type { taskCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import type { TaskService } from './taskService.js';

export function taskHandlers(tasks: TaskService): HandlersOf<typeof taskCalls> {
  return {
    'tasks.list': async () => tasks.list(),
    'tasks.cancel': async ({ taskId }) => {
      tasks.cancel(taskId);
      return null;
    },
    'tasks.clearFinished': async () => {
      tasks.clearFinished();
      return null;
    },
  };
}
