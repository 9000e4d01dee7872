/**
 * Runs asynchronous tasks one after another. A read-modify-write of a file must not
 * interleave with another one on the same file, or one of them is lost. A failed task fails
 * only its own caller: the tasks queued after it still run.
 */
import { resolve } from 'node:path';

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const byFile = new Map<string, SerialQueue>();

/** The one queue for a file in this process, however many objects write to it. */
export function fileQueue(path: string): SerialQueue {
  const key = resolve(path);
  let queue = byFile.get(key);
  if (!queue) {
    queue = new SerialQueue();
    byFile.set(key, queue);
  }
  return queue;
}
