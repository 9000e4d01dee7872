/**
 * Tells main whose statistics are on screen (stats.watch): only those hosts are polled. The
 * list reports the hosts of its visible rows as it scrolls; calls are debounced and sent only
 * when the set changes; [] when the list is hidden.
 */
import { useConnectionStore } from '../store/connectionStore.js';

const DEBOUNCE_MS = 250;

let sent: string | null = null;
let pending: string[] | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

function keyOf(hostIds: readonly string[]): string {
  return [...new Set(hostIds)].sort().join('\u0000');
}

function flush(): void {
  timer = null;
  const next = pending;
  pending = null;
  if (next === null) return;
  const key = keyOf(next);
  if (key === sent) return;
  const client = useConnectionStore.getState().client;
  if (!client) return;
  sent = key;
  const hostIds = key === '' ? [] : key.split('\u0000');
  client.call('stats.watch', { hostIds: hostIds.slice(0, 1000) }).catch(() => {
    // Statistics are a nicety; forget what was sent so the next change tries again.
    sent = null;
  });
}

/** Debounced: the last set within 250 ms wins. */
export function watchStats(hostIds: readonly string[]): void {
  pending = [...hostIds];
  if (timer === null) timer = setTimeout(flush, DEBOUNCE_MS);
}

/** At once: the list closed or the window was hidden. */
export function unwatchStats(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  pending = [];
  flush();
}
