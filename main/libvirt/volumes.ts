/**
 * Storage volume verbs (vol-*). Creating from XML goes through the file primitive; copying
 * data (clone, wipe) can take long and runs as a job of its own.
 */
import type { RemoteJobOptions } from '../connection/remoteJob.js';
import { withXmlOnHost } from './definitions.js';
import { checkedResult } from './libvirtErrors.js';
import { runVirshJob, type LibvirtHost } from './libvirtHost.js';

export function readVolumeXml(host: LibvirtHost, pool: string, volume: string): Promise<string> {
  return host.session.run(['vol-dumpxml', '--pool', pool, '--vol', volume]).then((result) => checkedResult(result, 'virsh vol-dumpxml'));
}

/** Creates a volume in `pool` from its XML (a StorageVolumeDocument). */
export function createVolume(host: LibvirtHost, pool: string, xml: string): Promise<string> {
  return withXmlOnHost(host.runner, xml, async (path) => checkedResult(await host.session.run(['vol-create', '--pool', pool, '--file', path]), 'virsh vol-create'));
}

export async function deleteVolume(host: LibvirtHost, pool: string, volume: string): Promise<void> {
  checkedResult(await host.session.run(['vol-delete', '--pool', pool, '--vol', volume]), 'virsh vol-delete');
}

/** Copies a volume within its pool (as long as the data takes). */
export async function cloneVolume(host: LibvirtHost, pool: string, volume: string, newName: string, options: RemoteJobOptions = {}): Promise<void> {
  await runVirshJob(host, ['vol-clone', '--pool', pool, '--vol', volume, '--newname', newName], options);
}

/** The volumes of a pool, with their paths (`vol-list`: a name column, then a path from `/`). */
export async function listVolumes(host: LibvirtHost, pool: string): Promise<{ name: string; path: string }[]> {
  const stdout = checkedResult(await host.session.run(['vol-list', '--pool', pool]), 'virsh vol-list');
  return parseVolList(stdout);
}

export function parseVolList(stdout: string): { name: string; path: string }[] {
  return stdout
    .split('\n')
    .map((line) => /^\s*(\S.*?)\s+(\/.*?)\s*$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[1]!, path: match[2]! }));
}
