/** The contract over web mode's WebSocket (see main/web/webProtocol.ts for the wire format). */
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

type ServerMessage =
  | { t: 'result'; id: number; ok: boolean; result?: unknown; error?: ContractErrorShape }
  | { t: 'stream-opened'; id: number; ok: boolean; sid?: number; error?: ContractErrorShape }
  | { t: 'stream-closed'; sid: number; error?: ContractErrorShape }
  | { t: 'event'; name: string; payload: unknown };

interface Waiter {
  resolve(message: ServerMessage): void;
  reject(error: Error): void;
}

class WebByteStream implements ByteStream {
  readonly dataListeners = new Set<(data: Uint8Array) => void>();
  readonly closeListeners = new Set<(error?: ContractErrorShape) => void>();
  closed = false;

  constructor(
    private readonly sid: number,
    private readonly client: WebClient,
  ) {}

  write(data: Uint8Array): void {
    if (!this.closed) this.client.sendFrame(this.sid, data);
  }
  onData(listener: (data: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }
  onClose(listener: (error?: ContractErrorShape) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }
  close(): void {
    if (this.closed) return;
    this.client.closeStream(this.sid);
    this.ended();
  }
  ended(error?: ContractErrorShape): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(error);
  }
}

export class WebClient implements ContractClient {
  readonly mode = 'web' as const;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  private readonly streams = new Map<number, WebByteStream>();
  private readonly disconnectListeners = new Set<() => void>();

  private constructor(private readonly socket: WebSocket) {
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
          resolve(new WebClient(socket));
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

  async openStream<N extends StreamName>(name: N, args: StreamArgs<N>): Promise<ByteStream> {
    const reply = await this.request({ t: 'stream-open', id: this.nextId++, name, args });
    if (reply.t === 'stream-opened' && reply.ok && reply.sid !== undefined) {
      const stream = new WebByteStream(reply.sid, this);
      this.streams.set(reply.sid, stream);
      return stream;
    }
    throw ContractError.from(
      reply.t === 'stream-opened' && reply.error ? reply.error : { code: 'internal', message: 'Malformed reply' },
    );
  }

  sendFrame(sid: number, data: Uint8Array): void {
    const frame = new Uint8Array(4 + data.byteLength);
    new DataView(frame.buffer).setUint32(0, sid);
    frame.set(data, 4);
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  closeStream(sid: number): void {
    this.streams.delete(sid);
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ t: 'stream-close', sid }));
  }

  private onMessage(data: string | ArrayBuffer): void {
    if (data instanceof ArrayBuffer) {
      if (data.byteLength < 4) return;
      const sid = new DataView(data).getUint32(0);
      const stream = this.streams.get(sid);
      if (stream) for (const listener of stream.dataListeners) listener(new Uint8Array(data, 4));
      return;
    }
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (message.t === 'result' || message.t === 'stream-opened') {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      waiter?.resolve(message);
    } else if (message.t === 'event') {
      for (const listener of this.listeners.get(message.name) ?? []) listener(message.payload as never);
    } else if (message.t === 'stream-closed') {
      const stream = this.streams.get(message.sid);
      this.streams.delete(message.sid);
      stream?.ended(message.error);
    }
  }

  private onClosed(): void {
    const error = new ContractError('transport-closed', 'The connection to the VirtDeck service was lost.');
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
    for (const stream of this.streams.values()) stream.ended(error.toShape());
    this.streams.clear();
    for (const listener of this.disconnectListeners) listener();
  }
}
