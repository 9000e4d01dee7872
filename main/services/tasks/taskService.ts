/** Long or user-started work, reported to the renderer as tasks with progress and outcome. */
import { randomUUID } from 'node:crypto';
import { ContractError, type Task } from '../../../preload/contract.js';

const KEEP_FINISHED = 50;

export interface TaskContext {
  signal: AbortSignal;
  progress(fraction: number | null): void;
}

export interface TaskSpec {
  titleKey: string;
  titleParams?: Record<string, string>;
  hostId?: string;
  cancellable?: boolean;
}

export class TaskService {
  private readonly tasks = new Map<string, { task: Task; controller: AbortController }>();

  constructor(private readonly emit: (task: Task) => void) {}

  list(): Task[] {
    return [...this.tasks.values()].map((entry) => entry.task);
  }

  /** Runs work as a task; resolves or rejects with the work's own outcome. */
  async run<T>(spec: TaskSpec, work: (context: TaskContext) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const task: Task = {
      id: randomUUID(),
      titleKey: spec.titleKey,
      state: 'running',
      progress: null,
      cancellable: spec.cancellable ?? false,
      startedAt: Date.now(),
    };
    if (spec.titleParams) task.titleParams = spec.titleParams;
    if (spec.hostId) task.hostId = spec.hostId;
    this.tasks.set(task.id, { task, controller });
    this.update(task.id, {});
    try {
      const result = await work({
        signal: controller.signal,
        progress: (fraction) => this.update(task.id, { progress: fraction }),
      });
      this.update(task.id, { state: 'succeeded', progress: 1, endedAt: Date.now() });
      return result;
    } catch (error) {
      const cancelled = controller.signal.aborted;
      this.update(task.id, {
        state: cancelled ? 'cancelled' : 'failed',
        error: error instanceof Error ? error.message : String(error),
        endedAt: Date.now(),
      });
      throw error;
    } finally {
      this.prune();
    }
  }

  cancel(taskId: string): void {
    const entry = this.tasks.get(taskId);
    if (!entry) throw new ContractError('not-found', `No task ${taskId}`);
    if (!entry.task.cancellable) throw new ContractError('bad-arguments', 'This task cannot be cancelled.');
    entry.controller.abort();
  }

  private update(taskId: string, patch: Partial<Task>): void {
    const entry = this.tasks.get(taskId);
    if (!entry) return;
    entry.task = { ...entry.task, ...patch };
    this.emit(entry.task);
  }

  private prune(): void {
    const finished = [...this.tasks.values()].filter((entry) => entry.task.state !== 'running');
    for (const entry of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.tasks.delete(entry.task.id);
    }
  }
}
