/**
 * The contract through the Electron preload bridge (`window.virtdeck`, see preload/index.ts).
 * Byte streams arrive as MessagePorts: the preload posts `{ virtdeckStreamPort: id }` to this
 * window with the port attached; data messages are Uint8Array; credit, control and close
 * frames are `{ type, … }` objects (transport/creditStream.ts).
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
import { createStreamEndpoint } from './creditStream';

interface PreloadApi {
  mode: 'electron';
  call(name: string, args: unknown): Promise<unknown>;
  on(name: string, listener: (payload: unknown) => void): () => void;
  openStream(name: string, args: unknown): Promise<{ streamId: string }>;
}

export function preloadApi(): PreloadApi | undefined {
  return (window as unknown as Record<string, PreloadApi | undefined>)[exposedApiName];
}

/** A stream's MessagePort: Uint8Array frames are data, objects are credit/control/close frames. */
function portStream(port: MessagePort): ByteStream {
  const endpoint = createStreamEndpoint({
    sendData: (data) => port.postMessage(data),
    sendFrame: (frame) => port.postMessage(frame),
    close: () => port.close(),
  });
  port.onmessage = (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (data instanceof Uint8Array) endpoint.receiveData(data);
    else endpoint.receiveFrame(data);
  };
  port.start();
  return endpoint.stream;
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
