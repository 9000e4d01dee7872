/**
 * The registry of contract handlers. It knows nothing about transports: the Electron IPC
 * adapter and the web-mode WebSocket adapter both hand it raw, untrusted input and get back
 * validated results or typed errors.
 */
import {
  calls,
  ContractError,
  events,
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
  type StreamControl,
  type StreamName,
} from '../../preload/contract.js';
import { toDisposable, type Disposable } from './disposable.js';

/** Which window a call came from (one per Electron window or web-mode socket). */
export interface CallContext {
  clientId: string;
}

/** Calls made by main itself or by tests, not by a window. */
export const LOCAL_CLIENT: CallContext = { clientId: 'local' };

export type CallHandlers = {
  [N in CallName]: (args: CallArgs<N>, context: CallContext) => Promise<CallResult<N>>;
};

/**
 * Main's end of a byte stream, with flow control both ways (see contract/streams.ts). The
 * transport calls pause() when the renderer's window is full and resume() when credit
 * returns; write() returning false means the resource is full and onDrain will follow.
 */
export interface ServerStream {
  /** Bytes from the renderer to the resource. false: wait for onDrain before more. */
  write(data: Uint8Array): boolean;
  onDrain(listener: () => void): Disposable;
  /** Bytes from the resource to the renderer. */
  onData(listener: (data: Uint8Array) => void): Disposable;
  pause(): void;
  resume(): void;
  control(message: StreamControl): void;
  onClose(listener: (error?: ContractErrorShape) => void): Disposable;
  close(): void;
  /** How many bytes it will send in all, where that is known up front (a download). */
  readonly size?: number;
}

/** The handlers of one feature: exactly the calls its contract module declares. */
export type HandlersOf<C> = Pick<CallHandlers, keyof C & CallName>;

export type StreamHandlers = {
  [N in StreamName]: (args: StreamArgs<N>) => Promise<ServerStream>;
};

export type EventListener = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

export function toErrorShape(error: unknown): ContractErrorShape {
  if (error instanceof ContractError) return error.toShape();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}

export interface RegistryOptions {
  /**
   * Check every call's result and every event's payload against the contract's schemas. On in
   * tests (VIRTDECK_VALIDATE_CONTRACT=1); off in the app, where the types already guarantee it.
   */
  validate?: boolean;
}

export class Registry {
  private readonly listeners = new Set<EventListener>();
  private readonly goneListeners = new Set<(clientId: string) => void>();

  constructor(
    private readonly callHandlers: CallHandlers,
    private readonly streamHandlers: StreamHandlers,
    private readonly options: RegistryOptions = {},
  ) {}

  /** Validates a call from outside and runs it. Never throws anything but ContractError. */
  async call(name: unknown, rawArgs: unknown, context: CallContext = LOCAL_CLIENT): Promise<unknown> {
    if (!isCallName(name)) {
      throw new ContractError('unknown-call', `Unknown call: ${String(name).slice(0, 100)}`);
    }
    const spec = calls[name];
    const parsed = spec.args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      throw new ContractError('bad-arguments', `Bad arguments for ${name}`, parsed.error.message);
    }
    const handler = this.callHandlers[name] as (args: unknown, context: CallContext) => Promise<unknown>;
    let result: unknown;
    try {
      result = await handler(parsed.data, context);
    } catch (error) {
      if (error instanceof ContractError) throw error;
      throw new ContractError('internal', error instanceof Error ? error.message : String(error));
    }
    if (this.options.validate) {
      const checked = spec.result.safeParse(result);
      if (!checked.success) throw new ContractError('internal', `The result of ${name} does not match the contract`, checked.error.message);
    }
    return result;
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

  /** A transport says a window went away, so per-window state (e.g. watched stats) is dropped. */
  clientGone(clientId: string): void {
    for (const listener of [...this.goneListeners]) listener(clientId);
  }

  onClientGone(listener: (clientId: string) => void): Disposable {
    this.goneListeners.add(listener);
    return toDisposable(() => this.goneListeners.delete(listener));
  }

  /** Transports subscribe here to forward events to their clients. */
  subscribe(listener: EventListener): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    if (this.options.validate) {
      const checked = events[name].safeParse(payload);
      // Thrown at the service that emitted it: in tests an unhandled error fails the run.
      if (!checked.success) throw new Error(`The ${name} event does not match the contract: ${checked.error.message}`);
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload);
      } catch {
        // A broken subscriber must not stop the others.
      }
    }
  }
}
