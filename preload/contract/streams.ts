/**
 * Byte streams: opened by the renderer with arguments, then bytes both ways until either side
 * closes. Consoles, tunnels and file transfers ride on these.
 */
import { HostRef } from './hosts.js';
import type { ContractErrorShape } from './errors.js';

export const streams = {
  /** An interactive `virsh` on the host, over the host's own connection. */
  'host.virshShell': { args: HostRef.strict() },
} as const;

/** A byte stream as the renderer holds it, whatever the transport. */
export interface ByteStream {
  write(data: Uint8Array): void;
  onData(listener: (data: Uint8Array) => void): () => void;
  onClose(listener: (error?: ContractErrorShape) => void): () => void;
  close(): void;
}
