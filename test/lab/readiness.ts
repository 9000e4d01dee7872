// Waiting for daemons by polling a real readiness signal against a deadline, never by sleeping a
// fixed time: fast machines do not wait, slow machines do not flake.
import { readFile } from 'node:fs/promises';
import net from 'node:net';

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Calls probe until it returns something other than undefined/false, or throws when the deadline
 * passes. `describe` explains what was awaited (and may add diagnostics, e.g. a log tail).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  opts: WaitOptions & { readonly diagnose?: () => Promise<string> } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) {
      const extra = opts.diagnose ? await opts.diagnose().catch(() => '') : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${extra ? `\n${extra}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** /proc/net/tcp writes IPv4 addresses as the in-memory (little-endian on x86) hex word. */
function procTcpAddress(address: string, port: number): string {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new Error(`not an IPv4 address: ${address}`);
  }
  const word = Buffer.from(octets).readUInt32LE(0);
  return `${word.toString(16).toUpperCase().padStart(8, '0')}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

const TCP_LISTEN = '0A';

/**
 * Whether something listens on address:port in the network namespace of `pid`. Reading
 * /proc/PID/net/tcp sees that namespace's sockets without entering it, which also works for hosts
 * the root namespace cannot route to (`behind`).
 */
export async function isTcpListening(pid: number, address: string, port: number): Promise<boolean> {
  let table: string;
  try {
    table = await readFile(`/proc/${pid}/net/tcp`, 'utf8');
  } catch {
    return false;
  }
  const exact = procTcpAddress(address, port);
  const wildcard = procTcpAddress('0.0.0.0', port);
  return table
    .split('\n')
    .slice(1)
    .some((line) => {
      const fields = line.trim().split(/\s+/);
      return fields[3] === TCP_LISTEN && (fields[1] === exact || fields[1] === wildcard);
    });
}

/** Whether a Unix socket accepts connections (socket files can outlive their daemon). */
export function unixSocketAccepts(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ path: socketPath });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
