/**
 * `vm.console`: `virsh console` on a pty of the host, as a byte stream. On a pty virsh's errors
 * arrive with its output, so the last output is kept to tell why it ended: another client holds
 * the console (`console-busy`, the renderer asks before taking it over with `force`), or libvirt
 * went away (`host-unavailable`, the renderer reconnects).
 */
import type { ContractErrorShape } from '../../../preload/contract.js';
import type { ServerStream } from '../../core/registry.js';
import { virshArgv } from '../../libvirt/virshSession.js';
import type { LibvirtHost } from '../../libvirt/libvirtHost.js';
import { processStream } from '../streams/serverStreams.js';

const TAIL_CHARS = 2000;

/** Why `virsh console` ended, from its exit code and last output. */
export function serialConsoleFailure(code: number | null, output: string): ContractErrorShape | undefined {
  const error = /error: (.+)/.exec(output.replace(/\r/g, ''))?.[1]?.trim();
  if (/Active console session exists/i.test(output)) {
    return { code: 'console-busy', message: error ?? 'Another client has the console of this domain.' };
  }
  if (code === 0 || code === null) return undefined;
  if (/End of file|Cannot recv data|Connection reset|Broken pipe|disconnected from/i.test(output)) {
    return { code: 'host-unavailable', message: error ?? 'The connection to libvirt on the host was lost.' };
  }
  if (/not found|no domain with matching/i.test(output)) return { code: 'not-found', message: error ?? 'The domain was not found.' };
  return { code: 'libvirt-error', message: error ?? `virsh console ended with status ${code}.` };
}

export function openSerialConsole(host: LibvirtHost, name: string, size: { rows: number; cols: number }, force: boolean): ServerStream {
  const argv = [...virshArgv(host.virsh), '-c', host.uri, 'console', ...(force ? ['--force'] : []), '--domain', name];
  const process = host.runner.spawn(argv, { pty: size, channelWaitMs: 30_000 });
  let tail = '';
  process.onStdout((chunk) => (tail = (tail + chunk.toString('utf8')).slice(-TAIL_CHARS)));
  return processStream(process, { mergeStderr: true, failure: (code) => serialConsoleFailure(code, tail) });
}
