/**
 * A full clone of a shut-off VM on its own host: every writable disk copied into a new volume
 * of its pool (libvirt's vol-clone, each as a job of its own), read-only and shareable media
 * shared, then a new definition built from the original's document — new name, no UUID (libvirt
 * makes one), new MAC addresses unique on the host, the copied disks. Whatever fails or is
 * cancelled on the way removes what the clone had made.
 */
import { randomBytes } from 'node:crypto';
import { ContractError, vmNameProblem, type ClonePlan, type CloneDiskPlan } from '../../preload/contract.js';
import { defineDomain, readDomainXml, undefineDomain } from './domains.js';
import { domainDisks, isSharedMedium, readHostDomains, resolveDiskVolumes, type DomainDisk } from './domainDisks.js';
import { checkedResult } from './libvirtErrors.js';
import type { LibvirtHost } from './libvirtHost.js';
import { cloneVolume, deleteVolume } from './volumes.js';
import { INTERFACE, type DiskSource } from './xml/domainDevices.js';
import { DOMAIN, DomainDocument } from './xml/domainDocument.js';
import { stringProperty } from './xml/xmlProperty.js';

/** QEMU/KVM's locally administered prefix, as libvirt and virt-install use it. */
export const MAC_PREFIX = '52:54:00';

/** `count` new MAC addresses, none of them in `used` (lowercase) nor repeated. */
export function generateMacs(count: number, used: ReadonlySet<string>, random: (bytes: number) => Uint8Array = (n) => randomBytes(n)): string[] {
  const taken = new Set([...used].map((mac) => mac.toLowerCase()));
  const macs: string[] = [];
  for (let attempts = 0; macs.length < count; attempts += 1) {
    if (attempts > count * 1000) throw new Error('could not find a free MAC address');
    const bytes = random(3);
    const mac = `${MAC_PREFIX}:${[...bytes.slice(0, 3)].map((byte) => byte.toString(16).padStart(2, '0')).join(':')}`;
    if (taken.has(mac)) continue;
    taken.add(mac);
    macs.push(mac);
  }
  return macs;
}

/**
 * The name of a disk's copy: the original volume's name with the VM's name replaced by the new
 * one (vm.qcow2 → copy.qcow2), else the new name, the disk's target and the original extension.
 */
export function cloneVolumeName(volume: string, oldName: string, newName: string, target: string): string {
  if (oldName !== '' && volume.includes(oldName)) return volume.split(oldName).join(newName);
  const dot = volume.lastIndexOf('.');
  const extension = dot > 0 ? volume.slice(dot) : '';
  return `${newName}-${target}${extension}`;
}

const NVRAM = stringProperty('./os/nvram');

export interface CloneDocumentChanges {
  name: string;
  /** One per interface, in document order. */
  macs: readonly string[];
  /** New sources of the copied disks, by target. */
  disks: ReadonlyMap<string, DiskSource>;
}

/**
 * The clone's definition from the original's: new name and MACs, no UUID, the copied disks'
 * new sources, and no NVRAM path (libvirt makes a fresh variable store from the template, so the
 * two VMs never share one). Everything else — shared media included — stays as it was.
 */
export function cloneDomainDocument(xml: string, changes: CloneDocumentChanges): DomainDocument {
  const document = DomainDocument.parse(xml);
  document.setName(changes.name);
  document.clear(DOMAIN.uuid);
  const interfaces = document.devices('interface');
  if (interfaces.length !== changes.macs.length) throw new Error(`${interfaces.length} interfaces but ${changes.macs.length} MAC addresses`);
  interfaces.forEach((element, index) => document.set(INTERFACE.mac, changes.macs[index]!, element));
  for (const [target, source] of changes.disks) document.setDiskSource(target, source);
  if (document.get(NVRAM) !== undefined) document.clear(NVRAM);
  return document;
}

interface CopyStep {
  disk: DomainDisk;
  pool: string;
  volume: string;
  newVolume: string;
  sizeBytes: number;
}

