/**
 * Live libvirt events for one host: the three virsh event loops (domains, networks, storage
 * pools) run behind one SSH channel — one session of the host's MaxSessions instead of three —
 * and their output lines become typed events. It does not reconnect: when any loop ends
 * (libvirtd went away, the SSH connection dropped) it reports that once and stops the others;
 * the host connection that owns it decides what happens next.
 */
import { EventEmitter } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { DisposableStore, type Disposable, toDisposable } from '../core/disposable.js';
import type { ProcessExit, ProcessRunner } from '../connection/hostProcess.js';
import { parseEventLine, type LibvirtEvent, type LibvirtEventKind } from './eventLine.js';
import { virshArgv, virshErrorMessage, type VirshCommand } from './virshSession.js';

/**
 * The commands, as checked against libvirt 9.0: only `event` has `--all`; `net-event` and
 * `pool-event` take exactly one `--event` type. Networks only have `lifecycle`; for pools we skip
 * `refresh`, which only follows an explicit pool-refresh.
 */
export const EVENT_COMMANDS: Readonly<Record<LibvirtEventKind, readonly string[]>> = {
  domain: ['event', '--all', '--loop', '--timestamp'],
  network: ['net-event', '--event', 'lifecycle', '--loop', '--timestamp'],
  pool: ['pool-event', '--event', 'lifecycle', '--loop', '--timestamp'],
};

/** Printed (by the script) when one of the loops ends: `VDEVENTS-END <kind> <exit status>`. */
const END_LINE = /^VDEVENTS-END (domain|network|pool) (\d+)$/;

/**
 * Runs the three loops of "$@" (virsh and its connection options) into one stdout. Their lines
 * cannot be confused: each event line names its kind, and virsh writes each whole line at once,
 * well under the pipe's atomic write size. When a loop ends, its END line tells main, which
 * closes the channel. Closing — or a dropped connection — ends our stdin; the reader then kills
 * the whole process group (sshd makes each session's command a group leader; locally the runner
 * does), so no virsh is left behind on the host holding a libvirtd connection. Constant text:
 * every variable part travels as a positional argument through the one quoting function.
 */
export const EVENTS_SCRIPT = [
  'exec 3<&0;',
  ...(Object.entries(EVENT_COMMANDS) as [LibvirtEventKind, readonly string[]][]).map(
    ([kind, command]) => `{ "$@" ${command.join(' ')} </dev/null; echo "VDEVENTS-END ${kind} $?"; } &`,
  ),
  '{ while read -r _; do :; done; kill -s TERM -- -$$; } <&3 >/dev/null 2>&1 &',
  'exec 3<&-;',
  'wait',
].join(' ');

export function eventsArgv(uri: string, virsh: VirshCommand = 'virsh'): string[] {
  // The wrapper runs as the user; only virsh itself (possibly through sudo) runs inside it.
  return ['sh', '-c', EVENTS_SCRIPT, 'sh', ...virshArgv(virsh), '-c', uri];
}

export interface EventWatcherEnded {
  /** The loop whose end stopped the watcher; 'all' when the channel itself ended. */
  source: LibvirtEventKind | 'all';
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

/** How long the end of one loop waits for the process to exit (and its stderr to arrive). */
const END_GRACE_MS = 2_000;

/** Enough stderr to explain an exit; virsh writes a line or two before it ends. */
const STDERR_KEEP = 4096;

export class LibvirtEventWatcher implements Disposable {
  private readonly emitter = new EventEmitter();
  private readonly owned = new DisposableStore();
  private ended: EventWatcherEnded | undefined;
  private disposed = false;

  constructor(runner: ProcessRunner, uri: string, virsh: VirshCommand = 'virsh') {
    const process = this.owned.add(runner.spawn(eventsArgv(uri, virsh)));
    const stdout = new LineReader();
    let stderr = '';
    let loopEnded: (() => void) | undefined;
    const deliver = (lines: string[]): void => {
      for (const line of lines) {
        // After a loop's end line nothing more is believed: the watcher is ending.
        if (this.ended || this.disposed || loopEnded) return;
        const end = END_LINE.exec(line);
        if (end) {
          // The script ends its process group right after this line; stderr is another pipe and
          // may still be on its way, so the end is told at the exit (or soon, if none comes).
          const code = Number(end[2]);
          const finish = (): void => this.end({ source: end[1] as LibvirtEventKind, exit: { code, signal: null }, message: exitMessage({ code, signal: null }, stderr) });
          loopEnded = finish;
          const timer = setTimeout(finish, END_GRACE_MS);
          this.owned.add({ dispose: () => clearTimeout(timer) });
          return;
        }
        const event = parseEventLine(line);
        if (event) this.emitter.emit('event', event);
      }
    };
    this.owned.add(process.onStdout((chunk) => deliver(stdout.push(chunk))));
    this.owned.add(
      process.onStderr((chunk) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
      }),
    );
    this.owned.add(
      process.onExit((exit) => {
        deliver(stdout.finish());
        if (loopEnded) loopEnded();
        else this.end({ source: 'all', exit, message: exitMessage(exit, stderr) });
      }),
    );
  }

  /** Set once the watcher has stopped on its own (not through dispose). */
  get endReason(): EventWatcherEnded | undefined {
    return this.ended;
  }

  onEvent(listener: (event: LibvirtEvent) => void): Disposable {
    this.emitter.on('event', listener);
    return toDisposable(() => this.emitter.off('event', listener));
  }

  /** Fires at most once, when a loop or the channel ends by itself. Not after dispose(). */
  onEnded(listener: (ended: EventWatcherEnded) => void): Disposable {
    this.emitter.on('ended', listener);
    return toDisposable(() => this.emitter.off('ended', listener));
  }

  private end(ended: EventWatcherEnded): void {
    if (this.ended || this.disposed) return;
    this.ended = ended;
    // Stop the other loops: a watcher that sees only some kinds of events would silently go stale.
    this.owned.dispose();
    this.emitter.emit('ended', ended);
    this.emitter.removeAllListeners();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.owned.dispose();
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
