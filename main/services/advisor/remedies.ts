/**
 * Running a finding's remedy. The VM is read again first (its persistent definition and whether
 * it runs); a finding that no longer holds on that fresh read is refused and nothing changes.
 * Then the remedy goes through the existing actions: `vm.settings.apply` (a task, which undoes
 * its own steps) for MACs, NIC models, disk buses, cache modes and the accelerator; for a raw
 * disk, a qcow2 copy made by the storage layer's conversion and the disk pointed at it — the
 * raw volume is kept, and a failed step deletes the copy again.
 */
import {
  DiskIoMode,
  generateMac,
  NicModel,
  type AdvisorFinding,
  type AdvisorRemedyResult,
  type VmSettingsChange,
  type vmSettingsCalls,
} from '../../../preload/contract.js';
import { LOCAL_CLIENT, type HandlersOf } from '../../core/registry.js';
import { macCollisions, vmFindings, type AdvisorHostInput, type AdvisorVmInput } from '../../advisor/rules.js';
import { checkedResult } from '../../libvirt/libvirtErrors.js';
import { retargetDisk } from '../../libvirt/diskRetarget.js';
import { domainDisks, resolveDiskVolumes } from '../../libvirt/domainDisks.js';
import { readDomainXml } from '../../libvirt/domains.js';
import { definitionRevision } from '../../libvirt/domainSettings.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import type { LibvirtHost } from '../../libvirt/libvirtHost.js';
import { parseDomainXml, type DomainDefinition } from '../../libvirt/models/domain.js';
import { poolVolumeNames } from '../../libvirt/pools.js';
import { convertVolume, removeVolumeWhenDone } from '../../libvirt/volumes.js';
import { DomainDocument } from '../../libvirt/xml/domainDocument.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskService } from '../tasks/taskService.js';
import type { AdvisorService } from './advisorService.js';

export interface RemedyDeps {
  hosts: HostService;
  tasks: TaskService;
  advisor: AdvisorService;
  vmSettings: HandlersOf<typeof vmSettingsCalls>;
}

interface FreshVm {
  xml: string;
  definition: DomainDefinition;
  running: boolean;
}

async function readFresh(host: LibvirtHost, name: string): Promise<FreshVm> {
  // The same read `vm.settings.*` starts from, so its revision is the one the apply compares.
  const xml = await readDomainXml(host, name, { inactive: true, securityInfo: true });
  const running = /^\d+$/.test(checkedResult(await host.session.run(['domid', '--domain', name]), 'virsh domid').trim());
  return { xml, definition: parseDomainXml(xml), running };
}

/** Whether the finding still holds for the VM as just read (the rest of the fleet as held). */
function stillHolds(finding: AdvisorFinding, inputs: readonly AdvisorHostInput[], fresh: FreshVm): boolean {
  const remedy = finding.remedy!;
  if (fresh.definition.uuid !== remedy.vm.uuid) return false;
  const freshVm = (vm: AdvisorVmInput): AdvisorVmInput => ({ ...vm, definition: fresh.definition, state: fresh.running ? 'running' : 'shutoff' });
  const patched = inputs.map((host) => (host.hostId === remedy.vm.hostId ? { ...host, vms: host.vms.map((vm) => (vm.uuid === remedy.vm.uuid ? freshVm(vm) : vm)) } : host));
  if (finding.rule === 'mac-collision') return macCollisions(patched).some((item) => item.id === finding.id);
  const host = patched.find((candidate) => candidate.hostId === remedy.vm.hostId);
  const vm = host?.vms.find((candidate) => candidate.uuid === remedy.vm.uuid);
  return host !== undefined && vm !== undefined && vmFindings(host, vm).some((item) => item.id === finding.id);
}

/** The object part of a VM-level finding's id: `<rule>:<host>/<uuid>/<device>` → device. */
function deviceOf(finding: AdvisorFinding): string {
  const object = finding.id.slice(finding.rule.length + 1);
  return object.split('/').slice(2).join('/');
}

/** The settings change a remedy makes, or undefined when there is none for this VM as read. */
function settingsChange(finding: AdvisorFinding, fresh: FreshVm, fleetMacs: readonly string[]): VmSettingsChange | undefined {
  const kind = finding.remedy!.kind;
  const definition = fresh.definition;
  switch (kind) {
    case 'new-mac':
    case 'nic-virtio': {
      const mac = kind === 'new-mac' ? finding.params.mac! : deviceOf(finding);
      const nic = definition.nics.find((candidate) => candidate.mac === mac);
      const model = kind === 'nic-virtio' ? 'virtio' : NicModel.safeParse(nic?.model).data;
      if (!nic || !model) return undefined;
      const newMac = kind === 'new-mac' ? generateMac([...fleetMacs, ...definition.macs]) : mac;
      return { field: 'nic', mac, model, newMac };
    }
    case 'disk-bus-virtio':
      return { field: 'diskBus', target: deviceOf(finding), bus: 'virtio' };
    case 'disk-cache-none': {
      const target = deviceOf(finding);
      const disk = definition.disks.find((candidate) => candidate.target === target);
      return disk ? { field: 'disk', target, cache: 'none', io: DiskIoMode.catch('').parse(disk.io) } : undefined;
    }
    case 'domain-type-kvm':
      return { field: 'domainType', value: 'kvm' };
    case 'domain-type-qemu':
      return { field: 'domainType', value: 'qemu' };
    case 'convert-qcow2':
      return undefined;
  }
}

