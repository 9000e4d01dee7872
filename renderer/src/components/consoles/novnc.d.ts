// The part of noVNC's RFB class VirtDeck uses (noVNC ships no type declarations).
declare module '@novnc/novnc' {
  export interface RfbChannel {
    binaryType: string;
    protocol: string;
    readyState: string;
    onopen: ((event: Event) => void) | null;
    onmessage: ((event: { data: ArrayBuffer }) => void) | null;
    onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null;
    onerror: ((event: Event) => void) | null;
    send(data: ArrayBuffer | Uint8Array): void;
    close(): void;
  }
  export interface RfbOptions {
    credentials?: { password?: string; username?: string; target?: string };
    shared?: boolean;
  }
  export default class RFB extends EventTarget {
    constructor(target: HTMLElement, urlOrChannel: string | RfbChannel, options?: RfbOptions);
    viewOnly: boolean;
    scaleViewport: boolean;
    resizeSession: boolean;
    clipViewport: boolean;
    focusOnClick: boolean;
    background: string;
    readonly capabilities: { power: boolean };
    disconnect(): void;
    sendCredentials(credentials: { password?: string; username?: string }): void;
    sendCtrlAltDel(): void;
    sendKey(keysym: number, code: string | null, down?: boolean): void;
    focus(options?: FocusOptions): void;
    blur(): void;
    clipboardPasteFrom(text: string): void;
    toBlob(callback: (blob: Blob | null) => void, type?: string, quality?: number): void;
  }
}
