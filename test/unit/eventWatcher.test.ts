import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { toDisposable, type Disposable } from '../../main/core/disposable.js';
import type { HostProcess, ProcessExit, ProcessRunner } from '../../main/connection/hostProcess.js';
import { localRunner } from '../../main/connection/localRunner.js';
import type { LibvirtEvent } from '../../main/libvirt/eventLine.js';
import { eventsArgv, LibvirtEventWatcher, type EventWatcherEnded } from '../../main/libvirt/eventWatcher.js';

class FakeProcess implements HostProcess {
  readonly emitter = new EventEmitter();
  disposed = false;
  constructor(readonly argv: readonly string[]) {}
  write(): boolean {
    return true;
  }
  end(): void {}
  pause(): void {}
  resume(): void {}
  kill(): void {}
  resize(): void {}
  onDrain(): Disposable {
    return toDisposable(() => undefined);
  }
  onStdout(listener: (chunk: Buffer) => void): Disposable {
    this.emitter.on('stdout', listener);
    return toDisposable(() => this.emitter.off('stdout', listener));
  }
  onStderr(listener: (chunk: Buffer) => void): Disposable {
    this.emitter.on('stderr', listener);
    return toDisposable(() => this.emitter.off('stderr', listener));
  }
  onExit(listener: (exit: ProcessExit) => void): Disposable {
    this.emitter.on('exit', listener);
    return toDisposable(() => this.emitter.off('exit', listener));
  }
  dispose(): void {
    this.disposed = true;
  }
  stdout(text: string | Buffer): void {
    this.emitter.emit('stdout', Buffer.isBuffer(text) ? text : Buffer.from(text));
  }
  exit(exit: ProcessExit, stderr = ''): void {
    if (stderr) this.emitter.emit('stderr', Buffer.from(stderr));
    this.emitter.emit('exit', exit);
  }
}

function fakeRunner(): { runner: ProcessRunner; spawned: FakeProcess[] } {
  const spawned: FakeProcess[] = [];
  return {
    spawned,
    runner: {
      spawn: (argv) => {
        const process = new FakeProcess(argv);
        spawned.push(process);
        return process;
      },
    },
  };
}

function watch(watcher: LibvirtEventWatcher) {
  const events: LibvirtEvent[] = [];
  const ended: EventWatcherEnded[] = [];
  watcher.onEvent((event) => events.push(event));
  watcher.onEnded((reason) => ended.push(reason));
  return { events, ended };
}

