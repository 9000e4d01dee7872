/** Tab list arithmetic, kept apart from the store so it can be tested on its own. */

/** The key `delta` steps away from `activeKey`, wrapping around. */
export function cycleKey(keys: readonly string[], activeKey: string | null, delta: number): string | null {
  if (keys.length === 0) return null;
  const index = activeKey === null ? -1 : keys.indexOf(activeKey);
  const start = index < 0 ? (delta > 0 ? -1 : 0) : index;
  const next = (((start + delta) % keys.length) + keys.length) % keys.length;
  return keys[next] ?? null;
}

/** The tab to show after closing `closingKey`: its right neighbour, else its left one. */
export function keyAfterClose(keys: readonly string[], closingKey: string, activeKey: string | null): string | null {
  const remaining = keys.filter((key) => key !== closingKey);
  if (activeKey !== closingKey) return activeKey !== null && remaining.includes(activeKey) ? activeKey : remaining[0] ?? null;
  const index = keys.indexOf(closingKey);
  return remaining[index] ?? remaining[index - 1] ?? null;
}
