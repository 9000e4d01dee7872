/**
 * Exponential backoff with full jitter (AWS architecture blog's "full jitter"): the n-th retry
 * waits a random time between half of min(cap, base·2ⁿ) and all of it, so fifty hosts that
 * dropped together do not all knock again in the same instant.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt));
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
