/**
 * Events from main can arrive faster than the screen refreshes (fifty hosts announcing their
 * lists at once). Queued work runs together once per animation frame, so a burst costs one
 * store update and one render; when frames do not come (a hidden window) a timer runs it.
 */
export interface FrameBatch {
  push(work: () => void): void;
  /** Runs what is queued now (tests, and before the subscription ends). */
  flush(): void;
}

const FALLBACK_MS = 100;

export function createFrameBatch(run: (queued: (() => void)[]) => void = (queued) => queued.forEach((work) => work())): FrameBatch {
  let queued: (() => void)[] = [];
  let frame: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    if (frame !== undefined && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
    frame = undefined;
    timer = undefined;
    const work = queued;
    queued = [];
    if (work.length > 0) run(work);
  };
  return {
    push: (work) => {
      queued.push(work);
      if (timer !== undefined) return;
      if (typeof requestAnimationFrame === 'function') frame = requestAnimationFrame(flush);
      timer = setTimeout(flush, FALLBACK_MS);
    },
    flush,
  };
}
