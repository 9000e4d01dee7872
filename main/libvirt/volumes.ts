/**
 * Storage volume verbs (vol-*). Creating from XML goes through the file primitive; copying
 * data (clone, wipe) can take long and runs as a job of its own.
 */
import { ContractError, storageNameProblem, type PoolVolumes, type StorageVolume, type VolumeFormat, type VolumeSpec, type WipeAlgorithm } from '../../preload/contract.js';
import type { RemoteJobOptions } from '../connection/remoteJob.js';
import { withXmlOnHost } from './definitions.js';
import { pathsInUse, readHostDomains } from './domainDisks.js';
import { checkedResult } from './libvirtErrors.js';
import { runVirshJob, stateLivesInSession, type LibvirtHost } from './libvirtHost.js';
import { isFileBasedPool } from './poolDefinition.js';
import { poolFacts, poolVolumeNames } from './pools.js';
import { STORAGE_VOLUME, StorageVolumeDocument } from './xml/storageVolumeDocument.js';

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

// ---------------------------------------------------------------------------------------------
// Listing, creating, resizing, wiping and converting volumes (issue 8)
// ---------------------------------------------------------------------------------------------

/** Long volume work (preallocation, wipes, copies, conversions) is given this long. */
export const VOLUME_WORK_TIMEOUT_MS = 6 * 60 * 60_000;

function volumeFromXml(xml: string, fallbackName: string, fallbackPath: string, usedBy: string[]): StorageVolume {
  const document = StorageVolumeDocument.parse(xml);
  const volume: StorageVolume = {
    name: document.get(STORAGE_VOLUME.name) ?? fallbackName,
    path: document.get(STORAGE_VOLUME.targetPath) ?? fallbackPath,
    type: document.get(STORAGE_VOLUME.type) ?? 'file',
    capacityBytes: document.get(STORAGE_VOLUME.capacity) ?? 0,
    allocationBytes: document.get(STORAGE_VOLUME.allocation) ?? 0,
    usedBy,
  };
  const format = document.get(STORAGE_VOLUME.format);
  if (format) volume.format = format;
  const backing = document.get(STORAGE_VOLUME.backingPath);
  if (backing) volume.backingPath = backing;
  return volume;
}

/** Every volume of a pool with its format, sizes, backing file and the VMs that use it. */
export async function listVolumes(host: LibvirtHost, pool: string): Promise<PoolVolumes> {
  const facts = await poolFacts(host, pool);
  const result: PoolVolumes = { fileBased: isFileBasedPool(facts.type), volumes: [] };
  if (facts.targetPath) result.targetPath = facts.targetPath;
  if (facts.source) result.source = facts.source;
  if (!facts.active) return result;
  const rows = await poolVolumeNames(host, pool);
  const [xmls, users] = await Promise.all([
    Promise.all(host.session.runBatch(rows.map((row) => ['vol-dumpxml', '--pool', pool, '--vol', row.name]))),
    readHostDomains(host).then((domains) => pathsInUse(host, domains)),
  ]);
  rows.forEach((row, index) => {
    const xml = xmls[index];
    if (!xml?.ok) return; // gone meanwhile
    result.volumes.push(volumeFromXml(xml.stdout, row.name, row.path, users.get(row.path) ?? []));
  });
  result.volumes.sort((a, b) => a.name.localeCompare(b.name));
  return result;
}

export async function readVolume(host: LibvirtHost, pool: string, volume: string): Promise<StorageVolume> {
  const xml = await readVolumeXml(host, pool, volume);
  const path = StorageVolumeDocument.parse(xml).get(STORAGE_VOLUME.targetPath) ?? '';
  const users = path ? ((await pathsInUse(host, await readHostDomains(host))).get(path) ?? []) : [];
  return volumeFromXml(xml, volume, path, users);
}

async function poolAvailableBytes(host: LibvirtHost, pool: string): Promise<number> {
  const info = checkedResult(await host.session.run(['pool-info', '--bytes', '--pool', pool]), 'virsh pool-info');
  const match = /^Available:\s*(\d+)/m.exec(info);
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}

async function volumeNames(host: LibvirtHost, pool: string): Promise<string[]> {
  return (await poolVolumeNames(host, pool)).map((row) => row.name);
}

