/** Whole seconds until `at` (rounded up, never negative): "Retrying in 5 s". */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}
