/** Long or user-started work, with progress and outcome. */
import { z } from 'zod';

export const TaskState = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
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
});
export type Task = z.infer<typeof Task>;

export const taskCalls = {
  'tasks.list': { args: z.object({}).strict(), result: z.array(Task) },
  'tasks.cancel': { args: z.object({ taskId: z.string().min(1) }).strict(), result: z.null() },
} as const;

export const taskEvents = {
  'task.changed': Task,
} as const;
