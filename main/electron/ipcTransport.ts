/**
 * The Electron transport: serves the contract registry to the app's windows over IPC.
 *
 * - calls: `ipcMain.handle(ipcChannels.call)`; the reply is always `{ ok: true, result }` or
 *   `{ ok: false, error: ContractErrorShape }`. Nothing is thrown across IPC, because Electron
 *   would flatten a thrown error to a message string and the typed code would be lost.
 * - events: every registry event goes to every window of ours that still shows the app.
 * - byte streams: `ipcChannels.streamOpen` opens the stream in main, pipes it into one end of a
 *   MessageChannelMain and posts the other end to the renderer on `ipcChannels.streamPort`
 *   with `{ streamId }`. On the port: Uint8Array for data; `{ type: 'credit', bytes }`,
 *   `{ type: 'control', control }` and `{ type: 'close', error? }` objects (streamPump.ts).
 *
 * Electron is imported for types only; the caller passes ipcMain and the channel factory, so
 * the logic runs under a unit test with fakes.
 */
import type { IpcMain, IpcMainInvokeEvent, MessageChannelMain, MessagePortMain, WebContents } from 'electron';
import {
  ipcChannels,
  type ContractErrorShape,
  type EventName,
  type EventPayload,
} from '../../preload/contract.js';
import { DisposableStore, toDisposable, type Disposable } from '../core/disposable.js';
import { toErrorShape, type Registry, type ServerStream } from '../core/registry.js';
import { controlFrameObject, parseControlFrame, pumpStream, type FrameLink } from '../core/streamPump.js';
import { isTrustedSender } from './guards.js';

export type CallReply = { ok: true; result: unknown } | { ok: false; error: ContractErrorShape };
export type StreamOpenReply = { ok: true; streamId: string } | { ok: false; error: ContractErrorShape };

export interface IpcTransportOptions {
  registry: Registry;
  /** The URL the app's page was loaded from (see guards.ts). */
  appUrl: string;
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  /** `() => new MessageChannelMain()` in the app. */
  createChannel: () => Pick<MessageChannelMain, 'port1' | 'port2'>;
}

/** The contract has no "forbidden" code; an untrusted frame learns nothing more than this. */
const refused: ContractErrorShape = {
  code: 'internal',
  message: 'Refused: the request did not come from a VirtDeck window.',
};

interface WindowState {
  contents: WebContents;
  /** Open streams of this window, closed with it. */
  streams: Set<Disposable>;
  detached: boolean;
}

export class IpcTransport implements Disposable {
  private readonly store = new DisposableStore();
  private readonly windows = new Map<WebContents, WindowState>();
  private nextStreamId = 1;

  constructor(private readonly options: IpcTransportOptions) {
    const { ipcMain, registry } = options;

    ipcMain.handle(ipcChannels.call, (event, name: unknown, args: unknown) => this.handleCall(event, name, args));
    ipcMain.handle(ipcChannels.streamOpen, (event, name: unknown, args: unknown) =>
      this.handleStreamOpen(event, name, args),
    );
    this.store.add(
      toDisposable(() => {
        ipcMain.removeHandler(ipcChannels.call);
        ipcMain.removeHandler(ipcChannels.streamOpen);
      }),
    );

    this.store.add(registry.subscribe((name, payload) => this.broadcast(name, payload)));
    // Added last so it runs first (the store releases in reverse): streams are closed, and
    // their renderers told, before the handlers and the event subscription go away.
    this.store.add(toDisposable(() => this.detachAll()));
  }

  /**
   * Makes `contents` one of ours: it may call, gets events, and its streams are closed when it
   * is destroyed. The returned disposable detaches it early.
   */
  addWindow(contents: WebContents): Disposable {
    if (this.store.isDisposed) return toDisposable(() => {});
    const existing = this.windows.get(contents);
    if (existing) return toDisposable(() => this.detach(existing));
    const state: WindowState = { contents, streams: new Set(), detached: false };
    this.windows.set(contents, state);
    const onDestroyed = (): void => this.detach(state);
    contents.once('destroyed', onDestroyed);
    return toDisposable(() => {
      contents.removeListener('destroyed', onDestroyed);
      this.detach(state);
    });
  }

  dispose(): void {
    this.store.dispose();
  }

  private detach(state: WindowState): void {
    if (state.detached) return;
    state.detached = true;
    this.options.registry.clientGone(`window-${state.contents.id}`);
    this.windows.delete(state.contents);
    const streams = [...state.streams];
    state.streams.clear();
    for (const link of streams) link.dispose();
  }

