/** Storage pool verbs (pool-*), built as argv and checked the same way as every kind's. */
import { ContractError, storageNameProblem, type PoolDeletePlan, type PoolSpec } from '../../preload/contract.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import { defineXml } from './definitions.js';
import { domainDisks, readHostDomains } from './domainDisks.js';
import { checkedResult } from './libvirtErrors.js';
import { runVirshJob, type LibvirtHost } from './libvirtHost.js';
import { isFileBasedPool, poolDefinition, specDevices } from './poolDefinition.js';
import { STORAGE_POOL, StoragePoolDocument } from './xml/storagePoolDocument.js';

async function run(host: LibvirtHost, argv: string[]): Promise<string> {
  return checkedResult(await host.session.run(argv), `virsh ${argv[0]}`);
}

export function readPoolXml(host: LibvirtHost, name: string, options: { inactive?: boolean } = {}): Promise<string> {
  return run(host, ['pool-dumpxml', ...(options.inactive ? ['--inactive'] : []), '--pool', name]);
}

export function definePool(host: LibvirtHost, xml: string): Promise<string> {
  return defineXml(host, 'pool', xml);
}

export async function startPool(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['pool-start', '--pool', name]);
}

export async function stopPool(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['pool-destroy', '--pool', name]);
}

export async function refreshPool(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['pool-refresh', '--pool', name]);
}

export async function undefinePool(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['pool-undefine', '--pool', name]);
}

export async function setPoolAutostart(host: LibvirtHost, name: string, autostart: boolean): Promise<void> {
  await run(host, ['pool-autostart', '--pool', name, ...(autostart ? [] : ['--disable'])]);
}

// ---------------------------------------------------------------------------------------------
// Creating and deleting pools (issue 8)
// ---------------------------------------------------------------------------------------------

/** pool-build of a real device or volume group may take a while; pool-start of netfs mounts. */
const POOL_WORK_TIMEOUT_MS = 10 * 60_000;

export interface PoolCreateOptions {
  build: boolean;
  start: boolean;
  autostart: boolean;
}

/** Paths among `paths` that are not block devices on the host (fs and logical pools need them). */
export async function notBlockDevices(host: LibvirtHost, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const result = await runRemoteJob(host.runner, ['sh', '-c', 'for d in "$@"; do [ -b "$d" ] || printf "%s\\n" "$d"; done', 'sh', ...paths], { timeoutMs: 30_000 });
  return result.stdout.split('\n').filter((line) => line !== '');
}

/**
 * Defines a pool from the spec, then (as asked) builds, starts and marks it autostart. A step
 * that fails undoes the earlier ones (the definition goes; a build's file system or volume
 * group stays, since a pool-delete could destroy data that was there before).
 */
export async function createPool(host: LibvirtHost, spec: PoolSpec, options: PoolCreateOptions, existingNames: readonly string[]): Promise<void> {
  const problem = storageNameProblem(spec.name, existingNames);
  if (problem) throw new ContractError('bad-arguments', `The pool name "${spec.name}" cannot be used (${problem}).`);
  const devices = specDevices(spec);
  const missing = await notBlockDevices(host, devices);
  if (missing.length > 0) throw new ContractError('bad-arguments', `Not a block device on the host: ${missing.join(', ')}.`);
  if (spec.type === 'netfs' || spec.type === 'iscsi') {
    // Asking the server first says which step failed: the server, not the definition or the mount.
    try {
      await findPoolSources(host, spec.type, spec.type === 'netfs' ? spec.server : spec.portal);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ContractError('bad-arguments', `The ${spec.type === 'netfs' ? 'NFS server' : 'iSCSI portal'} ${spec.type === 'netfs' ? spec.server : spec.portal} did not answer: ${reason}`);
    }
  }
  const xml = poolDefinition(spec).toXml();
  await definePool(host, xml);
  try {
    if (options.build) await runVirshJob(host, ['pool-build', '--pool', spec.name, ...(spec.type === 'fs' || spec.type === 'logical' ? ['--no-overwrite'] : [])], { timeoutMs: POOL_WORK_TIMEOUT_MS });
    if (options.start) await runVirshJob(host, ['pool-start', '--pool', spec.name], { timeoutMs: POOL_WORK_TIMEOUT_MS });
    if (options.autostart) await setPoolAutostart(host, spec.name, true);
  } catch (error) {
    if (options.start) await host.session.run(['pool-destroy', '--pool', spec.name]).catch(() => undefined);
    await host.session.run(['pool-undefine', '--pool', spec.name]).catch(() => undefined);
    throw error;
  }
}

/** The default pool as libvirt's own installs make it: `default` in /var/lib/libvirt/images. */
export const DEFAULT_POOL: PoolSpec = { type: 'dir', name: 'default', targetPath: '/var/lib/libvirt/images' };

export async function buildPool(host: LibvirtHost, name: string): Promise<void> {
  await runVirshJob(host, ['pool-build', '--pool', name], { timeoutMs: POOL_WORK_TIMEOUT_MS });
}

