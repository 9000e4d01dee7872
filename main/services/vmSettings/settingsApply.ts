/**
 * Reading a VM's settings with the host's limits, and applying a list of typed changes as one
 * operation: the persistent definition first (one define), then each change's live part on the
 * running guest (hot-plug included), then a rename, then — last, since it cannot be undone —
 * deleting the files of removed disks the user asked to delete. A step that fails undoes the
 * ones before it: live changes are put back, and the previous definition is defined again.
 */
import {
  allCpusText,
  changeAppliesLive,
  isRestartOnlyChange,
  parseCpuset,
  formatCpuset,
  type VmSettings,
  type VmSettingsChange,
} from '../../../preload/contract.js';
import { removeFiles } from '../../connection/hostFiles.js';
import { withXmlOnHost } from '../../libvirt/definitions.js';
import { defineDomain, readDomainXml } from '../../libvirt/domains.js';
import { domainDisks, pathsInUse, readHostDomains, resolveDiskVolumes } from '../../libvirt/domainDisks.js';
import {
  applyToDefinition,
  definitionRevision,
  hasBalloon,
  liveArgv,
  liveUndo,
  readHostResources,
  readLiveSettings,
  readDomainCapabilities,
  readDomainMacs,
  readSettingsFields,
  renameDomain,
} from '../../libvirt/domainSettings.js';
import { changedDevice, deviceXml, readHostBridges, readHugepageSizes, readImageFormat, readLivePinning, readOnlineCpus, readVolumeFormat, type DiskAddContext } from '../../libvirt/domainSettingsDevices.js';
import { checkedResult } from '../../libvirt/libvirtErrors.js';
import type { LibvirtHost } from '../../libvirt/libvirtHost.js';
import { poolVolumeNames } from '../../libvirt/pools.js';
import { deleteVolume } from '../../libvirt/volumes.js';
import { DomainDocument } from '../../libvirt/xml/domainDocument.js';
import type { TaskLogInput } from '../tasks/taskService.js';
import type { HostConnection } from '../hosts/hostConnection.js';

export interface ReadSettings extends VmSettings {
  /** The persistent definition as read (what a failed apply restores). */
  inactiveXml: string;
  /** The running guest's definition (what hot-unplug detaches). */
  liveXml?: string;
}

export async function readSettings(host: HostConnection, name: string): Promise<ReadSettings> {
  const libvirt = host.libvirt();
  const inventory = await host.getInventory();
  const vm = inventory.vms.find((candidate) => candidate.name === name);
  // With --security-info: without it libvirt leaves out secrets such as a VNC password, and
  // defining the document back would remove them. The text stays in main (the handler drops it).
  const inactiveXml = checkedResult(await libvirt.session.run(['dumpxml', '--inactive', '--security-info', '--domain', name]), 'virsh dumpxml');
  // An active domain (running, paused, …) has an id and a live definition besides the persistent one.
  const running = /^\d+$/.test(checkedResult(await libvirt.session.run(['domid', '--domain', name]), 'virsh domid').trim());
  const definition = DomainDocument.parse(inactiveXml);
  const liveDocument = running ? DomainDocument.parse(await readDomainXml(libvirt, name)) : undefined;
  const resources = await readHostResources(libvirt);
  const capabilities = await readDomainCapabilities(libvirt, definition);
  const others = inventory.vms.filter((candidate) => candidate.name !== name && candidate.uuid !== vm?.uuid);
  const otherMacs = await readDomainMacs(libvirt, others.map((candidate) => candidate.name));
  const fields = readSettingsFields(definition);
  // Which other VMs use each file: a disk another VM uses is never deleted, a volume in use not attached twice.
  const domains = (await readHostDomains(libvirt)).filter((domain) => domain.name !== name && domain.uuid !== vm?.uuid);
  const users = await pathsInUse(libvirt, domains);
  const ownDisks = domainDisks(definition);
  await resolveDiskVolumes(libvirt, ownDisks);
  for (const disk of fields.disks) {
    const path = ownDisks.find((own) => own.target === disk.target)?.path;
    disk.usedBy = path ? (users.get(path) ?? []) : [];
  }
  const volumes = [];
  for (const pool of inventory.pools.filter((candidate) => candidate.active)) {
    for (const volume of await poolVolumeNames(libvirt, pool.name).catch(() => [])) volumes.push({ pool: pool.name, name: volume.name, path: volume.path, usedBy: users.get(volume.path) ?? [] });
  }
  const live = liveDocument ? readLiveSettings(liveDocument) : undefined;
  if (live) {
    const pinning = await readLivePinning(libvirt, name);
    if (pinning) live.pinning = pinning;
  }
  return {
    inactiveXml,
    ...(liveDocument ? { liveXml: liveDocument.toXml() } : {}),
    revision: definitionRevision(inactiveXml),
    running,
    fields,
    ...(live ? { live } : {}),
    limits: {
      hostCpus: resources.cpus,
      hostMemoryKiB: resources.memoryKiB,
      maxVcpus: capabilities.maxVcpus ?? resources.cpus,
      otherNames: others.map((candidate) => candidate.name),
      otherRunningVcpus: others.filter((candidate) => candidate.state === 'running').reduce((sum, candidate) => sum + candidate.vcpus, 0),
      balloon: hasBalloon(liveDocument ?? definition),
      otherMacs,
      cpuModes: capabilities.cpuModes,
      cpuModels: capabilities.cpuModels,
      efi: capabilities.efi,
      hostTopology: { ...(resources.topology ?? { sockets: 1, coresPerSocket: resources.cpus, threadsPerCore: 1 }), onlineCpus: await readOnlineCpus(libvirt, resources.cpus) },
      networks: inventory.networks.map((network) => ({ name: network.name, active: network.active })),
      bridges: await readHostBridges(libvirt),
      volumes,
      hugepageSizesKiB: await readHugepageSizes(libvirt),
    },
  };
}

