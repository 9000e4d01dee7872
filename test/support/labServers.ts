/**
 * Small servers started inside a lab host (as root, in its namespaces) for tests that need
 * something to connect to there: an echo server on a TCP port or a unix socket.
 */
import { labExec } from '../lab/index.js';

export interface LabServer {
  pid: number;
  stop(): Promise<void>;
}

/** Starts argv detached inside the host; resolves with its pid once it runs. */
export async function startInLab(hostName: string, argv: readonly string[]): Promise<LabServer> {
  const result = await labExec(hostName, ['sh', '-c', 'setsid "$@" </dev/null >/dev/null 2>&1 & echo $!', 'sh', ...argv]);
  const pid = Number(result.stdout.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`could not start ${argv.join(' ')} on ${hostName}: ${result.stderr}`);
  return {
    pid,
    stop: async () => {
      await labExec(hostName, ['kill', String(pid)]).catch(() => undefined);
    },
  };
}

/** An echo server (socat) listening on 127.0.0.1:PORT inside the host. */
export function tcpEcho(hostName: string, port: number): Promise<LabServer> {
  return startInLab(hostName, ['socat', `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, 'EXEC:cat']);
}

/** An echo server on a unix socket inside the host, writable by everyone. */
export function unixEcho(hostName: string, path: string): Promise<LabServer> {
  return startInLab(hostName, ['socat', `UNIX-LISTEN:${path},fork,mode=0777,unlink-early`, 'EXEC:cat']);
}
