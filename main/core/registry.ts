/**
 * The registry of contract handlers. It knows nothing about transports: the Electron IPC
 * adapter and the web-mode WebSocket adapter both hand it raw, untrusted input and get back
 * validated results or typed errors.
 */
import {
  calls,
  ContractError,
  isCallName,
  isStreamName,
  streams,
  type CallArgs,
  type CallName,
  type CallResult,
  type ContractErrorShape,
  type EventName,
  type EventPayload,
  type StreamArgs,
  type StreamName,
} from '../../preload/contract.js';
import { toDisposable, type Disposable } from './disposable.js';

export type CallHandlers = {
  [N in CallName]: (args: CallArgs<N>) => Promise<CallResult<N>>;
};

/** Main's end of a byte stream. */
export interface ServerStream {
  /** Bytes from the renderer to the resource. */
  write(data: Uint8Array): void;
  onData(listener: (data: Uint8Array) => void): Disposable;
  onClose(listener: (error?: ContractErrorShape) => void): Disposable;
  close(): void;
}

export type StreamHandlers = {
  [N in StreamName]: (args: StreamArgs<N>) => Promise<ServerStream>;
};

export type EventListener = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

export function toErrorShape(error: unknown): ContractErrorShape {
  if (error instanceof ContractError) return error.toShape();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}

export class Registry {
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly callHandlers: CallHandlers,
    private readonly streamHandlers: StreamHandlers,
  ) {}

  /** Validates a call from outside and runs it. Never throws anything but ContractError. */
  async call(name: unknown, rawArgs: unknown): Promise<unknown> {
    if (!isCallName(name)) {
      throw new ContractError('unknown-call', `Unknown call: ${String(name).slice(0, 100)}`);
    }
    const spec = calls[name];
    const parsed = spec.args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      throw new ContractError('bad-arguments', `Bad arguments for ${name}`, parsed.error.message);
    }
    const handler = this.callHandlers[name] as (args: unknown) => Promise<unknown>;
    try {
      return await handler(parsed.data);
    } catch (error) {
      if (error instanceof ContractError) throw error;
      throw new ContractError('internal', error instanceof Error ? error.message : String(error));
    }
  }

  async openStream(name: unknown, rawArgs: unknown): Promise<ServerStream> {
    if (!isStreamName(name)) {
      throw new ContractError('unknown-call', `Unknown stream: ${String(name).slice(0, 100)}`);
    }
    const parsed = streams[name].args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      throw new ContractError('bad-arguments', `Bad arguments for ${name}`, parsed.error.message);
    }
    const handler = this.streamHandlers[name] as (args: unknown) => Promise<ServerStream>;
    try {
      return await handler(parsed.data);
    } catch (error) {
      if (error instanceof ContractError) throw error;
      throw new ContractError('internal', error instanceof Error ? error.message : String(error));
    }
  }

  /** Transports subscribe here to forward events to their clients. */
  subscribe(listener: EventListener): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload);
      } catch {
        // A broken subscriber must not stop the others.
      }
    }
  }
}
