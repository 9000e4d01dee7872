/**
 * The contract through the Electron preload bridge (`window.virtdeck`, see preload/index.ts).
 * Byte streams arrive as MessagePorts: the preload posts `{ virtdeckStreamPort: id }` to this
 * window with the port attached; data messages are Uint8Array, a close is `{ type: 'close' }`.
 */
import {
  ContractError,
  exposedApiName,
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

interface PreloadApi {
  mode: 'electron';
  call(name: string, args: unknown): Promise<unknown>;
  on(name: string, listener: (payload: unknown) => void): () => void;
  openStream(name: string, args: unknown): Promise<{ streamId: string }>;
}

export function preloadApi(): PreloadApi | undefined {
  return (window as unknown as Record<string, PreloadApi | undefined>)[exposedApiName];
}

function portStream(port: MessagePort): ByteStream {
  const dataListeners = new Set<(data: Uint8Array) => void>();
  const closeListeners = new Set<(error?: ContractErrorShape) => void>();
  let closed = false;
  const ended = (error?: ContractErrorShape) => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(error);
    port.close();
  };
  port.onmessage = (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (data instanceof Uint8Array) {
      for (const listener of dataListeners) listener(data);
    } else if (data && typeof data === 'object' && (data as { type?: string }).type === 'close') {
      ended((data as { error?: ContractErrorShape }).error);
    }
  };
  port.start();
  return {
    write: (data) => {
      if (!closed) port.postMessage(data);
    },
    onData: (listener) => {
      dataListeners.add(listener);
      return () => dataListeners.delete(listener);
    },
    onClose: (listener) => {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close: () => {
      if (!closed) port.postMessage({ type: 'close' });
      ended();
    },
  };
}

export class ElectronClient implements ContractClient {
  readonly mode = 'electron' as const;
  private readonly ports = new Map<string, MessagePort>();
  private readonly portWaiters = new Map<string, (port: MessagePort) => void>();

  constructor(private readonly api: PreloadApi) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const data = event.data as { virtdeckStreamPort?: unknown } | null;
      if (event.source !== window || !data || typeof data.virtdeckStreamPort !== 'string') return;
      const port = event.ports[0];
      if (!port) return;
      const waiter = this.portWaiters.get(data.virtdeckStreamPort);
      if (waiter) {
        this.portWaiters.delete(data.virtdeckStreamPort);
        waiter(port);
      } else {
        this.ports.set(data.virtdeckStreamPort, port);
      }
    });
  }

  async call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>> {
    try {
      return (await this.api.call(name, args)) as CallResult<N>;
    } catch (error) {
      const shape = error as Partial<ContractErrorShape> & { message?: string };
      throw new ContractError(shape.code ?? 'internal', shape.message ?? String(error), shape.detail);
    }
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    return this.api.on(name, listener as (payload: unknown) => void);
  }

  async openStream<N extends StreamName>(name: N, args: StreamArgs<N>): Promise<ByteStream> {
    const { streamId } = await this.api.openStream(name, args);
    const ready = this.ports.get(streamId);
    if (ready) {
      this.ports.delete(streamId);
      return portStream(ready);
    }
    const port = await new Promise<MessagePort>((resolve) => this.portWaiters.set(streamId, resolve));
    return portStream(port);
  }
}
