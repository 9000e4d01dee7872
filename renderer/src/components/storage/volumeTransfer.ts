/**
 * The page's side of uploads and downloads: a File (from the file picker) read in slices and
 * written to the `volume.upload` stream, awaiting each write so the stream's window holds the
 * page back; a volume's bytes gathered from `volume.download` into a Blob that the browser saves.
 * Both report bytes so the dialog can show progress, speed and time remaining.
 */
import type { ContractClient } from '../../../../preload/contract.js';

/** Slices read from the file at a time: big enough to keep the stream busy, small enough for memory. */
const SLICE = 4 * 1024 * 1024;

export interface TransferProgress {
  bytes: number;
  total: number;
}

export interface Transfer {
  done: Promise<void>;
  cancel(): void;
}

export function uploadFile(client: ContractClient, target: { hostId: string; pool: string; name: string }, file: Blob, onProgress: (progress: TransferProgress) => void): Transfer {
  let cancelled = false;
  let cancel = () => {
    cancelled = true;
  };
  const done = (async () => {
    const stream = await client.openStream('volume.upload', { ...target, size: file.size });
    let closeError: unknown;
    let closed = false;
    const finished = new Promise<void>((resolve, reject) =>
      stream.onClose((error) => {
        closed = true;
        closeError = error;
        if (error) reject(error);
        else resolve();
      }),
    );
    cancel = () => {
      cancelled = true;
      stream.close();
    };
    if (cancelled) stream.close();
    let sent = 0;
    // The next slice is read while the current one is sent.
    let next = file.size > 0 ? file.slice(0, Math.min(SLICE, file.size)).arrayBuffer() : undefined;
    while (next && !closed && !cancelled) {
      const chunk = new Uint8Array(await next);
      const after = sent + chunk.byteLength;
      next = after < file.size ? file.slice(after, Math.min(after + SLICE, file.size)).arrayBuffer() : undefined;
      await stream.write(chunk);
      sent = after;
      onProgress({ bytes: sent, total: file.size });
    }
    if (!closed && !cancelled) stream.end();
    try {
      await finished;
    } catch {
      throw closeError;
    }
    if (cancelled) throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
  })();
  return { done, cancel: () => cancel() };
}

export function downloadVolume(client: ContractClient, source: { hostId: string; pool: string; volume: string }, total: number, onProgress: (progress: TransferProgress) => void): Transfer & { blob: Promise<Blob> } {
  let cancel: () => void = () => undefined;
  let cancelled = false;
  const blob = (async () => {
    const stream = await client.openStream('volume.download', source);
    cancel = () => {
      cancelled = true;
      stream.close();
    };
    if (cancelled) stream.close();
    // Blobs of a few MiB each: the browser may keep big ones on disk rather than in memory.
    const parts: Blob[] = [];
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let bytes = 0;
    stream.onData((data) => {
      pending.push(data.slice());
      pendingBytes += data.byteLength;
      bytes += data.byteLength;
      if (pendingBytes >= SLICE) {
        parts.push(new Blob(pending as BlobPart[]));
        pending = [];
        pendingBytes = 0;
      }
      onProgress({ bytes, total });
    });
    await new Promise<void>((resolve, reject) => stream.onClose((error) => (error ? reject(error) : resolve())));
    if (cancelled) throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
    parts.push(new Blob(pending as BlobPart[]));
    return new Blob(parts, { type: 'application/octet-stream' });
  })();
  return { blob, done: blob.then(() => undefined), cancel: () => cancel() };
}

/** Hands a Blob to the browser as a download under `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has taken its copy once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Speed over the transfer so far and the time the rest will take at it. */
export function transferRate(bytes: number, total: number, elapsedMs: number): { bytesPerSecond: number; remainingSeconds: number | undefined } {
  const bytesPerSecond = elapsedMs > 0 ? (bytes / elapsedMs) * 1000 : 0;
  return { bytesPerSecond, remainingSeconds: bytesPerSecond > 0 ? Math.max(0, (total - bytes) / bytesPerSecond) : undefined };
}
