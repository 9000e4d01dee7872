/**
 * `host.virshShell`: an interactive virsh on a host as a byte stream. It gets a virsh process
 * of its own (the framed session is for the app), started through the host's own runner.
 */
import { EventEmitter } from 'node:events';
import { toDisposable } from '../../core/disposable.js';
import type { ServerStream } from '../../core/registry.js';
import type { ProcessRunner } from '../../connection/hostProcess.js';
import { virshArgv, type VirshCommand } from '../../libvirt/virshSession.js';

export function openVirshShell(runner: ProcessRunner, uri: string, virsh: VirshCommand = 'virsh'): ServerStream {
  const process = runner.spawn([...virshArgv(virsh), '-c', uri]);
  const emitter = new EventEmitter();
  let closed = false;
  const close = (message?: string) => {
    if (closed) return;
    closed = true;
    emitter.emit('close', message === undefined ? undefined : { code: 'host-unavailable', message });
    process.dispose();
  };
  process.onStdout((chunk) => emitter.emit('data', new Uint8Array(chunk)));
  process.onStderr((chunk) => emitter.emit('data', new Uint8Array(chunk)));
  process.onExit((exit) => close(exit.spawnError ? exit.spawnError.message : undefined));
  return {
    write: (data) => process.write(data),
    onData: (listener) => {
      emitter.on('data', listener);
      return toDisposable(() => emitter.off('data', listener));
    },
    onClose: (listener) => {
      emitter.on('close', listener);
      return toDisposable(() => emitter.off('close', listener));
    },
    close: () => close(),
  };
}
