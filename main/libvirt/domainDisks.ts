/**
 * A VM's disks as storage: which file or device each one uses, which pool volume that is (a
 * path libvirt does not manage has none), and which other VMs on the host use the same path.
 * Clone and delete both start from here.
 */
import type { Element } from '@xmldom/xmldom';
import { checkedResult } from './libvirtErrors.js';
import type { LibvirtHost } from './libvirtHost.js';
import { DISK } from './xml/domainDevices.js';
import { DOMAIN, DomainDocument } from './xml/domainDocument.js';

export interface DomainDisk {
  element: Element;
  target: string;
  /** disk, cdrom, floppy, lun */
  device: string;
  /** file, block, volume, network … */
  type: string;
  format?: string;
  /** The file or device path (for a volume source: the volume's path once resolved). */
  path?: string;
  /** Set for `<source pool= volume=>` disks. */
  sourcePool?: string;
  sourceVolume?: string;
  readonly: boolean;
  shareable: boolean;
}

export function domainDisks(document: DomainDocument): DomainDisk[] {
  return document.devices('disk').map((element) => {
    const disk: DomainDisk = {
      element,
      target: document.get(DISK.targetDev, element) ?? '',
      device: document.get(DISK.device, element) ?? 'disk',
      type: document.get(DISK.type, element) ?? 'file',
      readonly: document.get(DISK.readonly, element) ?? false,
      shareable: document.get(DISK.shareable, element) ?? false,
    };
    const format = document.get(DISK.format, element);
    if (format) disk.format = format;
    const path = document.get(DISK.sourceFile, element) ?? document.get(DISK.sourceDev, element);
    if (path) disk.path = path;
    const pool = document.get(DISK.sourcePool, element);
    const volume = document.get(DISK.sourceVolume, element);
    if (pool && volume) {
      disk.sourcePool = pool;
      disk.sourceVolume = volume;
    }
    return disk;
  });
}

/** Media a clone shares and a delete keeps by default: CD-ROMs, floppies, read-only or shareable disks. */
export function isSharedMedium(disk: Pick<DomainDisk, 'device' | 'readonly' | 'shareable'>): boolean {
  return disk.device === 'cdrom' || disk.device === 'floppy' || disk.readonly || disk.shareable;
}

export function isIso(disk: Pick<DomainDisk, 'device' | 'path'>): boolean {
  return disk.device === 'cdrom' || /\.iso$/i.test(disk.path ?? '');
}

export interface VolumeRef {
  pool: string;
  volume: string;
  path: string;
}

/**
 * Fills in the path of volume-source disks and finds the pool volume of every disk path, in
 * one round trip; a path outside every pool is left without a volume.
 */
export async function resolveDiskVolumes(host: LibvirtHost, disks: DomainDisk[]): Promise<Map<DomainDisk, VolumeRef>> {
  const byVolume = disks.filter((disk) => disk.sourcePool && disk.sourceVolume);
  const byPath = disks.filter((disk) => !disk.sourcePool && disk.path && disk.type !== 'network');
  const results = await Promise.all(
    host.session.runBatch([
      ...byVolume.map((disk) => ['vol-path', '--pool', disk.sourcePool!, '--vol', disk.sourceVolume!]),
      ...byPath.flatMap((disk) => [
        ['vol-pool', '--vol', disk.path!],
        ['vol-name', '--vol', disk.path!],
      ]),
    ]),
  );
  const refs = new Map<DomainDisk, VolumeRef>();
  byVolume.forEach((disk, index) => {
    const result = results[index];
    if (!result?.ok) return;
    disk.path = result.stdout.trim();
    refs.set(disk, { pool: disk.sourcePool!, volume: disk.sourceVolume!, path: disk.path });
  });
  byPath.forEach((disk, index) => {
    const pool = results[byVolume.length + index * 2];
    const volume = results[byVolume.length + index * 2 + 1];
    if (pool?.ok && volume?.ok) refs.set(disk, { pool: pool.stdout.trim(), volume: volume.stdout.trim(), path: disk.path! });
  });
  return refs;
}

export interface HostDomain {
  uuid: string;
  name: string;
  document: DomainDocument;
}

/** Every domain on the host with its XML: two round trips however many there are. */
export async function readHostDomains(host: LibvirtHost): Promise<HostDomain[]> {
  const uuids = checkedResult(await host.session.run(['list', '--all', '--uuid']), 'virsh list')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const xmls = await Promise.all(host.session.runBatch(uuids.map((uuid) => ['dumpxml', '--domain', uuid])));
  const domains: HostDomain[] = [];
  xmls.forEach((result, index) => {
    if (!result.ok) return; // gone meanwhile
    try {
      const document = DomainDocument.parse(result.stdout);
      domains.push({ uuid: uuids[index]!, name: document.get(DOMAIN.name) ?? '', document });
    } catch {
      // Not ours to judge; a domain we cannot parse uses no path we could compare.
    }
  });
  return domains;
}

/** Paths (files and devices) the domain's disks use, volume sources resolved where known. */
export async function pathsInUse(host: LibvirtHost, domains: HostDomain[]): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>();
  const all = domains.flatMap((domain) => domainDisks(domain.document).map((disk) => ({ domain, disk })));
  const unresolved = all.filter(({ disk }) => !disk.path && disk.sourcePool && disk.sourceVolume).map(({ disk }) => disk);
  if (unresolved.length > 0) await resolveDiskVolumes(host, unresolved);
  for (const { domain, disk } of all) {
    if (!disk.path) continue;
    const list = users.get(disk.path) ?? [];
    if (!list.includes(domain.name)) list.push(domain.name);
    users.set(disk.path, list);
  }
  return users;
}
