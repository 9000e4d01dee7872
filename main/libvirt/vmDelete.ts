/**
 * Deleting a VM: what it would take with it (each disk's path and volume, whether it is an ISO
 * or read-only, which other VMs use the same path), then exactly the volumes the user chose.
 * Snapshot metadata, a managed-save image and the UEFI variable store go with the definition,
 * so nothing is left behind that would stop a VM of that name being defined again.
 */
import { ContractError, type DeletePlan, type DeleteVolume } from '../../preload/contract.js';
import { BLOCKING_ACTION_TIMEOUT_MS, readDomainXml } from './domains.js';
import { domainDisks, isIso, isSharedMedium, pathsInUse, readHostDomains, resolveDiskVolumes } from './domainDisks.js';
import { checkedResult } from './libvirtErrors.js';
import { runVirshJob, type LibvirtHost } from './libvirtHost.js';
import { deleteVolume } from './volumes.js';
import { DomainDocument } from './xml/domainDocument.js';
import { stringProperty } from './xml/xmlProperty.js';

const NVRAM = stringProperty('./os/nvram');

function isActive(domstate: string): boolean {
  return !/^shut off/.test(domstate.trim());
}

/** The VM's volumes and what its definition holds besides (snapshots, managed save, NVRAM). */
export async function planDelete(host: LibvirtHost, name: string): Promise<DeletePlan> {
  const [state, info, snapshots] = await Promise.all(
    host.session.runBatch([['domstate', '--domain', name], ['dominfo', '--domain', name], ['snapshot-list', '--domain', name, '--name']]),
  );
  const running = isActive(checkedResult(state, 'virsh domstate'));
  const dominfo = checkedResult(info, 'virsh dominfo');
  const persistent = /^Persistent:\s*yes/m.test(dominfo);
  const document = DomainDocument.parse(await readDomainXml(host, name, persistent ? { inactive: true } : {}));
  const disks = domainDisks(document).filter((disk) => disk.path || disk.sourceVolume);
  const refs = await resolveDiskVolumes(host, disks);
  const users = await pathsInUse(host, (await readHostDomains(host)).filter((domain) => domain.name !== name));
  const volumes: DeleteVolume[] = disks
    .filter((disk) => disk.path)
    .map((disk) => {
      const ref = refs.get(disk);
      const usedBy = users.get(disk.path!) ?? [];
      const volume: DeleteVolume = {
        target: disk.target,
        device: disk.device,
        path: disk.path!,
        iso: isIso(disk),
        readonly: disk.readonly,
        shareable: disk.shareable,
        usedBy,
        deleteByDefault: ref !== undefined && !isIso(disk) && !isSharedMedium(disk) && usedBy.length === 0,
      };
      if (ref) {
        volume.pool = ref.pool;
        volume.volume = ref.volume;
      }
      return volume;
    });
  const plan: DeletePlan = {
    running,
    persistent,
    volumes,
    snapshots: snapshots?.ok ? snapshots.stdout.split('\n').filter((line) => line.trim() !== '').length : 0,
    managedSave: /^Managed save:\s*yes/m.test(dominfo),
  };
  const nvram = document.get(NVRAM);
  if (nvram) plan.nvram = nvram;
  return plan;
}

export interface DeleteOptions {
  /** Paths of the volumes to remove (each must be a pool volume of this VM). */
  volumes: readonly string[];
  /** The VM's name as the user typed it; required when the VM is running. */
  confirmName?: string;
}

/** Forces the VM off if it runs, removes its definition with everything libvirt keeps for it, then the chosen volumes. */
export async function deleteVm(host: LibvirtHost, name: string, options: DeleteOptions): Promise<{ removedVolumes: string[] }> {
  const plan = await planDelete(host, name);
  if (plan.running && options.confirmName !== name) throw new ContractError('bad-arguments', `${name} is running: its name must be typed to delete it.`);
  const chosen = options.volumes.map((path) => {
    const volume = plan.volumes.find((candidate) => candidate.path === path);
    if (!volume?.pool || !volume.volume) throw new ContractError('bad-arguments', `${path} is not a storage volume of ${name}.`);
    return volume;
  });

  if (plan.running) await runVirshJob(host, ['destroy', '--domain', name], { timeoutMs: BLOCKING_ACTION_TIMEOUT_MS });
  if (plan.persistent) {
    const argv = ['undefine', '--domain', name, '--managed-save', '--snapshots-metadata', '--checkpoints-metadata'];
    if (plan.nvram) argv.push('--nvram');
    checkedResult(await host.session.run(argv), 'virsh undefine');
  }
  const removedVolumes: string[] = [];
  const failures: string[] = [];
  for (const volume of chosen) {
    try {
      await deleteVolume(host, volume.pool!, volume.volume!);
      removedVolumes.push(volume.path);
    } catch (error) {
      failures.push(`${volume.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0) throw new ContractError('libvirt-error', `${name} was deleted, but some volumes could not be removed.`, failures.join('\n'));
  return { removedVolumes };
}