interface PreparedClone {
  plan: ClonePlan;
  xml: string;
  copies: CopyStep[];
  usedMacs: Set<string>;
}

function sizeFromVolInfo(output: string, field: 'Capacity' | 'Allocation'): number {
  const match = new RegExp(`^${field}:\\s*(\\d+)`, 'm').exec(output);
  return match ? Number(match[1]) : 0;
}

async function prepareClone(host: LibvirtHost, name: string, newName: string, options: { readMacs: boolean }): Promise<PreparedClone> {
  const [state, info] = await Promise.all(host.session.runBatch([['domstate', '--domain', name], ['dominfo', '--domain', name]]));
  const shutOff = checkedResult(state, 'virsh domstate').trim().startsWith('shut off');
  const persistent = /^Persistent:\s*yes/m.test(checkedResult(info, 'virsh dominfo'));
  const xml = await readDomainXml(host, name, { inactive: true });
  const document = DomainDocument.parse(xml);
  const disks = domainDisks(document);
  const refs = await resolveDiskVolumes(host, disks);
  const blockers: ClonePlan['blockers'] = [];
  if (!shutOff) blockers.push({ reason: 'running' });
  if (!persistent) blockers.push({ reason: 'transient' });
  const copies: CopyStep[] = [];
  const planned: CloneDiskPlan[] = [];
  for (const disk of disks) {
    const entry: CloneDiskPlan = { target: disk.target, device: disk.device, action: 'share' };
    if (disk.path) entry.path = disk.path;
    if (isSharedMedium(disk) || (!disk.path && !disk.sourceVolume)) {
      planned.push(entry);
      continue;
    }
    entry.action = 'copy';
    const ref = refs.get(disk);
    if (!ref) {
      blockers.push({ reason: 'disk-not-in-pool', subject: disk.path ?? disk.target });
      planned.push(entry);
      continue;
    }
    const newVolume = cloneVolumeName(ref.volume, name, newName, disk.target);
    entry.pool = ref.pool;
    entry.newVolume = newVolume;
    copies.push({ disk, pool: ref.pool, volume: ref.volume, newVolume, sizeBytes: 0 });
    planned.push(entry);
  }
  // How big each copy is, and whether its new name is free — one round trip.
  const checks = await Promise.all(
    host.session.runBatch(copies.flatMap((copy) => [['vol-info', '--bytes', '--pool', copy.pool, '--vol', copy.volume], ['vol-info', '--pool', copy.pool, '--vol', copy.newVolume]])),
  );
  copies.forEach((copy, index) => {
    const source = checks[index * 2];
    copy.sizeBytes = source?.ok ? sizeFromVolInfo(source.stdout, 'Allocation') || sizeFromVolInfo(source.stdout, 'Capacity') : 0;
    const entry = planned.find((candidate) => candidate.target === copy.disk.target);
    if (entry) entry.sizeBytes = copy.sizeBytes;
    if (checks[index * 2 + 1]?.ok) blockers.push({ reason: 'volume-exists', subject: `${copy.pool}/${copy.newVolume}` });
  });
  // Every MAC on the host (all domains' XML) only when the clone is made, not for each plan.
  const domains = options.readMacs ? await readHostDomains(host) : [];
  const usedMacs = new Set(domains.flatMap((domain) => domain.document.devices('interface').map((element) => domain.document.get(INTERFACE.mac, element)?.toLowerCase() ?? '')));
  return { plan: { disks: planned, interfaces: document.devices('interface').length, blockers }, xml, copies, usedMacs };
}

/** What a clone of `name` as `newName` would do, and what stands in its way. */
export async function planClone(host: LibvirtHost, name: string, newName: string): Promise<ClonePlan> {
  return (await prepareClone(host, name, newName, { readMacs: false })).plan;
}

export interface CloneOptions {
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
  /** Existing VM names on the host (the new one must not be among them). */
  existingNames: readonly string[];
}