describe('LibvirtEventWatcher with a fake runner', () => {
  it('starts the three loops libvirt 9.0 accepts behind one wrapped channel', () => {
    const { runner, spawned } = fakeRunner();
    new LibvirtEventWatcher(runner, 'qemu:///system', '/usr/bin/virsh').dispose();
    expect(spawned).toHaveLength(1);
    expect(spawned[0]?.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(spawned[0]?.argv.slice(3)).toEqual(['sh', '/usr/bin/virsh', '-c', 'qemu:///system']);
    const script = spawned[0]?.argv[2] ?? '';
    expect(script).toContain('"$@" event --all --loop --timestamp');
    expect(script).toContain('"$@" net-event --event lifecycle --loop --timestamp');
    expect(script).toContain('"$@" pool-event --event lifecycle --loop --timestamp');
  });

  it('emits one event per line of any loop, across chunk boundaries and split UTF-8 characters', () => {
    const { runner, spawned } = fakeRunner();
    const watcher = new LibvirtEventWatcher(runner, 'qemu:///system');
    const { events } = watch(watcher);
    const line = Buffer.from("2026-11-21 21:51:46.261+0000: event 'lifecycle' for domain '中文': Started Booted\n");
    const cut = line.indexOf(Buffer.from('中')) + 1;
    spawned[0]?.stdout(line.subarray(0, cut));
    expect(events).toEqual([]);
    spawned[0]?.stdout(Buffer.concat([line.subarray(cut), Buffer.from("event 'tunable' for domain 'x':\n\tcputune.vcpu0: 0-1\nevent 'lifecycle' for network n: Started\n")]));
    spawned[0]?.stdout("event 'lifecycle' for storage pool p: Stopped\n");
    expect(events.map((e) => [e.kind, e.name, e.event])).toEqual([
      ['domain', '中文', 'Started'],
      ['domain', 'x', 'tunable'],
      ['network', 'n', 'Started'],
      ['pool', 'p', 'Stopped'],
    ]);
    watcher.dispose();
  });

  it('when one loop ends: onEnded once with what virsh said, and the channel is closed', () => {
    const { runner, spawned } = fakeRunner();
    const watcher = new LibvirtEventWatcher(runner, 'qemu:///system');
    const { events, ended } = watch(watcher);
    spawned[0]?.emitter.emit('stderr', Buffer.from('error: Disconnected from qemu:///system due to end of file\n'));
    spawned[0]?.stdout('VDEVENTS-END network 1\n');
    spawned[0]?.stdout("event 'lifecycle' for domain 'late': Started Booted\n");
    spawned[0]?.exit({ code: null, signal: 'TERM' });
    expect(ended).toEqual([{ source: 'network', exit: { code: 1, signal: null }, message: 'Disconnected from qemu:///system due to end of file' }]);
    expect(watcher.endReason?.source).toBe('network');
    expect(spawned[0]?.disposed).toBe(true);
    expect(events).toEqual([]);
  });

  it('a loop\'s end line that comes before virsh\'s stderr still reports what virsh said', () => {
    const { runner, spawned } = fakeRunner();
    const watcher = new LibvirtEventWatcher(runner, 'qemu:///system');
    const { ended } = watch(watcher);
    // stdout and stderr are two pipes: the end line may win the race.
    spawned[0]?.stdout('VDEVENTS-END domain 1\n');
    expect(ended).toEqual([]);
    spawned[0]?.emitter.emit('stderr', Buffer.from('error: failed to connect to the hypervisor\n'));
    spawned[0]?.exit({ code: null, signal: 'TERM' });
    expect(ended).toEqual([{ source: 'domain', exit: { code: 1, signal: null }, message: 'failed to connect to the hypervisor' }]);
  });

  it('dispose stops it and reports no end', () => {
    const { runner, spawned } = fakeRunner();
    const watcher = new LibvirtEventWatcher(runner, 'qemu:///system');
    const { ended } = watch(watcher);
    watcher.dispose();
    spawned[0]?.exit({ code: null, signal: 'SIGTERM' });
    expect(spawned[0]?.disposed).toBe(true);
    expect(ended).toEqual([]);
  });
});

describe('LibvirtEventWatcher with real local processes', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** Pids of processes running the program `path` (found through /proc; the wrappers only pass it as an argument). */
  async function processesRunning(path: string): Promise<number[]> {
    const pids: number[] = [];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.split('\0')[0] === path) pids.push(Number(entry));
    }
    return pids;
  }

  async function until(condition: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('virsh itself goes away on dispose (stdin EOF reaches the wrapper)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vd-evt-'));
    // A uniquely named virsh, so exactly our processes can be found in /proc.
    const virsh = join(dir, 'virsh-under-test');
    await symlink(execFileSync('sh', ['-c', 'command -v virsh'], { encoding: 'utf8' }).trim(), virsh);
    const watcher = new LibvirtEventWatcher(localRunner, 'test:///default', virsh);
    try {
      const { ended } = watch(watcher);
      await until(async () => (await processesRunning(virsh)).length === 3);
      // One process tree for all three loops (one SSH channel on a remote host).
      watcher.dispose();
      await until(async () => (await processesRunning(virsh)).length === 0);
      expect(ended).toEqual([]);
    } finally {
      watcher.dispose();
    }
  });

  it('a virsh that cannot start ends the watcher with its message', async () => {
    const watcher = new LibvirtEventWatcher(localRunner, 'test:///default', '/nonexistent/virsh');
    const { ended } = watch(watcher);
    await until(() => ended.length > 0);
    expect(ended).toHaveLength(1);
    expect(ended[0]?.exit.code).toBe(127);
    expect(ended[0]?.message).toMatch(/not found/);
  });

  it('a virsh that exits ends the watcher once', async () => {
    const watcher = new LibvirtEventWatcher(localRunner, 'nosuch:///x');
    const { ended } = watch(watcher);
    await until(() => ended.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ended).toHaveLength(1);
    expect(ended[0]?.message).toMatch(/connect/i);
  });

  it('the argv passes the URI as data, never as shell text', () => {
    const argv = eventsArgv("test:///$(touch x)'", 'virsh');
    expect(argv[5]).toBe('-c');
    expect(argv[6]).toBe("test:///$(touch x)'");
  });
});
