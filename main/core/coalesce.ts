/**
 * Trailing coalescing: many calls within a window become one run at the end of it. Used to turn
 * a burst of libvirt events (a VM start prints "Resumed" and "Started" within a millisecond; a
 * bulk start prints hundreds) into one inventory re-read.
 */
import type { Disposable } from './disposable.js';

export interface CoalescedTrigger extends Disposable {
  /** Asks for a run; it happens when the current window closes. */
  (): void;
}

/**
 * Returns a trigger that runs `fn` at most once per `ms`, trailing: the first call opens a
 * window, further calls in it are absorbed, and `fn` runs once when the window closes.
 * When `fn` returns a promise, a call made while it is still running opens the next window only
 * after it settles, so slow runs (an inventory read over a slow link) never overlap or pile up,
 * and a change that lands mid-run still gets a run after it. `dispose()` cancels what is pending.
 * `fn` handles its own errors; a throw or rejection is not caught here.
 */
export function coalesceTrailing(fn: () => unknown, ms: number): CoalescedTrigger {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let requestedWhileRunning = false;
  let disposed = false;

  const openWindow = (): void => {
    timer = setTimeout(run, ms);
  };

  const settled = (): void => {
    running = false;
    if (requestedWhileRunning && !disposed) {
      requestedWhileRunning = false;
      openWindow();
    }
  };

  function run(): void {
    timer = undefined;
    running = true;
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      settled();
      throw error;
    }
    // finally() keeps a rejection visible (unhandled) instead of swallowing it here: fn owns its errors.
    if (result instanceof Promise) void result.finally(settled);
    else settled();
  }

  const trigger = (() => {
    if (disposed || timer !== undefined) return;
    if (running) requestedWhileRunning = true;
    else openWindow();
  }) as CoalescedTrigger;
  trigger.dispose = () => {
    disposed = true;
    requestedWhileRunning = false;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return trigger;
}
