/**
 * A test's own connection to a running web-mode process: the same WebSocket contract the page
 * uses, authenticated with the run's token and the server's own origin.
 */
import WebSocket from 'ws';
import type { CallArgs, CallName, CallResult, EventName, EventPayload } from '../../preload/contract.js';

export interface ContractSocket {
  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>>;
  /** Every event main pushes, in order. */
  onEvent<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
  close(): void;
}

export function connectContract(url: string): Promise<ContractSocket> {
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  const socket = new WebSocket(`ws://${parsed.host}/ws`, { headers: { origin: parsed.origin, cookie: `virtdeck_token=${token}` } });
  let nextId = 1;
  const waiting = new Map<number, (message: { ok: boolean; result?: unknown; error?: { code: string; message: string } }) => void>();
  const listeners = new Set<{ name: string; listener: (payload: never) => void }>();
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const message = JSON.parse(data.toString()) as { t: string; id: number; ok: boolean; name?: string; payload?: unknown };
    if (message.t === 'result') waiting.get(message.id)?.(message);
    if (message.t === 'event') for (const entry of listeners) if (entry.name === message.name) entry.listener(message.payload as never);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        call: (name, args) =>
          new Promise((done, fail) => {
            const id = nextId++;
            waiting.set(id, (message) => {
              waiting.delete(id);
              if (message.ok) done(message.result as never);
              else fail(Object.assign(new Error(message.error?.message ?? 'call failed'), { code: message.error?.code }));
            });
            socket.send(JSON.stringify({ t: 'call', id, name, args }));
          }),
        onEvent: (name, listener) => {
          const entry = { name, listener: listener as (payload: never) => void };
          listeners.add(entry);
          return () => listeners.delete(entry);
        },
        close: () => socket.close(),
      }),
    );
  });
}