const CLEANUP_DEADLINE_MS = 120_000;

/** Deletes a volume the clone made; one still being written by libvirt is waited for. */
async function removeCreatedVolume(host: LibvirtHost, pool: string, volume: string): Promise<void> {
  const deadline = Date.now() + CLEANUP_DEADLINE_MS;
  for (;;) {
    try {
      await deleteVolume(host, pool, volume);
      return;
    } catch (error) {
      if (error instanceof ContractError && error.code === 'not-found') return;
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/** Clones a shut-off VM; resolves with the clone's name and UUID. */
export async function cloneDomain(host: LibvirtHost, name: string, newName: string, options: CloneOptions): Promise<{ name: string; uuid: string }> {
  const problem = vmNameProblem(newName, options.existingNames);
  if (problem) throw new ContractError('bad-arguments', `The name "${newName}" cannot be used (${problem}).`);
  const prepared = await prepareClone(host, name, newName, { readMacs: true });
  const [blocker] = prepared.plan.blockers;
  if (blocker) throw new ContractError('bad-arguments', `${name} cannot be cloned: ${blocker.reason}${blocker.subject ? ` (${blocker.subject})` : ''}.`);

  const created: { pool: string; volume: string }[] = [];
  let defined = false;
  const total = prepared.copies.reduce((sum, copy) => sum + Math.max(copy.sizeBytes, 1), 0) || 1;
  let done = 0;
  try {
    const sources = new Map<string, DiskSource>();
    for (const copy of prepared.copies) {
      if (options.signal?.aborted) throw new ContractError('cancelled', 'The clone was cancelled.');
      // Checked again right before: a volume someone made meanwhile is theirs, never ours to remove.
      if ((await host.session.run(['vol-info', '--pool', copy.pool, '--vol', copy.newVolume])).ok) {
        throw new ContractError('libvirt-error', `A volume ${copy.newVolume} already exists in pool ${copy.pool}.`);
      }
      created.push({ pool: copy.pool, volume: copy.newVolume });
      const poll = setInterval(() => {
        void host.session.run(['vol-info', '--bytes', '--pool', copy.pool, '--vol', copy.newVolume]).then((result) => {
          if (!result.ok) return;
          const written = Math.min(sizeFromVolInfo(result.stdout, 'Allocation'), copy.sizeBytes);
          options.progress?.(Math.min(0.99, (done + written) / total));
        }, () => undefined);
      }, 1_000);
      try {
        await cloneVolume(host, copy.pool, copy.volume, copy.newVolume, options.signal ? { signal: options.signal } : {});
      } finally {
        clearInterval(poll);
      }
      done += Math.max(copy.sizeBytes, 1);
      options.progress?.(Math.min(0.99, done / total));
      const path = checkedResult(await host.session.run(['vol-path', '--pool', copy.pool, '--vol', copy.newVolume]), 'virsh vol-path').trim();
      const disk = copy.disk;
      sources.set(disk.target, disk.sourceVolume ? { type: 'volume', pool: copy.pool, volume: copy.newVolume } : disk.type === 'block' ? { type: 'block', dev: path } : { type: 'file', file: path });
    }
    if (options.signal?.aborted) throw new ContractError('cancelled', 'The clone was cancelled.');
    const macs = generateMacs(prepared.plan.interfaces, prepared.usedMacs);
    const document = cloneDomainDocument(prepared.xml, { name: newName, macs, disks: sources });
    await defineDomain(host, document.toXml());
    defined = true;
    const uuid = checkedResult(await host.session.run(['domuuid', '--domain', newName]), 'virsh domuuid').trim();
    options.progress?.(1);
    return { name: newName, uuid };
  } catch (error) {
    // Undo in reverse: the definition, then every volume this clone started.
    if (defined) await undefineDomain(host, newName, { nvram: true }).catch(() => undefined);
    for (const volume of created.reverse()) await removeCreatedVolume(host, volume.pool, volume.volume).catch(() => undefined);
    throw error;
  }
}
