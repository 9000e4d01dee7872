/**
 * Web mode's wire formats.
 *
 * The page's main WebSocket (`/ws`) carries calls and events as JSON text frames. Every byte
 * stream gets a WebSocket of its own (`/ws/stream`), so a busy stream never queues in front of
 * a call's answer or an event: its first text frame opens it (`{ t: 'open', name, args }`, the
 * server answers `{ t: 'opened' }` or a close), then binary frames are data and text frames are
 * the credit, control and close frames of main/core/streamPump.ts as JSON.
 */
import type { ContractErrorShape } from '../../preload/contract.js';

export type ClientMessage = { t: 'call'; id: number; name: string; args: unknown };

export type ServerMessage =
  | { t: 'result'; id: number; ok: true; result: unknown }
  | { t: 'result'; id: number; ok: false; error: ContractErrorShape }
  | { t: 'event'; name: string; payload: unknown };

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses an untrusted text frame of the main socket; undefined when it is not a message we know. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  const message = parseJson(text);
  if (message?.t === 'call' && Number.isSafeInteger(message.id) && typeof message.name === 'string') {
    return { t: 'call', id: message.id as number, name: message.name, args: message.args };
  }
  return undefined;
}

/** The first frame of a stream socket. */
export function parseStreamOpen(text: string): { name: string; args: unknown } | undefined {
  const message = parseJson(text);
  return message?.t === 'open' && typeof message.name === 'string' ? { name: message.name, args: message.args } : undefined;
}

/** Any later text frame of a stream socket (credit, control, close), still untrusted. */
export function parseStreamText(text: string): unknown {
  return parseJson(text);
}
