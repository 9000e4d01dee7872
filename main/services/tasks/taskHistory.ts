/**
 * The task list's rules, kept apart from files and timers so they can be tested alone: how
 * much history is kept, how long a log may grow, and what a task that was running when the app
 * stopped becomes when the history is read back.
 */
import { Task, type TaskLogLine } from '../../../preload/contract.js';

/** Finished tasks kept (in memory and in the history file). */
export const KEEP_FINISHED = 200;
/** Log lines kept per task; earlier ones are counted in `logDropped`. */
export const KEEP_LOG_LINES = 500;

/** Every running task, and the newest `keep` finished ones; in start order. */
export function boundHistory(tasks: readonly Task[], keep = KEEP_FINISHED): Task[] {
  const finished = tasks.filter((task) => task.state !== 'running').sort((a, b) => (a.endedAt ?? a.startedAt) - (b.endedAt ?? b.startedAt));
  const dropped = new Set(finished.slice(0, Math.max(0, finished.length - keep)).map((task) => task.id));
  return tasks.filter((task) => !dropped.has(task.id)).sort((a, b) => a.startedAt - b.startedAt);
}

/** A task with one more log line, the log bounded to `keep` lines. */
export function withLogLine(task: Task, line: TaskLogLine, keep = KEEP_LOG_LINES): Task {
  const log = [...(task.log ?? []), line];
  const excess = Math.max(0, log.length - keep);
  if (excess === 0) return { ...task, log };
  return { ...task, log: log.slice(excess), logDropped: (task.logDropped ?? 0) + excess };
}

/**
 * The history as read back from the file: entries that do not parse are left out, and a task
 * still marked running was cut off when the app stopped — it is shown as interrupted.
 */
export function historyFromFile(raw: unknown, now: number): Task[] {
  const entries = Array.isArray(raw) ? raw : [];
  const tasks: Task[] = [];
  for (const entry of entries) {
    const parsed = Task.safeParse(entry);
    if (!parsed.success) continue;
    const task = parsed.data;
    tasks.push(task.state === 'running' ? { ...task, state: 'interrupted', cancellable: false, endedAt: now } : task);
  }
  return boundHistory(tasks);
}
