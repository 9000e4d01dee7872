/**
 * `host.virshShell`: an interactive virsh on a host as a byte stream. It gets a virsh process
 * of its own (the framed session is for the app), started through the host's own runner.
 */
import type { ServerStream } from '../../core/registry.js';
import type { ProcessRunner } from '../../connection/hostProcess.js';
import { virshArgv, type VirshCommand } from '../../libvirt/virshSession.js';
import { processStream } from './serverStreams.js';

export function openVirshShell(runner: ProcessRunner, uri: string, virsh: VirshCommand = 'virsh'): ServerStream {
  return processStream(runner.spawn([...virshArgv(virsh), '-c', uri], { channelWaitMs: 30_000 }), { mergeStderr: true });
}
