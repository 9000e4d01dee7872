/**
 * Reading a VM's settings with the host's limits, and applying a list of typed changes as one
 * operation: the persistent definition first (one define), then each change's live part on the
 * running guest, then a rename. A step that fails undoes the ones before it: live changes are
 * put back, and the previous definition is defined again.
 */
import { changeAppliesLive, isRestartOnlyChange, type VmSettings, type VmSettingsChange } from '../../../preload/contract.js';
import { defineDomain, readDomainXml } from '../../libvirt/domains.js';
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
import { checkedResult } from '../../libvirt/libvirtErrors.js';
import type { LibvirtHost } from '../../libvirt/libvirtHost.js';
import { DomainDocument } from '../../libvirt/xml/domainDocument.js';
import type { HostConnection } from '../hosts/hostConnection.js';

export interface ReadSettings extends VmSettings {
  /** The persistent definition as read (what a failed apply restores). */
  inactiveXml: string;
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
  return {
    inactiveXml,
    revision: definitionRevision(inactiveXml),
    running,
    fields: readSettingsFields(definition),
    ...(liveDocument ? { live: readLiveSettings(liveDocument) } : {}),
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
    },
  };
}

async function runLive(host: LibvirtHost, argv: string[]): Promise<void> {
  checkedResult(await host.session.run(argv), `virsh ${argv[0] ?? ''}`);
}

/** Applies `changes` (already checked); returns the VM's name afterwards. */
export async function applySettings(host: LibvirtHost, current: ReadSettings, changes: readonly VmSettingsChange[]): Promise<string> {
  const name = current.fields.name;
  const document = DomainDocument.parse(current.inactiveXml);
  // A new MAC last: the other changes find an interface by the MAC it had.
  for (const change of [...changes.filter((c) => c.field !== 'nic'), ...changes.filter((c) => c.field === 'nic')]) applyToDefinition(document, change);
  const newXml = document.toXml();
  const defined = newXml !== current.inactiveXml;
  if (defined) await defineDomain(host, newXml);

  const undo: (() => Promise<void>)[] = [];
  if (defined) undo.push(() => defineDomain(host, current.inactiveXml).then(() => undefined));
  try {
    const live = current.live;
    if (current.running && live) {
      for (const change of changes) {
        if (!changeAppliesLive(change, live, current.limits)) continue;
        const argv = liveArgv(name, change);
        if (!argv || isLiveNoop(change, live)) continue;
        await runLive(host, argv);
        const back = liveArgv(name, liveUndo(change, live));
        if (back) undo.push(() => runLive(host, back));
      }
    }
    const rename = changes.find((change) => change.field === 'name');
    if (rename && rename.value !== name) {
      await renameDomain(host, name, rename.value);
      return rename.value;
    }
    return name;
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  }
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
  }
}
