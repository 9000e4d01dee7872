/**
 * The registry hands one event to every page's socket in turn; encoding it once for all of them
 * keeps a second window (or a benchmark's own socket) from doubling main's JSON work.
 */
import { perf } from '../core/perfTrace.js';

export type EventEncoder = (name: string, payload: unknown) => string;

export function createEventEncoder(): EventEncoder {
  let lastPayload: unknown;
  let lastName = '';
  let lastText = '';
  return (name, payload) => {
    // Payloads are objects built per emit, so identity tells the same event apart from a new one.
    if (payload !== lastPayload || name !== lastName || typeof payload !== 'object' || payload === null) {
      lastText = perf.time('encode.json', () => JSON.stringify({ t: 'event', name, payload }));
      lastPayload = payload;
      lastName = name;
    }
    return lastText;
  };
}
