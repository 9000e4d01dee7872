/**
 * Live libvirt events for one host: three long-lived virsh processes (domains, networks, storage
 * pools) whose output lines become typed events. It does not reconnect: when any of them ends
 * (libvirtd went away, the SSH connection dropped) it reports that once and stops the others;
 * the host connection that owns it decides what happens next.
 */
import { EventEmitter } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { DisposableStore, toDisposable, type Disposable } from '../core/disposable.js';
import type { HostProcess, ProcessExit, ProcessRunner } from '../connection/hostProcess.js';
import { parseEventLine, type LibvirtEvent, type LibvirtEventKind } from './eventLine.js';
import { virshArgv, virshErrorMessage, type VirshCommand } from './virshSession.js';

/**
 * The commands, as checked against libvirt 9.0: only `event` has `--all`; `net-event` and
 * `pool-event` take exactly one `--event` type. Networks only have `lifecycle`; for pools we skip
 * `refresh`, which only follows an explicit pool-refresh and would cost a fourth channel.
 */
export const EVENT_COMMANDS: Readonly<Record<LibvirtEventKind, readonly string[]>> = {
  domain: ['event', '--all', '--loop', '--timestamp'],
  network: ['net-event', '--event', 'lifecycle', '--loop', '--timestamp'],
  pool: ['pool-event', '--event', 'lifecycle', '--loop', '--timestamp'],
};

/**
 * Runs "$@" and kills it when our stdin reaches EOF. `virsh event` never reads stdin and only
 * notices a closed stdout when it next prints, so over SSH a closed channel or a dropped
 * connection left it running on the host (seen in the lab: orphaned under PID 1, each holding a
 * libvirtd connection). sshd closes the command's stdin in both cases; the background reader
 * sees that EOF and ends virsh. Background jobs get /dev/null as stdin, hence the copy on fd 3.
 * Constant text: every variable part travels as a positional argument through the one quoting
 * function.
 */
export const STOP_ON_STDIN_EOF =
  'exec 3<&0; "$@" </dev/null & pid=$!; ' +
  '{ while read -r _; do :; done; kill "$pid"; } <&3 >/dev/null 2>&1 & reader=$!; exec 3<&-; ' +
  'wait "$pid"; status=$?; kill "$reader" 2>/dev/null; exit "$status"';

export function eventCommandArgv(kind: LibvirtEventKind, uri: string, virsh: VirshCommand = 'virsh'): string[] {
  // The wrapper runs as the user; only virsh itself (possibly through sudo) runs inside it.
  return ['sh', '-c', STOP_ON_STDIN_EOF, 'sh', ...virshArgv(virsh), '-c', uri, ...EVENT_COMMANDS[kind]];
}

export interface EventWatcherEnded {
  /** The process whose end stopped the watcher. */
  source: LibvirtEventKind;
  exit: ProcessExit;
  /** What virsh said last on stderr (e.g. "Disconnected from qemu:///system due to end of file"), or a summary of the exit. */
  message: string;
}

/** Cuts a byte stream into lines, keeping multi-byte characters that straddle chunks intact. */
class LineReader {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  push(chunk: Buffer): string[] {
    const lines = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = lines.pop() ?? '';
    return lines;
  }

  finish(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest === '' ? [] : [rest];
  }
}

/** Enough stderr to explain an exit; virsh writes a line or two before it ends. */
const STDERR_KEEP = 4096;

export class LibvirtEventWatcher implements Disposable {
  private readonly emitter = new EventEmitter();
  private readonly processes = new DisposableStore();
  private ended: EventWatcherEnded | undefined;
  private disposed = false;

  constructor(runner: ProcessRunner, uri: string, virsh: VirshCommand = 'virsh') {
    for (const kind of Object.keys(EVENT_COMMANDS) as LibvirtEventKind[]) {
      this.watch(kind, runner.spawn(eventCommandArgv(kind, uri, virsh)));
    }
  }

  /** Set once the watcher has stopped on its own (not through dispose). */
  get endReason(): EventWatcherEnded | undefined {
    return this.ended;
  }

  onEvent(listener: (event: LibvirtEvent) => void): Disposable {
    this.emitter.on('event', listener);
    return toDisposable(() => this.emitter.off('event', listener));
  }

  /** Fires at most once, when a watched process ends by itself. Not after dispose(). */
  onEnded(listener: (ended: EventWatcherEnded) => void): Disposable {
    this.emitter.on('ended', listener);
    return toDisposable(() => this.emitter.off('ended', listener));
  }

  private watch(kind: LibvirtEventKind, process: HostProcess): void {
    const stdout = new LineReader();
    let stderr = '';
    const deliver = (lines: string[]): void => {
      for (const line of lines) {
        if (this.ended || this.disposed) return;
        const event = parseEventLine(line);
        if (event) this.emitter.emit('event', event);
      }
    };
    this.processes.add(process);
    this.processes.add(process.onStdout((chunk) => deliver(stdout.push(chunk))));
    this.processes.add(
      process.onStderr((chunk) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
      }),
    );
    this.processes.add(
      process.onExit((exit) => {
        deliver(stdout.finish());
        this.end({ source: kind, exit, message: exitMessage(exit, stderr) });
      }),
    );
  }

  private end(ended: EventWatcherEnded): void {
    if (this.ended || this.disposed) return;
    this.ended = ended;
    // Stop the other two: a watcher that sees only some kinds of events would silently go stale.
    this.processes.dispose();
    this.emitter.emit('ended', ended);
    this.emitter.removeAllListeners();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.processes.dispose();
    this.emitter.removeAllListeners();
  }
}

function exitMessage(exit: ProcessExit, stderr: string): string {
  if (exit.spawnError) return `${exit.spawnError.code ?? ''} ${exit.spawnError.message}`.trim();
  const said = virshErrorMessage(stderr);
  if (said) return said;
  if (exit.signal) return `virsh ended by signal ${exit.signal}`;
  // An SSH channel that closes without an exit status: the connection under it went away.
  if (exit.code === null) return 'the connection to the host closed';
  return `virsh exited (code ${exit.code})`;
}