  private detachAll(): void {
    for (const state of [...this.windows.values()]) this.detach(state);
  }

  /** The window the event came from, if it is ours and the sender is its top app frame. */
  private trustedWindow(event: IpcMainInvokeEvent): WindowState | undefined {
    const state = this.windows.get(event.sender);
    if (!state || event.sender.isDestroyed()) return undefined;
    return isTrustedSender(event.senderFrame, this.options.appUrl) ? state : undefined;
  }

  private async handleCall(event: IpcMainInvokeEvent, name: unknown, args: unknown): Promise<CallReply> {
    if (!this.trustedWindow(event)) return { ok: false, error: refused };
    try {
      return { ok: true, result: await this.options.registry.call(name, args, { clientId: `window-${event.sender.id}` }) };
    } catch (error) {
      return { ok: false, error: toErrorShape(error) };
    }
  }

  private async handleStreamOpen(event: IpcMainInvokeEvent, name: unknown, args: unknown): Promise<StreamOpenReply> {
    const state = this.trustedWindow(event);
    if (!state) return { ok: false, error: refused };
    let stream: ServerStream;
    try {
      stream = await this.options.registry.openStream(name, args);
    } catch (error) {
      return { ok: false, error: toErrorShape(error) };
    }
    // The window may have closed while the resource was opening.
    if (state.detached || event.sender.isDestroyed()) {
      stream.close();
      return { ok: false, error: { code: 'cancelled', message: 'The window closed while the stream was opening.' } };
    }
    try {
      const { port1, port2 } = this.options.createChannel();
      const streamId = `s${this.nextStreamId++}`;
      // The pipe can end during setup (a stream that closed at once), before `link` is set.
      let ended = false;
      let link: Disposable | undefined = undefined;
      link = pipeStreamToPort(stream, port1, () => {
        ended = true;
        if (link) state.streams.delete(link);
      });
      if (!ended) state.streams.add(link);
      event.sender.postMessage(ipcChannels.streamPort, { streamId }, [port2]);
      return { ok: true, streamId };
    } catch (error) {
      stream.close();
      return { ok: false, error: toErrorShape(error) };
    }
  }

  private broadcast<N extends EventName>(name: N, payload: EventPayload<N>): void {
    for (const { contents } of this.windows.values()) {
      if (contents.isDestroyed()) continue;
      if (!isTrustedSender(contents.mainFrame, this.options.appUrl)) continue;
      contents.send(ipcChannels.event, name, payload);
    }
  }
}

type PortLike = Pick<MessagePortMain, 'postMessage' | 'close' | 'start' | 'on' | 'off'>;

/** A plain Uint8Array of exactly the bytes (a Buffer slice would clone its whole pool). */
function toPlainBytes(data: Uint8Array): Uint8Array {
  const plain =
    Object.getPrototypeOf(data) === Uint8Array.prototype &&
    data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength;
  return plain ? data : new Uint8Array(data);
}

/** main's end of a MessageChannel as the pump's link: Uint8Array is data, objects are frames. */
function portLink(port: PortLike): FrameLink {
  return {
    send: (frame) => port.postMessage(frame.kind === 'data' ? toPlainBytes(frame.data) : controlFrameObject(frame)),
    onFrame: (listener) => {
      const onMessage = (event: { data: unknown }): void => {
        const data = event.data;
        if (ArrayBuffer.isView(data)) listener({ kind: 'data', data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
        else if (data instanceof ArrayBuffer) listener({ kind: 'data', data: new Uint8Array(data) });
        else {
          // Anything that is not part of the protocol is dropped.
          const frame = parseControlFrame(data);
          if (frame) listener(frame);
        }
      };
      port.on('message', onMessage);
      return toDisposable(() => port.off('message', onMessage));
    },
    onGone: (listener) => {
      // Emitted when the renderer's end disappears (page reloaded or window gone).
      port.on('close', listener);
      return toDisposable(() => port.off('close', listener));
    },
    close: () => port.close(),
  };
}

/**
 * Joins a server stream and main's end of a MessageChannel until either side closes, with the
 * credit window of main/core/streamPump.ts. Disposing the result closes both. `onEnd` runs
 * once, however it ended.
 */
export function pipeStreamToPort(stream: ServerStream, port: PortLike, onEnd: () => void = () => {}): Disposable {
  const link = portLink(port);
  const pump = pumpStream(stream, link, onEnd);
  port.start();
  return pump;
}
