/** Tasks reported by main (newest first), and which finished ones the user cleared away. */
import { create } from 'zustand';
import type { Task } from '../../../preload/contract.js';

interface TasksState {
  tasks: Task[];
  /** Finished tasks the user cleared from the list; main keeps its own history. */
  cleared: Record<string, true>;
  setTasks(tasks: Task[]): void;
  upsertTask(task: Task): void;
  clearFinished(): void;
}

function newestFirst(tasks: Task[]): Task[] {
  return tasks.sort((a, b) => b.startedAt - a.startedAt);
}

export const useTasksStore = create<TasksState>()((set) => ({
  tasks: [],
  cleared: {},
  setTasks: (tasks) => set({ tasks: newestFirst([...tasks]) }),
  upsertTask: (task) =>
    set((state) => ({ tasks: newestFirst([...state.tasks.filter((existing) => existing.id !== task.id), task]) })),
  clearFinished: () =>
    set((state) => {
      const cleared = { ...state.cleared };
      for (const task of state.tasks) if (task.state !== 'running') cleared[task.id] = true;
      return { cleared };
    }),
}));

/** The tasks shown in the status bar: everything not cleared. */
export function visibleTasks(tasks: readonly Task[], cleared: Readonly<Record<string, true>>): Task[] {
  return tasks.filter((task) => !cleared[task.id]);
}
