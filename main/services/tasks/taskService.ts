/**
 * Long or user-started work, reported to the renderer as tasks with progress, outcome and a
 * log. Finished tasks are kept (bounded) and, given a history file, survive a restart; a task
 * that was running when the app stopped comes back as interrupted.
 */
import { randomUUID } from 'node:crypto';
import { ContractError, type Task, type TaskLogLine } from '../../../preload/contract.js';
import { boundHistory, withLogLine } from './taskHistory.js';
import type { TaskHistoryFile } from './taskHistoryFile.js';

/** A log line as work writes it: plain text, or a catalog key with its parameters. */
export type TaskLogInput = string | { text?: string; key?: string; params?: Record<string, string>; level?: TaskLogLine['level'] };

export interface TaskContext {
  /** The task's id (what its events and cancel name). */
  taskId: string;
  signal: AbortSignal;
  progress(fraction: number | null): void;
  /** Adds a line to the task's log (what ran, how it ended); `level` defaults to info. */
  log(line: TaskLogInput, level?: TaskLogLine['level']): void;
}

export interface TaskSpec {
  titleKey: string;
  titleParams?: Record<string, string>;
  hostId?: string;
  cancellable?: boolean;
}

function logLine(input: TaskLogInput, level: TaskLogLine['level'] | undefined): TaskLogLine {
  if (typeof input === 'string') return { at: Date.now(), level: level ?? 'info', text: input };
  const line: TaskLogLine = { at: Date.now(), level: input.level ?? level ?? 'info' };
  if (input.key !== undefined) line.key = input.key;
  if (input.params !== undefined) line.params = input.params;
  if (input.text !== undefined) line.text = input.text;
  return line;
}

export class TaskService {
  private readonly tasks = new Map<string, { task: Task; controller?: AbortController }>();
  private closed = false;

  constructor(
    private readonly emit: (task: Task) => void,
    private readonly history?: TaskHistoryFile,
  ) {}

  /** Reads the history file (once, before any task runs). */
  async load(): Promise<void> {
    if (!this.history) return;
    const restored = await this.history.load();
    for (const task of restored) if (!this.tasks.has(task.id)) this.tasks.set(task.id, { task });
    // What was running is now recorded as interrupted.
    if (restored.some((task) => task.state === 'interrupted')) this.persist();
  }

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
    this.persist();
    try {
      const result = await work({
        taskId: task.id,
        signal: controller.signal,
        progress: (fraction) => this.update(task.id, { progress: fraction }),
        log: (line, level) => this.appendLog(task.id, logLine(line, level)),
      });
      this.update(task.id, { state: 'succeeded', progress: 1, endedAt: Date.now() });
      return result;
    } catch (error) {
      // Work stopped from elsewhere (an upload whose window closed its stream) is cancelled too.
      const cancelled = controller.signal.aborted || (error instanceof ContractError && error.code === 'cancelled');
      this.update(task.id, {
        state: cancelled ? 'cancelled' : 'failed',
        error: error instanceof Error ? error.message : String(error),
        endedAt: Date.now(),
      });
      throw error;
    } finally {
      const entry = this.tasks.get(task.id);
      if (entry) delete entry.controller;
      this.prune();
      this.persist();
    }
  }

  cancel(taskId: string): void {
    const entry = this.tasks.get(taskId);
    if (!entry) throw new ContractError('not-found', `No task ${taskId}`);
    if (!entry.task.cancellable || !entry.controller) throw new ContractError('bad-arguments', 'This task cannot be cancelled.');
    entry.controller.abort();
  }

  /** Forgets every finished task. */
  clearFinished(): void {
    for (const [id, entry] of this.tasks) if (entry.task.state !== 'running') this.tasks.delete(id);
    this.persist();
  }

  private appendLog(taskId: string, line: TaskLogLine): void {
    const entry = this.tasks.get(taskId);
    if (!entry || entry.task.state !== 'running') return;
    entry.task = withLogLine(entry.task, line);
    this.emit(entry.task);
  }

  private update(taskId: string, patch: Partial<Task>): void {
    const entry = this.tasks.get(taskId);
    if (!entry) return;
    entry.task = { ...entry.task, ...patch };
    this.emit(entry.task);
  }

  private prune(): void {
    const kept = new Set(boundHistory(this.list()).map((task) => task.id));
    for (const id of [...this.tasks.keys()]) if (!kept.has(id)) this.tasks.delete(id);
  }

  /** Writes the history now (on shutdown, and for tests); resolves once it is on disk. */
  async flush(): Promise<void> {
    await this.history?.save(() => boundHistory(this.list()));
  }

  /**
   * The app is stopping: the history is written as it stands, running tasks included (the next
   * start shows them as interrupted), and nothing later — such as those tasks failing as their
   * hosts' connections close — overwrites that.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private persist(): void {
    if (this.closed) return;
    // A failed write loses only this snapshot; the next change writes the whole history again.
    void this.history?.save(() => boundHistory(this.list())).catch(() => undefined);
  }
}
