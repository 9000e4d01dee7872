/**
 * The preload: the only door between the page and main. Bundled to out/preload/index.cjs and
 * run sandboxed, where `require('electron')` is the only require there is.
 *
 * It exposes `window.virtdeck` = { mode: 'electron', call, on, openStream } and nothing else:
 * never ipcRenderer itself, so the page can reach only the channels of the contract.
 *
 * Errors: `call` and `openStream` reject with a plain object shaped like ContractErrorShape,
 * `{ code, message, detail? }`. Not an Error with extra properties: contextBridge copies an
 * Error as a new Error and the custom properties do not survive the copy; a plain object does.
 * The renderer turns it back into a ContractError with `ContractError.from(shape)`.
 *
 * Byte streams — the handshake the renderer (renderer/src/transport/electron.ts) must match:
 *
 *   1. page:    `const { streamId } = await window.virtdeck.openStream(name, args)`
 *   2. preload: invokes `ipcChannels.streamOpen` (name, args); main replies
 *               `{ ok: true, streamId }` and posts `{ streamId }` with a MessagePort on
 *               `ipcChannels.streamPort`.
 *   3. preload: `window.postMessage({ virtdeckStreamPort: streamId }, '*', [port])`
 *               ('*' because a file:// page has an opaque origin), then resolves step 1 with
 *               `{ streamId }`.
 *   4. page:    one `window.addEventListener('message', …)` installed at start-up that takes
 *               messages with `event.source === window` and a string `data.virtdeckStreamPort`,
 *               and keeps `event.ports[0]` by that id. The message is dispatched as a task, so
 *               it usually lands just after openStream resolves, but the page must accept it
 *               in either order. Call `port.start()` (or set `onmessage`) to begin receiving.
 *
 *   On the port, in both directions: a `Uint8Array` is data; `{ type: 'credit', bytes }`
 *   hands back flow-control credit (each side may have STREAM_WINDOW bytes unacknowledged);
 *   `{ type: 'control', control }` carries a resize or end of input (page to main);
 *   `{ type: 'close', error? }` (error: ContractErrorShape, only from main) closes the stream.
 *   Main closes its end after sending close; the page closes its port after sending or
 *   receiving close. renderer/src/transport/creditStream.ts is the page's side of this.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  exposedApiName,
  ipcChannels,
  isCallName,
  isEventName,
  isStreamName,
  type ContractErrorShape,
} from './contract';

type Reply<T> = ({ ok: true } & T) | { ok: false; error: ContractErrorShape };

/** How long to wait for main's port after it said the stream is open. */
const portTimeoutMs = 10_000;

function errorShape(code: ContractErrorShape['code'], message: string): ContractErrorShape {
  return { code, message };
}

/** Validates main's reply just enough to unwrap it; anything odd becomes an internal error. */
function unwrap<T extends object>(reply: unknown): T {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    const typed = reply as Reply<T>;
    if (typed.ok) return typed;
    if (typeof typed.error === 'object' && typed.error !== null) throw typed.error;
  }
  throw errorShape('internal', 'Main process sent a malformed reply.');
}

// --- events: one IPC listener, fanned out to the page's listeners by event name ------------

const eventListeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(ipcChannels.event, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const listener of [...(eventListeners.get(name) ?? [])]) {
    try {
      listener(payload);
    } catch (error) {
      // One failing listener must not starve the others.
      console.error(error);
    }
  }
});

// --- stream ports: main's port may arrive before or after the invoke reply -----------------

const arrivedPorts = new Map<string, MessagePort>();
const portWaiters = new Map<string, (port: MessagePort) => void>();

ipcRenderer.on(ipcChannels.streamPort, (event, message: unknown) => {
  const streamId = (message as { streamId?: unknown } | null)?.streamId;
  const port = event.ports[0];
  if (typeof streamId !== 'string' || !port) return;
  const waiter = portWaiters.get(streamId);
  if (waiter) {
    portWaiters.delete(streamId);
    waiter(port);
  } else {
    arrivedPorts.set(streamId, port);
  }
});

function takePort(streamId: string): Promise<MessagePort> {
  const port = arrivedPorts.get(streamId);
  if (port) {
    arrivedPorts.delete(streamId);
    return Promise.resolve(port);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      portWaiters.delete(streamId);
      reject(errorShape('internal', 'The stream opened but its port never arrived.'));
    }, portTimeoutMs);
    portWaiters.set(streamId, (arrived) => {
      clearTimeout(timer);
      resolve(arrived);
    });
  });
}

// --- the API -------------------------------------------------------------------------------

const api = {
  mode: 'electron' as const,

  async call(name: unknown, args: unknown): Promise<unknown> {
    // Unknown names never reach IPC: the page cannot probe channels through us.
    if (!isCallName(name)) throw errorShape('unknown-call', `Unknown call: ${String(name).slice(0, 100)}`);
    const reply = unwrap<{ result: unknown }>(await ipcRenderer.invoke(ipcChannels.call, name, args));
    return reply.result;
  },

  on(name: unknown, listener: unknown): () => void {
    if (!isEventName(name)) throw new Error(`Unknown event: ${String(name).slice(0, 100)}`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    const typed = listener as (payload: unknown) => void;
    let set = eventListeners.get(name);
    if (!set) eventListeners.set(name, (set = new Set()));
    set.add(typed);
    return () => {
      eventListeners.get(name)?.delete(typed);
    };
  },

  async openStream(name: unknown, args: unknown): Promise<{ streamId: string }> {
    if (!isStreamName(name)) throw errorShape('unknown-call', `Unknown stream: ${String(name).slice(0, 100)}`);
    const { streamId } = unwrap<{ streamId: string }>(await ipcRenderer.invoke(ipcChannels.streamOpen, name, args));
    const port = await takePort(streamId);
    window.postMessage({ virtdeckStreamPort: streamId }, '*', [port]);
    return { streamId };
  },
};

contextBridge.exposeInMainWorld(exposedApiName, api);
