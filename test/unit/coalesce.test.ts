import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesceTrailing } from '../../main/core/coalesce.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('coalesceTrailing', () => {
  it('runs once at the end of the window however often it was asked', () => {
    const fn = vi.fn();
    const trigger = coalesceTrailing(fn, 100);
    trigger();
    vi.advanceTimersByTime(50);
    trigger();
    trigger();
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(49);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a call after a run opens a new window', () => {
    const fn = vi.fn();
    const trigger = coalesceTrailing(fn, 100);
    trigger();
    vi.advanceTimersByTime(100);
    trigger();
    vi.advanceTimersByTime(99);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('at most once per window under a steady stream of calls', () => {
    const fn = vi.fn();
    const trigger = coalesceTrailing(fn, 100);
    for (let t = 0; t < 1000; t += 10) {
      trigger();
      vi.advanceTimersByTime(10);
    }
    expect(fn).toHaveBeenCalledTimes(10);
  });

  it('does not overlap a slow async run, and still runs once after it for calls made meanwhile', async () => {
    let finish: () => void = () => undefined;
    const fn = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const trigger = coalesceTrailing(fn, 100);
    trigger();
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
    trigger();
    trigger();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(2);
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('dispose cancels a pending run and ignores later calls', () => {
    const fn = vi.fn();
    const trigger = coalesceTrailing(fn, 100);
    trigger();
    trigger.dispose();
    trigger();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});
