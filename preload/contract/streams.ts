/**
 * Byte streams: opened by the renderer with arguments, then bytes both ways until either side
 * closes. Consoles, tunnels and file transfers ride on these.
 *
 * Every stream is flow-controlled end to end with a credit window: each side may have at most
 * STREAM_WINDOW bytes in flight towards the other; the receiver hands credit back as it
 * consumes them. A slow consumer therefore holds the producer back — on the host, through the
 * SSH window — and no hop buffers more than the window, whatever the stream's size. Beside
 * bytes a stream carries control messages (a terminal's new size, end of input) and, when it
 * ends, a typed error.
 */
import { z } from 'zod';
import { HostRef } from './hosts.js';
import type { ContractErrorShape } from './errors.js';
import { storageStreams } from './storage.js';

/** Bytes one side may send before the other hands credit back. */
export const STREAM_WINDOW = 256 * 1024;
/** The largest data frame; bigger writes are cut into frames this size. */
export const STREAM_MAX_FRAME = 64 * 1024;

export const StreamControl = z.discriminatedUnion('kind', [
  /** A terminal's new size (streams with a pty). */
  z.object({ kind: z.literal('resize'), rows: z.number().int().min(1).max(1000), cols: z.number().int().min(1).max(1000) }),
  /** No more bytes from the renderer: the process sees end of input, an upload is complete. */
  z.object({ kind: z.literal('end') }),
]);
export type StreamControl = z.infer<typeof StreamControl>;

const AbsolutePath = z.string().min(1).max(4096).regex(/^\//, 'an absolute path');
const TerminalSize = z.object({ rows: z.number().int().min(1).max(1000), cols: z.number().int().min(1).max(1000) });

/** Where a tunnel goes, as seen from the host: a port on its loopback, or a unix socket. */
export const TunnelTarget = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('tcp'),
    /** Loopback only: consoles and local services listen there; the host's network is not ours to reach through. */
    host: z.enum(['127.0.0.1', '::1', 'localhost']),
    port: z.number().int().min(1).max(65535),
  }),
  z.object({ kind: z.literal('unix'), path: AbsolutePath }),
]);
export type TunnelTarget = z.infer<typeof TunnelTarget>;

export const streams = {
  /** An interactive `virsh` on the host, over the host's own connection. */
  'host.virshShell': { args: HostRef.strict() },
  /** A file on the host, read: its bytes, then the stream closes (an error if it was cut short). */
  'file.download': { args: HostRef.extend({ path: AbsolutePath }).strict() },
  /**
   * A file written on the host from the renderer's bytes: exactly `size` of them, then
   * `end`. It appears atomically when the stream closes without an error; a cancelled or
   * failed upload leaves nothing. An existing file is replaced only with `overwrite`.
   */
  'file.upload': {
    args: HostRef.extend({
      path: AbsolutePath,
      size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      mode: z.number().int().min(0).max(0o7777).optional(),
      overwrite: z.boolean().optional(),
      /** Through `sudo -n` (only for hosts whose profile runs virsh through sudo). */
      asRoot: z.boolean().optional(),
    }).strict(),
  },
  /** A TCP or unix-socket connection made from the host, through its SSH connection. */
  'host.tunnel': { args: HostRef.extend({ target: TunnelTarget }).strict() },
  /**
   * A VM's VNC display: the bytes of its RFB connection, through a tunnel to where the running
   * guest listens on the host (TCP port or unix socket).
   */
  'vm.vnc': { args: HostRef.extend({ name: z.string().min(1) }).strict() },
  /**
   * A VM's text console (`virsh console`) on a pty of the given size. Another client holding it
   * fails the open with `console-busy`; `force` takes it over.
   */
  'vm.console': {
    args: HostRef.extend({ name: z.string().min(1), size: TerminalSize, force: z.boolean().optional() }).strict(),
  },
  ...storageStreams,
} as const;

/** A byte stream as the renderer holds it, whatever the transport. */
export interface ByteStream {
  /**
   * Sends bytes. The promise resolves once they fit in the window: awaiting each write keeps
   * what waits in the renderer within the window too.
   */
  write(data: Uint8Array): Promise<void>;
  /** Ends our side: the far end sees end of input. */
  end(): void;
  control(message: StreamControl): void;
  /** A listener that returns a promise counts its bytes as consumed once it settles. */
  onData(listener: (data: Uint8Array) => void | Promise<void>): () => void;
  onClose(listener: (error?: ContractErrorShape) => void): () => void;
  close(): void;
}
