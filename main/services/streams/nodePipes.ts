/**
 * A contract stream joined to a Node stream on main's side: an HTTP request body or a local file
 * as an upload's bytes, a volume's bytes into an HTTP response or a local file. Web mode's
 * transfer routes use it (the browser streams the File as the request body and saves the
 * response as a download), and so can the desktop app's main process with `fs` streams — the
 * bytes never pass through the credit-window transport, whose per-frame round trips through
 * the page cost most of a transfer's speed (README, `npm run bench -- upload`).
 *
 * Backpressure both ways is Node's own: the readable is paused while the stream says it is full
 * and resumed on its drain; the stream is paused while the writable's buffer is above its mark.
 */
import type { Readable, Writable } from 'node:stream';
import { ContractError, type ContractErrorShape } from '../../../preload/contract.js';
import type { ServerStream } from '../../core/registry.js';

function streamClosed(stream: ServerStream): Promise<ContractErrorShape | undefined> {
  return new Promise((resolve) => stream.onClose((error) => resolve(error)));
}

/**
 * Feeds `source` into `stream` (an upload) and ends its input when `source` ends. Resolves once
 * the stream has closed without an error (the file is in place); rejects with its error, or
 * `cancelled` when `source` broke off (the client went away) — the stream is closed then, which
 * removes what was written so far.
 */
export async function pipeIntoStream(source: Readable, stream: ServerStream): Promise<void> {
  const closed = streamClosed(stream);
  let complete = false;
  let brokeOff = false;
  const drain = stream.onDrain(() => source.resume());
  const onData = (chunk: Buffer) => {
    if (!stream.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) source.pause();
  };
  const onEnd = () => {
    complete = true;
    stream.control({ kind: 'end' });
  };
  const onBroken = () => {
    if (complete) return;
    brokeOff = true;
    stream.close();
  };
  source.on('data', onData);
  source.once('end', onEnd);
  source.once('error', onBroken);
  source.once('close', onBroken);
  try {
    const error = await closed;
    if (error) throw ContractError.from(error);
    if (brokeOff) throw new ContractError('cancelled', 'The transfer was cancelled; nothing was kept.');
  } finally {
    drain.dispose();
    source.off('data', onData);
    source.off('end', onEnd);
    source.off('error', onBroken);
    source.off('close', onBroken);
    if (!complete) source.resume();
  }
}

/**
 * Writes `stream`'s bytes (a download) into `target`. Resolves once all of them are written and
 * `target` ended; when the stream fails, is cut short (fewer than its announced `size`) or
 * `target` breaks off, `target` is destroyed, not ended, so whoever reads it sees a failure and
 * never a short file that looks complete, and the stream is closed.
 */
export async function pipeFromStream(stream: ServerStream, target: Writable): Promise<void> {
  const closed = streamClosed(stream);
  let sent = 0;
  let finished = false;
  const onDrain = () => stream.resume();
  const onGone = () => {
    if (!finished) stream.close();
  };
  target.on('drain', onDrain);
  target.once('close', onGone);
  target.once('error', onGone);
  const data = stream.onData((chunk) => {
    sent += chunk.byteLength;
    if (!target.write(chunk)) stream.pause();
  });
  try {
    const error = await closed;
    if (error) throw ContractError.from(error);
    if (stream.size !== undefined && sent !== stream.size) throw new ContractError('cancelled', `The transfer stopped after ${sent} of ${stream.size} bytes.`);
    if (target.destroyed) throw new ContractError('cancelled', 'The receiving side went away.');
    finished = true;
    await new Promise<void>((resolve, reject) => {
      target.end(() => resolve());
      target.once('error', reject);
    });
  } catch (error) {
    finished = true;
    target.destroy(error instanceof Error ? error : undefined);
    throw error;
  } finally {
    data.dispose();
    target.off('drain', onDrain);
    target.off('close', onGone);
  }
}