/** What `find-storage-pool-sources-as` reports: NFS export paths, or iSCSI target IQNs. */
export async function findPoolSources(host: LibvirtHost, type: 'netfs' | 'iscsi', server: string): Promise<string[]> {
  const xml = await runVirshJob(host, ['find-storage-pool-sources-as', '--type', type, '--host', server], { timeoutMs: 60_000 });
  const found = [...xml.matchAll(/<(dir|device) path=['"]([^'"]+)['"]/g)].map((match) => match[2]!.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  return [...new Set(found)];
}

/** A pool's own facts beyond the inventory's summary. */
export async function poolFacts(host: LibvirtHost, name: string): Promise<{ type: string; targetPath?: string; source?: string; active: boolean }> {
  const [xmlResult, infoResult] = await Promise.all(host.session.runBatch([['pool-dumpxml', '--pool', name], ['pool-info', '--pool', name]]));
  const document = StoragePoolDocument.parse(checkedResult(xmlResult, 'virsh pool-dumpxml'));
  const info = checkedResult(infoResult, 'virsh pool-info');
  const facts: { type: string; targetPath?: string; source?: string; active: boolean } = {
    type: document.get(STORAGE_POOL.type) ?? 'dir',
    active: /^State:\s*running/m.test(info),
  };
  const targetPath = document.get(STORAGE_POOL.targetPath);
  if (targetPath) facts.targetPath = targetPath;
  const server = document.get(STORAGE_POOL.sourceHost);
  const dir = document.get(STORAGE_POOL.sourceDir);
  const sourceName = document.get(STORAGE_POOL.sourceName);
  const devices = document.sourceDevices();
  const source = [server && dir ? `${server}:${dir}` : server, sourceName, ...devices].filter(Boolean).join(' · ');
  if (source) facts.source = source;
  return facts;
}

/** Volume names of a pool: `vol-list` prints a table of name and path (the path starts with /). */
export async function poolVolumeNames(host: LibvirtHost, pool: string): Promise<{ name: string; path: string }[]> {
  return parseVolList(checkedResult(await host.session.run(['vol-list', '--pool', pool]), 'virsh vol-list'));
}

/** `vol-list`'s table: a name column, then a path from `/` (header and rule skipped, absent under -q). */
export function parseVolList(out: string): { name: string; path: string }[] {
  const rows: { name: string; path: string }[] = [];
  for (const line of out.split('\n')) {
    if (/^\s*Name\s+Path\s*$/.test(line) || /^-+$/.test(line.trim())) continue;
    const match = /^\s*(\S.*?)\s+(\/.*?)\s*$/.exec(line);
    if (match) rows.push({ name: match[1]!, path: match[2]! });
  }
  return rows;
}

/** VMs whose disks use one of the pool's volumes (by path, or by pool and volume name). */
export async function poolUsers(host: LibvirtHost, pool: string): Promise<string[]> {
  const facts = await poolFacts(host, pool);
  const paths = facts.active ? new Set((await poolVolumeNames(host, pool)).map((volume) => volume.path)) : new Set<string>();
  const domains = await readHostDomains(host);
  const users = new Set<string>();
  for (const domain of domains) {
    for (const disk of domainDisks(domain.document)) {
      const inFolder = facts.targetPath !== undefined && disk.path !== undefined && isFileBasedPool(facts.type) && disk.path.startsWith(`${facts.targetPath.replace(/\/$/, '')}/`);
      if (disk.sourcePool === pool || (disk.path && paths.has(disk.path)) || inFolder) users.add(domain.name);
    }
  }
  return [...users].sort();
}

export async function planPoolDelete(host: LibvirtHost, pool: string): Promise<PoolDeletePlan> {
  const facts = await poolFacts(host, pool);
  const volumes = facts.active ? (await poolVolumeNames(host, pool)).length : 0;
  return { active: facts.active, usedBy: await poolUsers(host, pool), volumes, canDeleteData: facts.type !== 'iscsi' };
}

/**
 * Deletes a pool: refused while a VM uses one of its volumes (naming them). With `deleteData`
 * its volumes and then its storage go too (`pool-delete`: the folder, the volume group);
 * without, only libvirt's definition — the data stays where it is.
 */
export async function deletePool(host: LibvirtHost, pool: string, options: { deleteData: boolean }): Promise<void> {
  const plan = await planPoolDelete(host, pool);
  if (plan.usedBy.length > 0) throw new ContractError('bad-arguments', `The pool ${pool} is in use by ${plan.usedBy.join(', ')}; it was not deleted.`);
  if (options.deleteData && !plan.canDeleteData) throw new ContractError('bad-arguments', `The data of an iSCSI pool lives on its target; VirtDeck does not delete it.`);
  if (options.deleteData) {
    if (!plan.active) await runVirshJob(host, ['pool-start', '--pool', pool], { timeoutMs: POOL_WORK_TIMEOUT_MS });
    for (const volume of await poolVolumeNames(host, pool)) {
      await runVirshJob(host, ['vol-delete', '--pool', pool, '--vol', volume.name], { timeoutMs: POOL_WORK_TIMEOUT_MS });
    }
    await runVirshJob(host, ['pool-destroy', '--pool', pool], { timeoutMs: POOL_WORK_TIMEOUT_MS });
    await runVirshJob(host, ['pool-delete', '--pool', pool], { timeoutMs: POOL_WORK_TIMEOUT_MS });
  } else if (plan.active) {
    await runVirshJob(host, ['pool-destroy', '--pool', pool], { timeoutMs: POOL_WORK_TIMEOUT_MS });
  }
  await undefinePool(host, pool);
}
