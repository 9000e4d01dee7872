/**
 * The page's side of uploads and downloads. Both report bytes so the dialog can show progress,
 * speed and time remaining.
 *
 * In web mode the browser moves the bytes itself, over plain HTTP to web mode's transfer routes
 * (main/web/transferRoutes.ts), which feed the same `volume.upload` / `volume.download` streams:
 * the File is the body of a PUT (the browser streams it from disk; XHR reports what was sent),
 * and a download is an ordinary browser download (written under a temporary name until it is
 * complete), whose progress the page follows through its task. That is scp's speed; the
 * stream's credit window through the page, one JavaScript frame at a time, was a tenth of it.
 *
 * Over Electron's MessagePort the File goes through the stream in slices, awaiting each write so
 * the window holds the page back, and a download is gathered into a Blob the window saves.
 */
import { ContractError, type ContractClient, type Task } from '../../../../preload/contract.js';

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

/** A transfer route of web mode, with the stream's arguments. */
function transferUrl(name: string, args: Record<string, unknown>, extra: Record<string, string> = {}): string {
  return `/transfer/${name}?${new URLSearchParams({ args: JSON.stringify(args), ...extra }).toString()}`;
}

function cancelledError(): Error {
  return Object.assign(new Error('cancelled'), { code: 'cancelled' });
}

/** Web mode: the File as the body of one PUT, which the browser streams from disk. */
function uploadOverHttp(target: { hostId: string; pool: string; name: string }, file: Blob, onProgress: (progress: TransferProgress) => void): Transfer {
  const request = new XMLHttpRequest();
  const done = new Promise<void>((resolve, reject) => {
    request.open('PUT', transferUrl('volume.upload', { ...target, size: file.size }));
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.upload.onprogress = (event) => onProgress({ bytes: event.loaded, total: file.size });
    request.onload = () => {
      let body: { ok?: boolean; error?: unknown } = {};
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        // Not ours: the status says enough.
      }
      if (request.status === 200 && body.ok) return resolve();
      reject(body.error ? ContractError.from(body.error as never) : new ContractError('internal', `The upload ended with HTTP ${request.status}.`));
    };
    request.onerror = () => reject(new ContractError('transport-closed', 'The connection to the VirtDeck service was lost during the upload.'));
    request.onabort = () => reject(cancelledError());
    request.send(file);
  });
  return { done, cancel: () => request.abort() };
}

export function uploadFile(client: ContractClient, target: { hostId: string; pool: string; name: string }, file: Blob, onProgress: (progress: TransferProgress) => void): Transfer {
  if (client.mode === 'web') return uploadOverHttp(target, file, onProgress);
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

/** A name for one transfer that the page can find its task by (no secure context needed). */
function transferId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Web mode: the browser downloads the volume itself (an anchor to the transfer route); the page
 * follows the download's task for bytes, the end and any error, and cancels through it.
 */
function downloadOverHttp(client: ContractClient, source: { hostId: string; pool: string; volume: string }, total: number, onProgress: (progress: TransferProgress) => void): Transfer {
  const id = transferId();
  let taskId: string | undefined;
  let cancelRequested = false;
  let stop: () => void = () => undefined;
  const cancelTask = () => {
    if (taskId) void client.call('tasks.cancel', { taskId }).catch(() => undefined);
  };
  const done = new Promise<void>((resolve, reject) => {
    const off = client.on('task.changed', (task: Task) => {
      if (task.titleParams?.transfer !== id) return;
      if (taskId === undefined) {
        taskId = task.id;
        if (cancelRequested) cancelTask();
      }
      if (task.progress !== null) onProgress({ bytes: Math.round(task.progress * total), total });
      if (task.state === 'running') return;
      off();
      if (task.state === 'succeeded') resolve();
      else if (task.state === 'cancelled') reject(cancelledError());
      else reject(new ContractError('file-error', task.error ?? 'The download failed.'));
    });
    stop = () => {
      off();
      reject(cancelledError());
    };
  });
  const anchor = document.createElement('a');
  anchor.href = transferUrl('volume.download', { ...source, transfer: id }, { filename: source.volume });
  anchor.download = source.volume;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  return {
    done,
    cancel: () => {
      cancelRequested = true;
      if (taskId) cancelTask();
      else stop();
    },
  };
}

/** Downloads a volume to the workstation; resolves once the browser or window has all of it. */
export function downloadVolumeToDisk(client: ContractClient, source: { hostId: string; pool: string; volume: string }, total: number, onProgress: (progress: TransferProgress) => void): Transfer {
  if (client.mode === 'web') return downloadOverHttp(client, source, total, onProgress);
  const transfer = downloadVolume(client, source, total, onProgress);
  return {
    done: transfer.blob.then((blob) => saveBlob(blob, source.volume)),
    cancel: transfer.cancel,
  };
}

function downloadVolume(client: ContractClient, source: { hostId: string; pool: string; volume: string }, total: number, onProgress: (progress: TransferProgress) => void): Transfer & { blob: Promise<Blob> } {
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
function saveBlob(blob: Blob, name: string): void {
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
