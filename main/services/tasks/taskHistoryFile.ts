/**
 * The task history on disk (`tasks.json` in the config directory): written atomically through
 * the file's one queue, and coalesced — while a write is under way, later changes wait and go
 * out together in the next one, so a burst of task updates costs a couple of writes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Task } from '../../../preload/contract.js';
import { writeFileAtomic } from '../../core/atomicFile.js';
import { fileQueue, type SerialQueue } from '../../core/serialQueue.js';
import { historyFromFile } from './taskHistory.js';

const FILE_VERSION = 1;

export class TaskHistoryFile {
  readonly path: string;
  private readonly writes: SerialQueue;
  private pending: (() => readonly Task[]) | undefined;
  private flushing: Promise<void> | undefined;

  constructor(configDir: string) {
    this.path = join(configDir, 'tasks.json');
    this.writes = fileQueue(this.path);
  }

  /** The history as last written, running tasks turned interrupted; empty when there is none. */
  async load(now = Date.now()): Promise<Task[]> {
    try {
      const raw = JSON.parse(await readFile(this.path, 'utf8')) as { version?: number; tasks?: unknown };
      return historyFromFile(raw.tasks, now);
    } catch {
      // No file yet, or one that cannot be read: start empty; the next write replaces it.
      return [];
    }
  }

  /** Schedules a write of what `snapshot` returns when the write happens. */
  save(snapshot: () => readonly Task[]): Promise<void> {
    this.pending = snapshot;
    this.flushing ??= this.flush();
    return this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      await this.writes.run(async () => {
        while (this.pending) {
          const take = this.pending;
          this.pending = undefined;
          await writeFileAtomic(this.path, JSON.stringify({ version: FILE_VERSION, tasks: take() }));
        }
      });
    } finally {
      this.flushing = undefined;
      // A change that arrived as the last write finished still goes out.
      if (this.pending) void this.save(this.pending).catch(() => undefined);
    }
  }
}
