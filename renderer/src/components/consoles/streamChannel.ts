/**
 * A contract byte stream dressed as the WebSocket-like channel noVNC accepts, so the viewer
 * talks RFB over the stream (a MessagePort in Electron, binary frames in web mode) and no
 * local TCP or WebSocket port is ever opened for it.
 */
import type { RfbChannel } from '@novnc/novnc';
import type { ByteStream, ContractErrorShape } from '../../../../preload/contract.js';

export class StreamChannel implements RfbChannel {
  binaryType = 'arraybuffer';
  protocol = '';
  readyState = 'open';
  onopen: RfbChannel['onopen'] = null;
  onmessage: RfbChannel['onmessage'] = null;
  onclose: RfbChannel['onclose'] = null;
  onerror: RfbChannel['onerror'] = null;
  /** Why the stream ended, once it did (undefined: a clean close). */
  closeError: ContractErrorShape | undefined;
  private readonly offData: () => void;
  private readonly offClose: () => void;

  constructor(private readonly stream: ByteStream) {
    this.offData = stream.onData((chunk) => {
      // noVNC keeps the buffer; the transport may reuse its own.
      const copy = new Uint8Array(chunk.byteLength);
      copy.set(chunk);
      this.onmessage?.({ data: copy.buffer });
    });
    this.offClose = stream.onClose((error) => {
      this.closeError = error;
      this.finish(error ? 1006 : 1000, error?.message ?? '');
    });
  }

  send(data: ArrayBuffer | Uint8Array): void {
    if (this.readyState !== 'open') return;
    const bytes = data instanceof Uint8Array ? new Uint8Array(data) : new Uint8Array(data.slice(0));
    // Writes queue in order; the window holds back a flood of input.
    void this.stream.write(bytes).catch(() => undefined);
  }

  close(): void {
    if (this.readyState !== 'open') return;
    this.readyState = 'closing';
    this.stream.close();
    this.finish(1000, '');
  }

  private finish(code: number, reason: string): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.offData();
    this.offClose();
    this.onclose?.({ code, reason, wasClean: code === 1000 });
  }
}