/** One command on the running guest; `xml` (a device) goes to the host as a file, named by `--file`. */
interface LiveStep {
  argv: string[];
  xml?: string;
}

async function runStep(host: LibvirtHost, step: LiveStep): Promise<void> {
  const { argv, xml } = step;
  if (xml === undefined) {
    checkedResult(await host.session.run(argv), `virsh ${argv[0] ?? ''}`);
    return;
  }
  await withXmlOnHost(host.runner, xml, async (path) => checkedResult(await host.session.run([...argv, '--file', path]), `virsh ${argv[0] ?? ''}`));
}

function stepText(step: LiveStep): string {
  return `virsh ${step.argv.join(' ')}${step.xml === undefined ? '' : ' --file …'}`;
}

/** What the apply reports as it goes (the task's log). */
export interface ApplyProgress {
  log(line: TaskLogInput): void;
  progress(fraction: number | null): void;
}

/** Applies `changes` (already checked); returns the VM's name afterwards. */
export async function applySettings(host: LibvirtHost, current: ReadSettings, changes: readonly VmSettingsChange[], report: ApplyProgress = { log: () => undefined, progress: () => undefined }): Promise<string> {
  const name = current.fields.name;
  const document = DomainDocument.parse(current.inactiveXml);
  // What a new disk's image is, read from the host before anything changes.
  const diskContexts = new Map<VmSettingsChange, DiskAddContext>();
  for (const change of changes) {
    if (change.field !== 'diskAdd' || change.source.kind === 'cdrom') continue;
    const format = change.source.kind === 'volume' ? await readVolumeFormat(host, change.source.pool, change.source.volume) : await readImageFormat(host, change.source.path);
    diskContexts.set(change, { format });
  }
  // The files of removed disks the user asked to delete, resolved while the definition still names them.
  const deletions = await plannedDeletions(host, current, changes);
  // A new MAC and a new bus (which may rename the target) last: the other changes find a device by what it had.
  const late = (change: VmSettingsChange) => change.field === 'nic' || change.field === 'diskBus';
  for (const change of [...changes.filter((c) => !late(c)), ...changes.filter(late)]) applyToDefinition(document, change, diskContexts.get(change));
  const newXml = document.toXml();
  const defined = newXml !== current.inactiveXml;
  const liveSteps = current.running && current.live ? planLiveSteps(name, current, document, changes) : [];
  const total = (defined ? 1 : 0) + liveSteps.length + deletions.length + 1;
  let done = 0;
  const advance = () => report.progress(++done / total);

  if (defined) {
    report.log({ key: 'vmSettings.task.define' });
    await defineDomain(host, newXml);
    advance();
  }
  const undo: { text: string; run: () => Promise<void> }[] = [];
  if (defined) undo.push({ text: 'virsh define (the definition as it was)', run: () => defineDomain(host, current.inactiveXml).then(() => undefined) });
  try {
    for (const { step, back } of liveSteps) {
      report.log(stepText(step));
      await runStep(host, step);
      if (back) undo.push({ text: stepText(back), run: () => runStep(host, back) });
      advance();
    }
    const rename = changes.find((change) => change.field === 'name');
    let newName = name;
    if (rename && rename.value !== name) {
      report.log(`virsh domrename --domain ${name} --new-name ${rename.value}`);
      await renameDomain(host, name, rename.value);
      newName = rename.value;
      undo.push({ text: `virsh domrename --domain ${rename.value} --new-name ${name}`, run: () => renameDomain(host, rename.value, name) });
    }
    for (const deletion of deletions) {
      report.log({ key: 'vmSettings.task.delete', params: { path: deletion.path } });
      await deletion.run();
      advance();
    }
    return newName;
  } catch (error) {
    report.log({ key: 'vmSettings.task.failed', params: { message: error instanceof Error ? error.message : String(error) }, level: 'error' });
    for (const step of undo.reverse()) {
      report.log({ key: 'vmSettings.task.undo', params: { step: step.text }, level: 'info' });
      await step.run().catch(() => undefined);
    }
    throw error;
  }
}

interface Deletion {
  path: string;
  run: () => Promise<void>;
}