export async function runRemedy(deps: RemedyDeps, findingId: string): Promise<AdvisorRemedyResult> {
  const finding = deps.advisor.current().find((item) => item.id === findingId);
  if (!finding) return { outcome: 'refused', reason: 'gone' };
  const remedy = finding.remedy;
  if (!remedy) return { outcome: 'refused', reason: 'no-remedy' };
  const host = deps.hosts.get(remedy.vm.hostId);
  const libvirt = host.libvirt();
  const fresh = await withLibvirtErrors(() => readFresh(libvirt, remedy.vm.name));
  const inputs = deps.advisor.inputs();
  if (!stillHolds(finding, inputs, fresh)) return { outcome: 'refused', reason: 'changed' };

  if (remedy.kind === 'convert-qcow2') {
    if (fresh.running) return { outcome: 'refused', reason: 'vm-running' };
    return convertRawDisk(deps, finding, fresh);
  }
  const fleetMacs = inputs.flatMap((input) => input.vms.flatMap((vm) => vm.definition?.macs ?? []));
  const change = settingsChange(finding, fresh, fleetMacs);
  if (!change) return { outcome: 'refused', reason: 'no-remedy' };
  const result = await deps.vmSettings['vm.settings.apply']({ hostId: remedy.vm.hostId, name: remedy.vm.name, revision: definitionRevision(fresh.xml), changes: [change] }, LOCAL_CLIENT);
  if (result.outcome !== 'applied') return { outcome: 'refused', reason: 'changed' };
  deps.advisor.hostChanged(remedy.vm.hostId);
  return { outcome: 'applied' };
}

/** A new volume's name next to `volume`: `disk.img` → `disk.qcow2`, unused in the pool. */
export function qcow2Name(volume: string, taken: ReadonlySet<string>): string {
  const base = volume.replace(/\.(img|raw)$/i, '');
  for (let index = 0; ; index += 1) {
    const name = `${base}${index === 0 ? '' : `-${index}`}.qcow2`;
    if (!taken.has(name)) return name;
  }
}

async function convertRawDisk(deps: RemedyDeps, finding: AdvisorFinding, fresh: FreshVm): Promise<AdvisorRemedyResult> {
  const remedy = finding.remedy!;
  const host = deps.hosts.get(remedy.vm.hostId);
  const libvirt = host.libvirt();
  const target = deviceOf(finding);
  const disks = domainDisks(DomainDocument.parse(fresh.xml));
  const disk = disks.find((candidate) => candidate.target === target);
  const refs = disk ? await withLibvirtErrors(() => resolveDiskVolumes(libvirt, [disk])) : undefined;
  const volume = disk ? refs?.get(disk) : undefined;
  if (!disk || !volume || disk.type !== 'file') return { outcome: 'refused', reason: 'not-a-volume' };
  const names = await withLibvirtErrors(() => poolVolumeNames(libvirt, volume.pool));
  const newName = qcow2Name(volume.volume, new Set(names.map((row) => row.name)));
  try {
    await deps.tasks.run({ titleKey: 'task.advisor.convert', titleParams: { vm: remedy.vm.name, target, volume: volume.volume, newName }, hostId: remedy.vm.hostId, cancellable: true }, (context) =>
      withLibvirtErrors(async () => {
        context.log({ key: 'advisor.task.convert', params: { volume: volume.volume, newName } });
        const { path } = await convertVolume(libvirt, volume.pool, volume.volume, 'qcow2', newName, { signal: context.signal, progress: (fraction) => context.progress(fraction) });
        try {
          context.log({ key: 'advisor.task.retarget', params: { target, path } });
          await retargetDisk(libvirt, remedy.vm.name, volume.path, path, 'qcow2');
        } catch (error) {
          // The VM still uses the raw volume: the copy goes, the original was never touched.
          context.log({ key: 'advisor.task.undoConvert', params: { newName } }, 'error');
          await removeVolumeWhenDone(libvirt, volume.pool, newName);
          throw error;
        }
      }),
    );
  } finally {
    host.domainRedefined(remedy.vm.name);
    await host.refresh().catch(() => undefined);
  }
  deps.advisor.hostChanged(remedy.vm.hostId);
  return { outcome: 'applied' };
}
