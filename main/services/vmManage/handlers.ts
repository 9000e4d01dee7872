/** `snapshots.*`, `vm.clone*` and `vm.delete*`: a VM's snapshots, cloning it and deleting it. */
import { ContractError, snapshotNameProblem, type snapshotCalls, type vmManageCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { cloneDomain, planClone } from '../../libvirt/clone.js';
import { readDomainXml } from '../../libvirt/domains.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import { createSnapshot, deleteSnapshot, listSnapshots, readSnapshotXml, revertSnapshot, snapshotDefinition, snapshotInfoFromXml, snapshotOverview } from '../../libvirt/snapshots.js';
import { deleteVm, planDelete } from '../../libvirt/vmDelete.js';
import { DomainDocument } from '../../libvirt/xml/domainDocument.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskService } from '../tasks/taskService.js';

/** How long a snapshot with memory, or a revert, may take before it is stopped. */
const SNAPSHOT_TIMEOUT_MS = 30 * 60_000;

export function vmManageHandlers(hosts: HostService, tasks: TaskService): HandlersOf<typeof snapshotCalls & typeof vmManageCalls> {
  const hostOf = (hostId: string) => {
    const host = hosts.get(hostId);
    return { host, libvirt: host.libvirt(), label: host.getSummary().label };
  };
  /** Work as a task whose end shows the host as it now is. */
  const asTask = <T>(hostId: string, titleKey: string, params: Record<string, string>, cancellable: boolean, work: (context: { signal: AbortSignal; progress(fraction: number | null): void }) => Promise<T>) => {
    const { host, label } = hostOf(hostId);
    return tasks.run({ titleKey, titleParams: { ...params, host: label }, hostId, cancellable }, async (context) => {
      try {
        return await withLibvirtErrors(() => work(context));
      } finally {
        await host.refresh().catch(() => undefined);
      }
    });
  };

  return {
    'snapshots.list': ({ hostId, name }) => withLibvirtErrors(() => snapshotOverview(hostOf(hostId).libvirt, name)),

    'snapshots.create': async ({ hostId, name, snapshot, description, kind }) => {
      const { libvirt } = hostOf(hostId);
      // Refused before anything changes: a bad or taken name, or a kind the VM's disks do not allow.
      const problem = snapshotNameProblem(snapshot, await withLibvirtErrors(() => listSnapshots(libvirt, name)));
      if (problem) throw new ContractError('bad-arguments', `The snapshot name "${snapshot}" cannot be used (${problem}).`);
      const overview = await withLibvirtErrors(() => snapshotOverview(libvirt, name));
      const option = overview.options.find((candidate) => candidate.kind === kind);
      if (!option?.available) throw new ContractError('bad-arguments', `A ${kind} snapshot of ${name} is not possible (${option?.reason ?? 'unknown'}).`);
      const domain = DomainDocument.parse(await withLibvirtErrors(() => readDomainXml(libvirt, name)));
      const xml = snapshotDefinition(domain, { name: snapshot, kind, ...(description ? { description } : {}) });
      await asTask(hostId, 'task.snapshot.create', { name, snapshot }, false, ({ signal }) =>
        createSnapshot(libvirt, name, xml, { signal, timeoutMs: SNAPSHOT_TIMEOUT_MS, diskOnly: kind === 'external-disk' }),
      );
      return null;
    },

    'snapshots.revert': async ({ hostId, name, snapshot }) => {
      const { libvirt } = hostOf(hostId);
      const info = snapshotInfoFromXml(await withLibvirtErrors(() => readSnapshotXml(libvirt, name, snapshot)), false);
      const overview = await withLibvirtErrors(() => snapshotOverview(libvirt, name));
      if (info.external && !overview.externalRevert) throw new ContractError('bad-arguments', `libvirt on this host cannot revert to the external snapshot ${snapshot}.`);
      await asTask(hostId, 'task.snapshot.revert', { name, snapshot }, false, ({ signal }) => revertSnapshot(libvirt, name, snapshot, { signal, timeoutMs: SNAPSHOT_TIMEOUT_MS }));
      return null;
    },

    'snapshots.delete': async ({ hostId, name, snapshot, children }) => {
      const { libvirt } = hostOf(hostId);
      const overview = await withLibvirtErrors(() => snapshotOverview(libvirt, name));
      const target = overview.snapshots.find((candidate) => candidate.name === snapshot);
      if (!target) throw new ContractError('not-found', `${name} has no snapshot ${snapshot}.`);
      // Older libvirt removes only the record of an external snapshot; its overlays stay in use.
      const metadataOnly = !overview.externalRevert && overview.snapshots.some((candidate) => candidate.external && (candidate.name === snapshot || (children && isDescendant(overview.snapshots, candidate.name, snapshot))));
      await asTask(hostId, 'task.snapshot.delete', { name, snapshot }, false, ({ signal }) => deleteSnapshot(libvirt, name, snapshot, { signal, children, metadataOnly, timeoutMs: SNAPSHOT_TIMEOUT_MS }));
      return null;
    },

    'vm.clonePlan': ({ hostId, name, newName }) => withLibvirtErrors(() => planClone(hostOf(hostId).libvirt, name, newName)),

    'vm.clone': async ({ hostId, name, newName }) => {
      const { host, libvirt } = hostOf(hostId);
      const existingNames = (await host.getInventory()).vms.map((vm) => vm.name);
      return asTask(hostId, 'task.vm.clone', { name, newName }, true, ({ signal, progress }) => cloneDomain(libvirt, name, newName, { signal, progress, existingNames }));
    },

    'vm.deletePlan': ({ hostId, name }) => withLibvirtErrors(() => planDelete(hostOf(hostId).libvirt, name)),

    'vm.delete': async ({ hostId, name, volumes, confirmName }) => {
      const { libvirt } = hostOf(hostId);
      return asTask(hostId, 'task.vm.delete', { name }, false, () => deleteVm(libvirt, name, { volumes, ...(confirmName === undefined ? {} : { confirmName }) }));
    },
  };
}

function isDescendant(snapshots: readonly { name: string; parent?: string }[], name: string, ancestor: string): boolean {
  const byName = new Map(snapshots.map((snapshot) => [snapshot.name, snapshot]));
  for (let parent = byName.get(name)?.parent; parent !== undefined; parent = byName.get(parent)?.parent) {
    if (parent === ancestor) return true;
  }
  return false;
}

