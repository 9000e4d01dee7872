/** Long or user-started work, with progress, outcome and a log; kept across restarts. */
import { z } from 'zod';

/** `interrupted`: it was running when the app stopped (read back from the history file). */
export const TaskState = z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type TaskState = z.infer<typeof TaskState>;

/**
 * One line of a task's log: what ran and how it ended. `key` (with `params`) is a catalog key
 * the renderer translates; `text` is shown as is (a command line, libvirt's own message).
 */
export const TaskLogLine = z.object({
  at: z.number(),
  level: z.enum(['info', 'ok', 'error']),
  key: z.string().optional(),
  params: z.record(z.string(), z.string()).optional(),
  text: z.string().optional(),
});
export type TaskLogLine = z.infer<typeof TaskLogLine>;

export const Task = z.object({
  id: z.string(),
  hostId: z.string().optional(),
  /** Catalog key of the title, and its parameters: the renderer translates. */
  titleKey: z.string(),
  titleParams: z.record(z.string(), z.string()).optional(),
  state: TaskState,
  /** 0..1, or null when the amount of work is unknown. */
  progress: z.number().nullable(),
  cancellable: z.boolean(),
  error: z.string().optional(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  /** The last lines of its log (bounded; `logDropped` counts the earlier ones let go). */
  log: z.array(TaskLogLine).optional(),
  logDropped: z.number().int().nonnegative().optional(),
});
export type Task = z.infer<typeof Task>;

export const taskCalls = {
  /** Running tasks and the history of finished ones (newest last), kept across restarts. */
  'tasks.list': { args: z.object({}).strict(), result: z.array(Task) },
  'tasks.cancel': { args: z.object({ taskId: z.string().min(1) }).strict(), result: z.null() },
  /** Forgets finished tasks (the history file too); running ones stay. */
  'tasks.clearFinished': { args: z.object({}).strict(), result: z.null() },
} as const;

export const taskEvents = {
  'task.changed': Task,
} as const;
