/**
 * Web mode's wire format over one WebSocket.
 * Text frames carry JSON messages; binary frames carry stream bytes as
 * [4-byte big-endian stream id][payload].
 */
import type { ContractErrorShape } from '../../preload/contract.js';

export type ClientMessage =
  | { t: 'call'; id: number; name: string; args: unknown }
  | { t: 'stream-open'; id: number; name: string; args: unknown }
  | { t: 'stream-close'; sid: number };

export type ServerMessage =
  | { t: 'result'; id: number; ok: true; result: unknown }
  | { t: 'result'; id: number; ok: false; error: ContractErrorShape }
  | { t: 'stream-opened'; id: number; ok: true; sid: number }
  | { t: 'stream-opened'; id: number; ok: false; error: ContractErrorShape }
  | { t: 'stream-closed'; sid: number; error?: ContractErrorShape }
  | { t: 'event'; name: string; payload: unknown };

export function encodeStreamFrame(sid: number, data: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + data.byteLength);
  new DataView(frame.buffer).setUint32(0, sid);
  frame.set(data, 4);
  return frame;
}

export function decodeStreamFrame(frame: Uint8Array): { sid: number; data: Uint8Array } | undefined {
  if (frame.byteLength < 4) return undefined;
  const sid = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  return { sid, data: frame.subarray(4) };
}

/** Parses an untrusted text frame; undefined when it is not a message we know. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const message = value as Record<string, unknown>;
  if ((message.t === 'call' || message.t === 'stream-open') && Number.isSafeInteger(message.id) && typeof message.name === 'string') {
    return { t: message.t, id: message.id as number, name: message.name, args: message.args };
  }
  if (message.t === 'stream-close' && Number.isSafeInteger(message.sid)) {
    return { t: 'stream-close', sid: message.sid as number };
  }
  return undefined;
}
