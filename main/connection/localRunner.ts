/**
 * Runs processes and opens tunnels on this computer ("This computer", the demo hypervisor),
 * with child_process and net, no shell involved except where a pty needs `script`.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { commandLine } from '../remote/quote.js';
import { channelFromDuplex, type ByteChannel, type TunnelOpener, type TunnelTarget } from './byteChannel.js';
import { ProcessEvents, type HostProcess, type ProcessRunner, type ProcessSignal, type PtySize, type SpawnOptions } from './hostProcess.js';

/**
 * A pty without a native module: util-linux `script` (Linux) or BSD `script` (macOS) runs the
 * command on a new pseudo-terminal. The size is set with `stty` inside it before the command
 * starts; a resize sets the slave's size from outside (`stty -F`, Linux), which signals the
 * foreground process with SIGWINCH as a terminal emulator would.
 */
function ptyArgv(argv: readonly string[], size: PtySize, term: string): string[] {
  const inner = `stty rows ${size.rows} cols ${size.cols} 2>/dev/null; TERM=${term}; export TERM; exec ${commandLine(argv)}`;
  if (process.platform === 'darwin') return ['script', '-q', '/dev/null', 'sh', '-c', inner];
  if (process.platform === 'linux') return ['script', '-qfec', `sh -c ${commandLine([inner])}`, '/dev/null'];
  throw new Error(`A terminal for local commands is not available on ${process.platform}.`);
}

/** The pty slave the command under `script` runs on (Linux: its child's stdin). */
async function ptySlaveOf(pid: number): Promise<string | undefined> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const child = children.trim().split(/\s+/)[0];
  if (!child) return undefined;
  const target = await readlink(`/proc/${child}/fd/0`).catch(() => undefined);
  return target?.startsWith('/dev/pts/') ? target : undefined;
}

class LocalProcess extends ProcessEvents implements HostProcess {
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(argv: readonly string[], private readonly options: SpawnOptions) {
    super();
    const full = options.pty ? ptyArgv(argv, options.pty, options.pty.term ?? 'xterm-256color') : [...argv];
    const [command, ...args] = full;
    if (command === undefined) throw new Error('empty argv');
    this.child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
      // Its own process group (and session), as sshd gives every remote command: a signal or a
      // kill of "the job" reaches everything it started, never this process's own group.
      detached: process.platform !== 'win32',
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.emitStdout(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => this.emitStderr(chunk));
    this.child.stdin.on('drain', () => this.emitDrain());
    // Writing to a process that already died raises EPIPE on stdin; the exit event reports it.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      this.finish({ code: null, signal: null, spawnError: error });
    });
    this.child.on('close', (code, signal) => this.finish({ code, signal }));
  }

  write(data: string | Uint8Array): boolean {
    if (this.exited || !this.child.stdin.writable) return false;
    return this.child.stdin.write(data);
  }

  end(): void {
    if (this.child.stdin.writable) this.child.stdin.end();
  }

  pause(): void {
    this.child.stdout.pause();
    this.child.stderr.pause();
  }

  resume(): void {
    this.child.stdout.resume();
    this.child.stderr.resume();
  }

  kill(signal: ProcessSignal = 'TERM'): void {
    if (this.exited) return;
    this.signalGroup(signal);
  }

  private signalGroup(signal: ProcessSignal): void {
    const pid = this.child.pid;
    try {
      if (pid !== undefined && process.platform !== 'win32') process.kill(-pid, `SIG${signal}`);
      else this.child.kill(`SIG${signal}`);
    } catch {
      this.child.kill(`SIG${signal}`);
    }
  }

  resize(size: PtySize): void {
    const pid = this.child.pid;
    if (!this.options.pty || pid === undefined || process.platform !== 'linux') return;
    void ptySlaveOf(pid).then((slave) => {
      if (slave) execFile('stty', ['-F', slave, 'rows', String(size.rows), 'cols', String(size.cols)], () => undefined);
    });
  }

  dispose(): void {
    if (this.exited) return;
    this.end();
    this.signalGroup('TERM');
  }
}

export const localRunner: ProcessRunner & TunnelOpener = {
  spawn: (argv, options = {}) => new LocalProcess(argv, options),
  openTunnel: (target: TunnelTarget) =>
    new Promise<ByteChannel>((resolve, reject) => {
      const socket = target.kind === 'tcp' ? connect({ host: target.host, port: target.port }) : connect({ path: target.path });
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(channelFromDuplex(socket));
      });
      socket.once('error', reject);
    }),
};
