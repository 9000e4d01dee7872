// The tests' bounded parallel loop (test/support/parallel.ts): every item runs once, never more
// than the limit at once, items start in order, and a failure rejects after the started ones settle.
import { describe, expect, it } from 'vitest';
import { forEachParallel } from '../support/parallel.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachParallel', () => {
  it('runs every item once, in start order, at most `limit` at once', async () => {
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    await forEachParallel([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      started.push(item);
      running += 1;
      peak = Math.max(peak, running);
      for (let n = 0; n < 8 - item; n += 1) await tick();
      running -= 1;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('rejects with the first failure once the started items have settled, and starts no more', async () => {
    const settled: number[] = [];
    const run = forEachParallel([1, 2, 3, 4, 5], 2, async (item) => {
      await tick();
      if (item === 1) throw new Error('one failed');
      await tick();
      settled.push(item);
    });
    await expect(run).rejects.toThrow('one failed');
    expect(settled).toEqual([2]);
  });
});