function refuseName(name: string, taken: readonly string[]): void {
  const problem = storageNameProblem(name, taken);
  if (problem) throw new ContractError('bad-arguments', `The volume name "${name}" cannot be used (${problem}).`);
}

/** The definition `vol-create` gets for a new volume (a document, as every definition is). */
export function volumeDefinition(spec: VolumeSpec, backing?: { path: string; format?: string }): string {
  const document = StorageVolumeDocument.create();
  document.setName(spec.name);
  document.setCapacity(spec.capacityBytes);
  document.setAllocation(spec.preallocate ? spec.capacityBytes : 0);
  document.setFormat(spec.format);
  if (backing) document.setBackingStore(backing);
  return document.toXml();
}

/** Creates a volume; refused before anything changes for a bad name or a preallocation that does not fit. */
export async function createVolumeFromSpec(host: LibvirtHost, pool: string, spec: VolumeSpec): Promise<void> {
  refuseName(spec.name, await volumeNames(host, pool));
  if (spec.preallocate && spec.capacityBytes > (await poolAvailableBytes(host, pool))) {
    throw new ContractError('bad-arguments', `${spec.name} would need more space than the pool ${pool} has free.`);
  }
  let backing: { path: string; format?: string } | undefined;
  if (spec.backingVolume) {
    if (spec.format !== 'qcow2') throw new ContractError('bad-arguments', 'Only a qcow2 volume can have a backing volume.');
    const base = await readVolume(host, pool, spec.backingVolume);
    backing = { path: base.path, ...(base.format ? { format: base.format } : {}) };
  }
  const xml = volumeDefinition(spec, backing);
  const flags = spec.preallocate && spec.format === 'qcow2' ? ['--prealloc-metadata'] : [];
  if (stateLivesInSession(host.uri)) {
    await withXmlOnHost(host.runner, xml, async (path) => checkedResult(await host.session.run(['vol-create', '--pool', pool, '--file', path, ...flags]), 'virsh vol-create'));
    return;
  }
  await withXmlOnHost(host.runner, xml, (path) => runVirshJob(host, ['vol-create', '--pool', pool, '--file', path, ...flags], { timeoutMs: VOLUME_WORK_TIMEOUT_MS }));
}

/** Grows a volume; shrinking is refused (qcow2 cannot shrink at all, raw would lose its end). */
export async function resizeVolume(host: LibvirtHost, pool: string, volume: string, capacityBytes: number): Promise<void> {
  const current = await readVolume(host, pool, volume);
  if (capacityBytes < current.capacityBytes) {
    throw new ContractError('bad-arguments', current.format === 'qcow2' ? `${volume} is qcow2: libvirt cannot shrink qcow2 images.` : `${volume} holds ${current.capacityBytes} bytes; shrinking it would cut off data.`);
  }
  if (capacityBytes === current.capacityBytes) return;
  await runVirshJob(host, ['vol-resize', '--pool', pool, '--vol', volume, '--capacity', `${capacityBytes}B`], { timeoutMs: VOLUME_WORK_TIMEOUT_MS });
}

async function refuseInUse(host: LibvirtHost, pool: string, volume: string, what: string): Promise<StorageVolume> {
  const current = await readVolume(host, pool, volume);
  if (current.usedBy.length > 0) throw new ContractError('bad-arguments', `${volume} is used by ${current.usedBy.join(', ')}; it was not ${what}.`);
  return current;
}

export async function deleteUnusedVolume(host: LibvirtHost, pool: string, volume: string): Promise<void> {
  await refuseInUse(host, pool, volume, 'deleted');
  await runVirshJob(host, ['vol-delete', '--pool', pool, '--vol', volume], { timeoutMs: VOLUME_WORK_TIMEOUT_MS });
}

export async function wipeVolume(host: LibvirtHost, pool: string, volume: string, algorithm: WipeAlgorithm, options: RemoteJobOptions = {}): Promise<void> {
  await refuseInUse(host, pool, volume, 'wiped');
  await runVirshJob(host, ['vol-wipe', '--pool', pool, '--vol', volume, '--algorithm', algorithm], { timeoutMs: VOLUME_WORK_TIMEOUT_MS, ...options });
}

