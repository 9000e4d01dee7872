/** The contract over web mode's WebSockets (see main/web/webProtocol.ts for the wire format). */
import {
  ContractError,
  isEventName,
  type ByteStream,
  type CallArgs,
  type CallName,
  type CallResult,
  type ContractClient,
  type ContractErrorShape,
  type EventName,
  type EventPayload,
  type StreamArgs,
  type StreamName,
} from '../../../preload/contract';
import { createStreamEndpoint, type StreamEndpoint } from './creditStream';

type ServerMessage =
  | { t: 'result'; id: number; ok: boolean; result?: unknown; error?: ContractErrorShape }
  | { t: 'event'; name: string; payload: unknown };

interface Waiter {
  resolve(message: ServerMessage): void;
  reject(error: Error): void;
}

/**
 * Opens a stream on a WebSocket of its own (web mode's `/ws/stream`), so its bytes never queue
 * in front of calls and events on the main socket.
 */
function openStreamSocket(url: string, name: string, args: unknown): Promise<ByteStream> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    let endpoint: StreamEndpoint | undefined;
    const fail = (error: ContractErrorShape) => {
      if (endpoint) endpoint.gone(error);
      else reject(ContractError.from(error));
    };
    socket.addEventListener('open', () => socket.send(JSON.stringify({ t: 'open', name, args })), { once: true });
    socket.addEventListener('message', (event: MessageEvent<string | ArrayBuffer>) => {
      const data = event.data;
      if (data instanceof ArrayBuffer) {
        endpoint?.receiveData(new Uint8Array(data));
        return;
      }
      let message: unknown;
      try {
        message = JSON.parse(data);
      } catch {
        return;
      }
      if (!endpoint && (message as { t?: unknown }).t === 'opened') {
        endpoint = createStreamEndpoint({
          sendData: (bytes) => {
            if (socket.readyState === WebSocket.OPEN) socket.send(bytes);
          },
          sendFrame: (frame) => {
            if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
          },
          close: () => socket.close(),
        });
        resolve(endpoint.stream);
      } else if (endpoint) {
        endpoint.receiveFrame(message);
      } else if ((message as { type?: unknown }).type === 'close') {
        fail((message as { error?: ContractErrorShape }).error ?? { code: 'internal', message: 'The stream could not be opened.' });
      }
    });
    socket.addEventListener('close', () => fail({ code: 'transport-closed', message: 'The connection to the VirtDeck service was lost.' }));
  });
}

export class WebClient implements ContractClient {
  readonly mode = 'web' as const;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  private readonly disconnectListeners = new Set<() => void>();

  private constructor(
    private readonly socket: WebSocket,
    private readonly streamUrl: string,
  ) {
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('message', (event) => this.onMessage(event.data as string | ArrayBuffer));
    socket.addEventListener('close', () => this.onClosed());
  }

  static connect(url: string): Promise<WebClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const fail = () => reject(new ContractError('transport-closed', 'Could not reach the VirtDeck service.'));
      socket.addEventListener('error', fail, { once: true });
      socket.addEventListener(
        'open',
        () => {
          socket.removeEventListener('error', fail);
          resolve(new WebClient(socket, url.replace(/\/ws$/, '/ws/stream')));
        },
        { once: true },
      );
    });
  }

  onDisconnect(listener: () => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  private request(message: { t: string; id: number; name: string; args: unknown }): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== WebSocket.OPEN) {
        reject(new ContractError('transport-closed', 'The connection to the VirtDeck service is closed.'));
        return;
      }
      this.waiting.set(message.id, { resolve, reject });
      this.socket.send(JSON.stringify(message));
    });
  }

  async call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>> {
    const reply = await this.request({ t: 'call', id: this.nextId++, name, args });
    if (reply.t === 'result' && reply.ok) return reply.result as CallResult<N>;
    throw ContractError.from(reply.t === 'result' && reply.error ? reply.error : { code: 'internal', message: 'Malformed reply' });
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    if (!isEventName(name)) throw new ContractError('unknown-call', `Unknown event: ${String(name)}`);
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  openStream<N extends StreamName>(name: N, args: StreamArgs<N>): Promise<ByteStream> {
    if (this.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new ContractError('transport-closed', 'The connection to the VirtDeck service is closed.'));
    }
    return openStreamSocket(this.streamUrl, name, args);
  }

  private onMessage(data: string | ArrayBuffer): void {
    if (data instanceof ArrayBuffer) return;
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (message.t === 'result') {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      waiter?.resolve(message);
    } else if (message.t === 'event') {
      for (const listener of this.listeners.get(message.name) ?? []) listener(message.payload as never);
    }
  }

  private onClosed(): void {
    const error = new ContractError('transport-closed', 'The connection to the VirtDeck service was lost.');
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
    for (const listener of this.disconnectListeners) listener();
  }
}
