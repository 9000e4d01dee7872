/**
 * Domain snapshot verbs. Creating (with memory: as long as saving the RAM takes), reverting and
 * deleting can block for long, so they run as jobs of their own; the XML goes through the file
 * primitive.
 */
import type { RemoteJobOptions } from '../connection/remoteJob.js';
import { withXmlOnHost } from './definitions.js';
import { checkedResult } from './libvirtErrors.js';
import { runVirshJob, type LibvirtHost } from './libvirtHost.js';

/** Names of the domain's snapshots, oldest first. */
export async function listSnapshots(host: LibvirtHost, domain: string): Promise<string[]> {
  const out = checkedResult(await host.session.run(['snapshot-list', '--domain', domain, '--name', '--topological']), 'virsh snapshot-list');
  return out.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

export async function readSnapshotXml(host: LibvirtHost, domain: string, snapshot: string): Promise<string> {
  return checkedResult(await host.session.run(['snapshot-dumpxml', '--domain', domain, '--snapshotname', snapshot]), 'virsh snapshot-dumpxml');
}

/** Creates a snapshot from its XML (a DomainSnapshotDocument). */
export function createSnapshot(host: LibvirtHost, domain: string, xml: string, options: RemoteJobOptions = {}): Promise<string> {
  return withXmlOnHost(host.runner, xml, (path) => runVirshJob(host, ['snapshot-create', '--domain', domain, '--xmlfile', path], options));
}

export async function revertSnapshot(host: LibvirtHost, domain: string, snapshot: string, options: RemoteJobOptions = {}): Promise<void> {
  await runVirshJob(host, ['snapshot-revert', '--domain', domain, '--snapshotname', snapshot], options);
}

export async function deleteSnapshot(host: LibvirtHost, domain: string, snapshot: string, options: RemoteJobOptions = {}): Promise<void> {
  await runVirshJob(host, ['snapshot-delete', '--domain', domain, '--snapshotname', snapshot], options);
}