/** Progress of a copy being written: the new volume's allocation against the expected size. */
function pollAllocation(host: LibvirtHost, pool: string, volume: string, expected: number, progress?: (fraction: number) => void): () => void {
  if (!progress || expected <= 0) return () => undefined;
  const timer = setInterval(() => {
    void host.session.run(['vol-info', '--bytes', '--pool', pool, '--vol', volume]).then((result) => {
      const match = result.ok ? /^Allocation:\s*(\d+)/m.exec(result.stdout) : null;
      if (match) progress(Math.min(0.99, Number(match[1]) / expected));
    }, () => undefined);
  }, 1_000);
  return () => clearInterval(timer);
}

export interface VolumeJobOptions {
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
}

/** A copy of a volume in the same pool; a cancelled or failed copy leaves no new volume. */
export async function cloneVolumeChecked(host: LibvirtHost, pool: string, volume: string, newName: string, options: VolumeJobOptions = {}): Promise<void> {
  refuseName(newName, await volumeNames(host, pool));
  const source = await readVolume(host, pool, volume);
  if (source.allocationBytes > (await poolAvailableBytes(host, pool))) throw new ContractError('bad-arguments', `A copy of ${volume} would need more space than the pool ${pool} has free.`);
  const stop = pollAllocation(host, pool, newName, source.allocationBytes, options.progress);
  try {
    await cloneVolume(host, pool, volume, newName, options.signal ? { signal: options.signal, timeoutMs: VOLUME_WORK_TIMEOUT_MS } : { timeoutMs: VOLUME_WORK_TIMEOUT_MS });
  } catch (error) {
    await removeVolumeWhenDone(host, pool, newName);
    throw error;
  } finally {
    stop();
  }
}

/**
 * Converts a volume of a file-based pool into a new one next to it: `vol-create-from` with the
 * new format, which libvirtd (root, so the SSH user needs no write access to the pool's folder)
 * carries out with `qemu-img convert`, sparse where the format allows. A cancelled or failed
 * conversion leaves no new volume; an existing name is refused before anything starts.
 */
export async function convertVolume(host: LibvirtHost, pool: string, volume: string, format: VolumeFormat, newName: string, options: VolumeJobOptions = {}): Promise<{ path: string }> {
  refuseName(newName, await volumeNames(host, pool));
  const facts = await poolFacts(host, pool);
  if (!isFileBasedPool(facts.type)) throw new ContractError('bad-arguments', `Volumes of a ${facts.type} pool cannot be converted; only pools of files (dir, fs, netfs).`);
  const source = await readVolume(host, pool, volume);
  if (source.allocationBytes > (await poolAvailableBytes(host, pool))) throw new ContractError('bad-arguments', `A converted copy of ${volume} may need more space than the pool ${pool} has free.`);
  const document = StorageVolumeDocument.create();
  document.setName(newName);
  document.setCapacity(source.capacityBytes);
  document.setAllocation(0);
  document.setFormat(format);
  const stop = pollAllocation(host, pool, newName, source.allocationBytes, options.progress);
  try {
    await withXmlOnHost(host.runner, document.toXml(), (path) =>
      runVirshJob(host, ['vol-create-from', '--pool', pool, '--file', path, '--vol', volume, '--inputpool', pool], { timeoutMs: VOLUME_WORK_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) }),
    );
  } catch (error) {
    await removeVolumeWhenDone(host, pool, newName);
    throw error;
  } finally {
    stop();
  }
  return { path: checkedResult(await host.session.run(['vol-path', '--pool', pool, '--vol', newName]), 'virsh vol-path').trim() };
}

/** A cancelled copy may still be written by libvirtd for a moment: delete it once libvirt lets go. */
export async function removeVolumeWhenDone(host: LibvirtHost, pool: string, volume: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await host.session.run(['pool-refresh', '--pool', pool]).catch(() => undefined);
    const result = await host.session.run(['vol-delete', '--pool', pool, '--vol', volume]).catch(() => undefined);
    if (result?.ok || /not found|no storage vol/i.test(result?.stderr ?? '')) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
