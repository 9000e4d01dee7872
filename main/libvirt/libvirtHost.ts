/**
 * What the per-kind libvirt modules (domains, networks, pools, …) work with: one connected
 * host's shared virsh session for quick reads and state changes, and its runner for long work
 * (each job on its own channel), file transfers and tunnels.
 */
import type { HostRunner } from '../connection/hostProcess.js';
import { runRemoteJob, type RemoteJobOptions } from '../connection/remoteJob.js';
import { contractErrorFromStderr } from './libvirtErrors.js';
import { virshArgv, type VirshCommand, type VirshSession } from './virshSession.js';

export interface LibvirtHost {
  session: VirshSession;
  runner: HostRunner;
  virsh: VirshCommand;
  uri: string;
}

/** The argv of a virsh of its own on the host (through sudo where the host needs it). */
export function virshJobArgv(host: Pick<LibvirtHost, 'virsh' | 'uri'>, argv: readonly string[]): string[] {
  return [...virshArgv(host.virsh), '-c', host.uri, ...argv];
}

/**
 * Long or blocking virsh work (destroy of a hung guest, managed save, snapshots with memory,
 * clones, migration, anything reading stdin) as a job: never in the shared session, cancellable,
 * killed on the host when cancelled or late. Resolves with stdout; a failure is a typed error.
 */
export async function runVirshJob(host: Pick<LibvirtHost, 'runner' | 'virsh' | 'uri'>, argv: readonly string[], options: RemoteJobOptions = {}): Promise<string> {
  const result = await runRemoteJob(host.runner, virshJobArgv(host, argv), options);
  if (result.code !== 0) throw contractErrorFromStderr(result.stderr, `virsh ${argv[0] ?? ''} failed`);
  return result.stdout;
}
