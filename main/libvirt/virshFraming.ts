/**
 * Splits the output of one long-lived interactive `virsh` into per-command results.
 *
 * After every command we send two markers: `echo --err "VD<nonce>" "<seq>"` (stderr gets
 * `error: VD<nonce> <seq>`) and `echo "VD<nonce>" "<seq>"` (stdout gets `VD<nonce> <seq>`).
 * The quotes matter: virsh echoes each command line it reads after its prompt (libvirt 9 does
 * so even with -q when stdin is not a terminal), and the echoed line contains `"VD<nonce>"`
 * with quotes, so it can never be mistaken for the marker itself. The nonce is random per
 * session, so no domain XML or name can forge a marker.
 */

const PROMPT = 'virsh # ';

export interface FrameSpec {
  seq: number;
  /** The exact command line sent (without the newline). */
  line: string;
}

export function markerText(nonce: string, seq: number): string {
  return `VD${nonce} ${seq}`;
}

/** Lines sent to virsh for one command: the command and its two markers. */
export function framedInput(nonce: string, frame: FrameSpec): string {
  const mark = `"VD${nonce}" "${frame.seq}"`;
  return `${frame.line}\necho --err ${mark}\necho ${mark}\n`;
}

/** Removes virsh's prompt and echo of our own lines from one command's stdout slice. */
export function cleanStdout(raw: string, nonce: string, frame: FrameSpec): string {
  let text = raw;
  // The previous marker may or may not have been followed by a newline.
  if (text.startsWith('\n')) text = text.slice(1);
  // virsh's echo of our line. It is not always the line as sent: on a terminal it does not know
  // (SSH without a pty) readline scrolls a long line sideways, printing `\r<` and only its tail.
  // Our lines never contain a line break, so the echo ends at the first one.
  if (text.startsWith(PROMPT)) {
    const end = text.indexOf('\n');
    text = end < 0 ? '' : text.slice(end + 1);
  }
  const mark = `"VD${nonce}" "${frame.seq}"`;
  const trailer1 = `${PROMPT}echo ${mark}\n`;
  const trailer2 = `${PROMPT}echo --err ${mark}\n`;
  if (text.endsWith(trailer1)) text = text.slice(0, -trailer1.length);
  if (text.endsWith(trailer2)) text = text.slice(0, -trailer2.length);
  return text;
}

/**
 * Accumulates bytes of one stream (stdout or stderr) and cuts them at markers. Works on
 * Buffers so a multi-byte character split across chunks is never decoded in halves.
 */
export class MarkerSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** If the marker is present, returns the text before it and drops both. */
  take(marker: string): string | undefined {
    const index = this.buffer.indexOf(marker, 0, 'utf8');
    if (index < 0) return undefined;
    const before = this.buffer.subarray(0, index).toString('utf8');
    let end = index + Buffer.byteLength(marker);
    if (this.buffer[end] === 0x0a) end += 1;
    this.buffer = this.buffer.subarray(end);
    return before;
  }

  /** The start of what is buffered, for error messages. */
  peek(max: number): string {
    return this.buffer.subarray(0, max).toString('utf8').trim();
  }

  get pendingBytes(): number {
    return this.buffer.length;
  }
}
