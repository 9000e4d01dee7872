/** Feeding a process's stdin from a buffer or a stream, honouring its backpressure. */
import type { HostProcess } from './hostProcess.js';

export type ByteSource = string | Uint8Array | AsyncIterable<Uint8Array>;

/** Large buffers go out in slices, so a 1 GiB buffer is never one write. */
const SLICE = 256 * 1024;

function drained(process: HostProcess): Promise<void> {
  return new Promise((resolve) => {
    const drain = process.onDrain(() => {
      drain.dispose();
      exit.dispose();
      resolve();
    });
    // A process that ends while we wait will never drain: stop waiting.
    const exit = process.onExit(() => {
      drain.dispose();
      exit.dispose();
      resolve();
    });
  });
}

/**
 * Writes everything, waiting for drain whenever the process says its input is full, then closes
 * stdin. Resolves with the number of bytes written. `onProgress` gets the running total.
 */
export async function writeAll(process: HostProcess, source: ByteSource, onProgress?: (bytes: number) => void, signal?: AbortSignal): Promise<number> {
  let total = 0;
  const put = async (chunk: Uint8Array) => {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
    total += chunk.byteLength;
    if (!process.write(chunk)) await drained(process);
    onProgress?.(total);
  };
  if (typeof source === 'string' || source instanceof Uint8Array) {
    const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    for (let offset = 0; offset < bytes.byteLength; offset += SLICE) await put(bytes.subarray(offset, offset + SLICE));
  } else {
    for await (const chunk of source) await put(chunk);
  }
  process.end();
  return total;
}
