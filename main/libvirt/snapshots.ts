/**
 * Domain snapshot verbs. Creating (with memory: as long as saving the RAM takes), reverting and
 * deleting can block for long, so they run as jobs of their own; the XML goes through the file
 * primitive. What a VM's disks allow (internal snapshots need qcow2 everywhere) is worked out
 * from its domain document.
 */
import type { SnapshotInfo, SnapshotKind, SnapshotOverview, SnapshotUnavailableReason } from '../../preload/contract.js';
import type { RemoteJobOptions } from '../connection/remoteJob.js';
import { withXmlOnHost } from './definitions.js';
import { checkedResult } from './libvirtErrors.js';
import { runVirshJob, type LibvirtHost } from './libvirtHost.js';
import { createDomainSnapshotDocument } from './models/domainSnapshotBuilder.js';
import { DISK } from './xml/domainDevices.js';
import { DomainDocument } from './xml/domainDocument.js';
import { DOMAIN_SNAPSHOT, DomainSnapshotDocument } from './xml/domainSnapshotDocument.js';
import { stringProperty } from './xml/xmlProperty.js';

/** Names of the domain's snapshots, parents before children. */
export async function listSnapshots(host: LibvirtHost, domain: string): Promise<string[]> {
  const out = checkedResult(await host.session.run(['snapshot-list', '--domain', domain, '--name', '--topological']), 'virsh snapshot-list');
  return out.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

export async function readSnapshotXml(host: LibvirtHost, domain: string, snapshot: string): Promise<string> {
  return checkedResult(await host.session.run(['snapshot-dumpxml', '--domain', domain, '--snapshotname', snapshot]), 'virsh snapshot-dumpxml');
}

/** Creates a snapshot from its XML (a DomainSnapshotDocument); `diskOnly` for external disk-only ones. */
export function createSnapshot(host: LibvirtHost, domain: string, xml: string, options: RemoteJobOptions & { diskOnly?: boolean } = {}): Promise<string> {
  const { diskOnly, ...job } = options;
  return withXmlOnHost(host.runner, xml, (path) => runVirshJob(host, ['snapshot-create', '--domain', domain, '--xmlfile', path, ...(diskOnly ? ['--disk-only', '--atomic'] : [])], job));
}

export async function revertSnapshot(host: LibvirtHost, domain: string, snapshot: string, options: RemoteJobOptions = {}): Promise<void> {
  await runVirshJob(host, ['snapshot-revert', '--domain', domain, '--snapshotname', snapshot], options);
}

export interface DeleteSnapshotOptions extends RemoteJobOptions {
  /** Also delete every descendant. */
  children?: boolean;
  /** Only libvirt's record (what older libvirt can do for external snapshots; their files stay). */
  metadataOnly?: boolean;
}

export async function deleteSnapshot(host: LibvirtHost, domain: string, snapshot: string, options: DeleteSnapshotOptions = {}): Promise<void> {
  const { children, metadataOnly, ...job } = options;
  await runVirshJob(host, ['snapshot-delete', '--domain', domain, '--snapshotname', snapshot, ...(children ? ['--children'] : []), ...(metadataOnly ? ['--metadata'] : [])], job);
}

/** A snapshot's facts from its `snapshot-dumpxml`. */
export function snapshotInfoFromXml(xml: string, current: boolean): SnapshotInfo {
  const document = DomainSnapshotDocument.parse(xml);
  const memory = document.get(DOMAIN_SNAPSHOT.memory);
  const disks = document.diskSnapshots();
  const info: SnapshotInfo = {
    name: document.get(DOMAIN_SNAPSHOT.name) ?? '',
    state: document.get(DOMAIN_SNAPSHOT.state) ?? 'nostate',
    current,
    memory: memory === 'internal' || memory === 'external' ? memory : 'no',
    external: memory === 'external' || disks.some((disk) => disk.mode === 'external'),
  };
  const parent = document.get(DOMAIN_SNAPSHOT.parent);
  if (parent) info.parent = parent;
  const description = document.get(DOMAIN_SNAPSHOT.description);
  if (description) info.description = description;
  const created = document.get(DOMAIN_SNAPSHOT.creationTime);
  if (created !== undefined) info.creationTime = created;
  return info;
}

export interface SnapshotDiskFacts {
  target: string;
  /** file, block, volume, network … */
  type: string;
  format?: string;
  path?: string;
}

/** The disks a snapshot covers: writable disks (CD-ROMs and read-only media are left out). */
export function snapshotDisks(domain: DomainDocument): SnapshotDiskFacts[] {
  return domain
    .devices('disk')
    .filter((disk) => (domain.get(DISK.device, disk) ?? 'disk') === 'disk' && !domain.get(DISK.readonly, disk) && !domain.get(DISK.shareable, disk))
    .map((disk) => {
      const facts: SnapshotDiskFacts = { target: domain.get(DISK.targetDev, disk) ?? '', type: domain.get(DISK.type, disk) ?? 'file' };
      const format = domain.get(DISK.format, disk);
      if (format) facts.format = format;
      const path = domain.get(DISK.sourceFile, disk) ?? domain.get(DISK.sourceDev, disk) ?? domain.get(DISK.sourceVolume, disk);
      if (path) facts.path = path;
      return facts;
    });
}

const LOADER_TYPE = stringProperty('./os/loader/@type');

/**
 * Which kinds of snapshot the VM allows, and why not where it does not. Internal snapshots live
 * inside qcow2 images, so every writable disk must be qcow2 (raw has no room for them) and the
 * firmware must not keep its variables in pflash (libvirt cannot snapshot those internally).
 * External snapshots put a qcow2 overlay over any file or block disk; with memory they need a
 * running guest.
 */
export function snapshotOptions(domain: DomainDocument, running: boolean): { kind: SnapshotKind; available: boolean; reason?: SnapshotUnavailableReason }[] {
  const disks = snapshotDisks(domain);
  const noDisk = disks.length === 0;
  const internal: SnapshotUnavailableReason | undefined = noDisk
    ? 'no-disk'
    : disks.some((disk) => disk.format !== 'qcow2')
      ? 'raw-disk'
      : domain.get(LOADER_TYPE) === 'pflash'
        ? 'pflash'
        : undefined;
  const external: SnapshotUnavailableReason | undefined = noDisk ? 'no-disk' : disks.some((disk) => disk.type === 'network') ? 'network-disk' : undefined;
  const withMemory = external ?? (running ? undefined : 'not-running');
  const option = (kind: SnapshotKind, reason: SnapshotUnavailableReason | undefined) => (reason ? { kind, available: false, reason } : { kind, available: true });
  return [option('internal', internal), option('external-disk', external), option('external-memory', withMemory)];
}

/** The daemon's version as [major, minor] from `virsh version`. */
export function libvirtVersion(versionOutput: string): [number, number] | undefined {
  const match = /Running against daemon:\s*(\d+)\.(\d+)/.exec(versionOutput) ?? /Using library: libvirt\s*(\d+)\.(\d+)/.exec(versionOutput);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** libvirt reverts to and deletes external snapshots only from 9.9 on. */
export function externalSnapshotsComplete(version: [number, number] | undefined): boolean {
  if (!version) return false;
  return version[0] > 9 || (version[0] === 9 && version[1] >= 9);
}

function isRunning(domstate: string): boolean {
  return /^(running|paused|idle|in shutdown|blocked)/.test(domstate.trim());
}

/** The snapshot tree of a VM with what it allows: three round trips in the shared session. */
export async function snapshotOverview(host: LibvirtHost, domain: string): Promise<SnapshotOverview> {
  const [names, current, state, xml, version] = await Promise.all(
    host.session.runBatch([
      ['snapshot-list', '--domain', domain, '--name', '--topological'],
      ['snapshot-current', '--domain', domain, '--name'],
      ['domstate', '--domain', domain],
      ['dumpxml', '--domain', domain],
      ['version'],
    ]),
  );
  const snapshotNames = checkedResult(names, 'virsh snapshot-list').split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const currentName = current?.ok ? current.stdout.trim() : '';
  const running = isRunning(checkedResult(state, 'virsh domstate'));
  const document = DomainDocument.parse(checkedResult(xml, 'virsh dumpxml'));
  const dumps = await Promise.all(host.session.runBatch(snapshotNames.map((name) => ['snapshot-dumpxml', '--domain', domain, '--snapshotname', name])));
  const snapshots = dumps.flatMap((dump, index) => (dump.ok ? [snapshotInfoFromXml(dump.stdout, snapshotNames[index] === currentName)] : []));
  return {
    snapshots,
    running,
    options: snapshotOptions(document, running),
    disks: snapshotDisks(document).map(({ target, format, path }) => ({ target, ...(format ? { format } : {}), ...(path ? { path } : {}) })),
    externalRevert: externalSnapshotsComplete(version?.ok ? libvirtVersion(version.stdout) : undefined),
  };
}

/**
 * The definition of a new snapshot of `kind`. External overlays are named by libvirt after the
 * snapshot beside each disk; the memory of an external snapshot with memory goes beside the
 * first disk.
 */
export function snapshotDefinition(domain: DomainDocument, draft: { name: string; description?: string; kind: SnapshotKind }): string {
  const disks = snapshotDisks(domain);
  if (draft.kind === 'internal') {
    return createDomainSnapshotDocument({ name: draft.name, ...(draft.description ? { description: draft.description } : {}) }).toXml();
  }
  const firstPath = disks.find((disk) => disk.path?.startsWith('/'))?.path;
  const dir = firstPath ? firstPath.slice(0, firstPath.lastIndexOf('/')) : '/var/lib/libvirt/qemu/snapshot';
  const domainName = domain.get(stringProperty('./name')) ?? 'vm';
  return createDomainSnapshotDocument({
    name: draft.name,
    ...(draft.description ? { description: draft.description } : {}),
    memory: draft.kind === 'external-memory' ? 'external' : 'no',
    ...(draft.kind === 'external-memory' ? { memoryFile: `${dir}/${domainName}.${draft.name}.mem` } : {}),
    disks: disks.map((disk) => ({ disk: disk.target, mode: 'external' as const })),
  }).toXml();
}
