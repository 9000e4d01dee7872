/**
 * Tells main whose statistics are on screen (stats.watch): only those hosts are polled. Each
 * consumer reports its own hosts — the VM list those of its visible rows as it scrolls, a VM's
 * overview its VM's host while it is shown — and main hears their union. Calls are debounced
 * and sent only when the union changes; [] when nothing is on screen.
 */
import { useConnectionStore } from '../store/connectionStore.js';

const DEBOUNCE_MS = 250;

let sent: string | null = null;
let pending: string[] | null = null;
/** What each consumer has on screen. */
const byConsumer = new Map<string, readonly string[]>();

function union(): string[] {
  return [...byConsumer.values()].flat();
}
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
export function watchStats(hostIds: readonly string[], consumer = 'vm-list'): void {
  byConsumer.set(consumer, [...hostIds]);
  pending = union();
  if (timer === null) timer = setTimeout(flush, DEBOUNCE_MS);
}

/** At once: the consumer closed (or the window was hidden); what others watch stays. */
export function unwatchStats(consumer = 'vm-list'): void {
  byConsumer.delete(consumer);
  if (timer !== null) clearTimeout(timer);
  timer = null;
  pending = union();
  flush();
}