/** A removed disk's file: deleted as a pool volume when it is one (the pool stays in step), else as a file. */
async function plannedDeletions(host: LibvirtHost, current: ReadSettings, changes: readonly VmSettingsChange[]): Promise<Deletion[]> {
  const targets = changes.flatMap((change) => (change.field === 'diskRemove' && change.deleteFile ? [change.target] : []));
  if (targets.length === 0) return [];
  const disks = domainDisks(DomainDocument.parse(current.inactiveXml)).filter((disk) => targets.includes(disk.target));
  const volumes = await resolveDiskVolumes(host, disks);
  return disks.flatMap((disk) => {
    const volume = volumes.get(disk);
    if (volume) return [{ path: volume.path, run: () => deleteVolume(host, volume.pool, volume.volume) }];
    return disk.path ? [{ path: disk.path, run: () => removeFiles(host.runner, [disk.path!]) }] : [];
  });
}

/** The commands that make `changes` on the running guest, each with the one that undoes it. */
function planLiveSteps(name: string, current: ReadSettings, next: DomainDocument, changes: readonly VmSettingsChange[]): { step: LiveStep; back?: LiveStep }[] {
  const live = current.live!;
  const liveDocument = current.liveXml ? DomainDocument.parse(current.liveXml) : undefined;
  const steps: { step: LiveStep; back?: LiveStep }[] = [];
  for (const change of changes) {
    if (!changeAppliesLive(change, live, current.limits)) continue;
    switch (change.field) {
      case 'pinning':
        steps.push(...pinningSteps(name, change, current));
        continue;
      case 'diskAdd':
      case 'nicAdd': {
        const device = changedDevice(next, change);
        if (!device) continue;
        const xml = deviceXml(device);
        steps.push({ step: { argv: ['attach-device', '--domain', name, '--live'], xml }, back: { argv: ['detach-device', '--domain', name, '--live'], xml } });
        continue;
      }
      case 'diskRemove':
      case 'nicRemove': {
        const device = liveDocument && changedDevice(liveDocument, change);
        if (!device) continue;
        steps.push({ step: { argv: ['detach-device', '--domain', name, '--live'], xml: deviceXml(device) }, back: { argv: ['attach-device', '--domain', name, '--live'], xml: deviceXml(device, { withoutAlias: true }) } });
        continue;
      }
      default: {
        const argv = liveArgv(name, change);
        if (!argv || isLiveNoop(change, live)) continue;
        const back = liveArgv(name, liveUndo(change, live));
        steps.push({ step: { argv }, ...(back ? { back: { argv: back } } : {}) });
      }
    }
  }
  return steps;
}

/** `vcpupin`/`emulatorpin --live` for each vCPU (and the emulator) whose CPUs change; unpinned is every online CPU. */
function pinningSteps(name: string, change: Extract<VmSettingsChange, { field: 'pinning' }>, current: ReadSettings): { step: LiveStep; back?: LiveStep }[] {
  const live = current.live!;
  const everywhere = allCpusText(current.limits.hostTopology.onlineCpus);
  const normal = (cpuset: string) => (cpuset.trim() === '' ? everywhere : formatCpuset(parseCpuset(cpuset) ?? []));
  const steps: { step: LiveStep; back?: LiveStep }[] = [];
  for (let vcpu = 0; vcpu < live.vcpusMax; vcpu++) {
    const now = live.pinning?.vcpus[String(vcpu)];
    const wanted = normal(change.vcpus[String(vcpu)] ?? '');
    if (now !== undefined && normal(now) === wanted) continue;
    const argv = (cpus: string) => ['vcpupin', '--domain', name, '--vcpu', String(vcpu), '--cpulist', cpus, '--live'];
    steps.push({ step: { argv: argv(wanted) }, ...(now !== undefined ? { back: { argv: argv(now) } } : {}) });
  }
  const now = live.pinning?.emulator;
  const wanted = normal(change.emulator);
  if (now === undefined || normal(now) !== wanted) {
    const argv = (cpus: string) => ['emulatorpin', '--domain', name, '--cpulist', cpus, '--live'];
    steps.push({ step: { argv: argv(wanted) }, ...(now !== undefined ? { back: { argv: argv(now) } } : {}) });
  }
  return steps;
}

/** A live change that would set what the guest already has. */
function isLiveNoop(change: VmSettingsChange, live: NonNullable<VmSettings['live']>): boolean {
  if (isRestartOnlyChange(change)) return true;
  switch (change.field) {
    case 'title':
      return change.value === live.title;
    case 'description':
      return change.value === live.description;
    case 'vcpus':
      return change.current === live.vcpus;
    case 'memory':
      return change.currentKiB === live.memoryKiB;
    case 'nicLink':
      return live.nicLinks[change.mac.toLowerCase()] === change.link;
    case 'cdrom':
      return live.media[change.target] === change.source;
    case 'pinning':
    case 'diskAdd':
    case 'diskRemove':
    case 'nicAdd':
    case 'nicRemove':
      return false;
  }
}
