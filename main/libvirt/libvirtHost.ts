/**
 * What the per-kind libvirt modules (domains, networks, pools, …) work with: one connected
 * host's shared virsh session for quick reads and state changes, and its runner for long work
 * (each job on its own channel), file transfers and tunnels.
 */
import type { HostRunner } from '../connection/hostProcess.js';
import { runRemoteJob, type RemoteJobOptions } from '../connection/remoteJob.js';
import { checkedResult, contractErrorFromStderr } from './libvirtErrors.js';
import { virshArgv, type VirshCommand, type VirshSession } from './virshSession.js';

export interface LibvirtHost {
  session: VirshSession;
  runner: HostRunner;
  virsh: VirshCommand;
  uri: string;
}

/**
 * libvirt's test driver (`test:///…`) keeps its whole state inside each virsh process: a job in
 * a virsh of its own would act on a copy of the host that vanishes with it. There every command
 * goes through the shared session (where it is quick: the test driver never blocks).
 */
export function stateLivesInSession(uri: string): boolean {
  return /^test:/i.test(uri);
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
export async function runVirshJob(host: LibvirtHost, argv: readonly string[], options: RemoteJobOptions = {}): Promise<string> {
  if (stateLivesInSession(host.uri)) return checkedResult(await host.session.run(argv, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), `virsh ${argv[0] ?? ''}`);
  const result = await runRemoteJob(host.runner, virshJobArgv(host, argv), options);
  if (result.code !== 0) throw contractErrorFromStderr(result.stderr, `virsh ${argv[0] ?? ''} failed`);
  return result.stdout;
}
