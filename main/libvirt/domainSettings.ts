/**
 * A VM's settings as typed changes over its definition. The persistent part of a change is
 * made on the document read with `dumpxml --inactive` (so everything the app does not know
 * stays as it was) and defined back through the file primitive; the live part is the virsh
 * verb that changes the running guest (`setvcpus --live`, `setmem --live`, `desc --live`).
 * A raw XML definition is defined with libvirt's schema check (`define --validate`).
 */
import { createHash } from 'node:crypto';
import { ContractError } from '../../preload/contract.js';
import { HostPathKind, isRestartOnlyChange, type VmLiveSettings, type VmSettingsChange, type VmSettingsFields } from '../../preload/contract.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import { withXmlOnHost, type DefinitionHost } from './definitions.js';
import { parseNodeinfoOutput } from './hostDetails.js';
import { checkedResult } from './libvirtErrors.js';
import type { LibvirtHost } from './libvirtHost.js';
import { attributeValue, childElements, firstChildElement } from './xml/childElements.js';
import { DOMAIN, DomainDocument } from './xml/domainDocument.js';
import type { Element } from '@xmldom/xmldom';
import { DeviceNotFoundError, DISK, GRAPHICS, INTERFACE, MEMBALLOON } from './xml/domainDevices.js';
import { XmlDocument } from './xml/xmlDocument.js';
import { intProperty, stringProperty } from './xml/xmlProperty.js';
import { addDisk, addInterface, readPinning, writeHugepages, setInterfaceSource, writeDiskBus, writePinning, type DiskAddContext } from './domainSettingsDevices.js';

/** A fingerprint of a definition's text: two reads that differ in any byte differ here. */
export function definitionRevision(xml: string): string {
  return createHash('sha256').update(xml, 'utf8').digest('hex');
}

const CPU = {
  mode: stringProperty('./cpu/@mode'),
  match: stringProperty('./cpu/@match'),
  migratable: stringProperty('./cpu/@migratable'),
  model: stringProperty('./cpu/model'),
  modelFallback: stringProperty('./cpu/model/@fallback'),
} as const;

const TOPOLOGY = {
  sockets: intProperty('./cpu/topology/@sockets'),
  cores: intProperty('./cpu/topology/@cores'),
  threads: intProperty('./cpu/topology/@threads'),
} as const;

const KIB = 1024;

export function readSettingsFields(document: DomainDocument): VmSettingsFields {
  const max = document.get(DOMAIN.vcpu) ?? 1;
  const memoryBytes = document.get(DOMAIN.memory) ?? 0;
  const topology = readTopology(document);
  return {
    name: document.get(DOMAIN.name) ?? '',
    uuid: document.get(DOMAIN.uuid) ?? '',
    title: document.get(DOMAIN.title) ?? '',
    description: document.get(DOMAIN.description) ?? '',
    vcpus: { max, current: document.get(DOMAIN.vcpuCurrent) ?? max },
    memory: { maxKiB: Math.round(memoryBytes / KIB), currentKiB: Math.round((document.get(DOMAIN.currentMemory) ?? memoryBytes) / KIB) },
    ...(topology ? { cpuTopology: topology } : {}),
    cpu: readCpu(document),
    boot: readBoot(document),
    firmware: readFirmware(document),
    ...readVnc(document),
    serialConsole: document.devices('serial').length > 0 || document.devices('console').length > 0,
    disks: document.devices('disk').map((disk) => ({
      target: DISK.targetDev.get(disk) ?? '',
      device: DISK.device.get(disk) ?? 'disk',
      bus: DISK.targetBus.get(disk) ?? '',
      source: diskSourceText(disk),
      format: DISK.format.get(disk) ?? '',
      cache: DISK.cache.get(disk) ?? '',
      io: DISK.io.get(disk) ?? '',
      usedBy: [],
    })).filter((disk) => disk.target !== ''),
    osId: document.get(DOMAIN.osVariant) ?? '',
    pinning: readPinning(document),
    hugepages: firstChildElement(firstChildElement(document.root, 'memoryBacking'), 'hugepages') !== undefined,
    nics: document.devices('interface').map((nic) => ({
      mac: (INTERFACE.mac.get(nic) ?? '').toLowerCase(),
      type: INTERFACE.type.get(nic) ?? '',
      source: INTERFACE.sourceNetwork.get(nic) ?? INTERFACE.sourceBridge.get(nic) ?? INTERFACE.sourceDev.get(nic) ?? '',
      model: INTERFACE.model.get(nic) ?? '',
      link: INTERFACE.linkState.get(nic) === 'down' ? ('down' as const) : ('up' as const),
    })).filter((nic) => nic.mac !== ''),
  };
}

const DISK_TRAY = stringProperty('./target/@tray');

/**
 * A CD-ROM's media in the definition: `<source file=…>` of an image, or no `<source>` (empty).
 * The disk becomes a file disk (a host drive or a volume it read before is replaced).
 */
function writeCdromMedia(document: DomainDocument, target: string, source: string): void {
  const disk = document.findDevice({ kind: 'disk', target });
  if (!disk || DISK.device.get(disk) !== 'cdrom') throw new DeviceNotFoundError(`the domain has no CD-ROM ${target}`);
  if (source !== '' && DISK.type.get(disk) === 'file' && DISK.sourceFile.get(disk) === source) return;
  for (const element of childElements(disk, 'source')) document.xml.remove(element);
  if (source === '') return;
  if (DISK.type.get(disk) !== 'file') DISK.type.set(document.xml, disk, 'file');
  DISK.sourceFile.set(document.xml, disk, source);
}

function requireInterface(document: DomainDocument, mac: string): Element {
  const nic = document.findDevice({ kind: 'interface', mac });
  if (!nic) throw new DeviceNotFoundError(`the domain has no interface ${mac}`);
  return nic;
}

function diskSourceText(disk: Element): string {
  const pool = DISK.sourcePool.get(disk);
  if (pool !== undefined) return `${pool}/${DISK.sourceVolume.get(disk) ?? ''}`;
  return DISK.sourceFile.get(disk) ?? DISK.sourceDev.get(disk) ?? '';
}

/** A disk's cache and I/O modes ('' removes the attribute: the hypervisor's default). */
function writeDiskDriver(document: DomainDocument, target: string, cache: string, io: string): void {
  const disk = document.findDevice({ kind: 'disk', target });
  if (!disk) throw new DeviceNotFoundError(`the domain has no disk ${target}`);
  for (const [property, value] of [[DISK.cache, cache], [DISK.io, io]] as const) {
    if ((property.get(disk) ?? '') === value) continue;
    if (value === '') property.clear(document.xml, disk);
    else property.set(document.xml, disk, value);
  }
}

function vncElement(document: DomainDocument): Element | undefined {
  return document.devices('graphics').find((graphics) => GRAPHICS.type.get(graphics) === 'vnc');
}

/** The VNC display; `hasPassword` needs a definition read with --security-info. */
function readVnc(document: DomainDocument): { vnc?: { listen: string; hasPassword: boolean } } {
  const vnc = vncElement(document);
  if (!vnc) return {};
  const listen = childElements(vnc, 'listen').find((element) => attributeValue(element, 'type') === 'address');
  return { vnc: { listen: attributeValue(listen, 'address') ?? GRAPHICS.listen.get(vnc) ?? '', hasPassword: GRAPHICS.passwd.get(vnc) !== undefined } };
}

/**
 * The VNC display's listen address (the attribute and one `<listen type='address'>`, which
 * libvirt requires to agree) and password; a display is added (port chosen at start) when there
 * is none.
 */
function writeVnc(document: DomainDocument, listen: string, password: string | undefined): void {
  let vnc = vncElement(document);
  if (!vnc) vnc = document.addDevice({ kind: 'graphics', type: 'vnc', listen });
  const before = readVnc(document).vnc;
  if (before?.listen !== listen || GRAPHICS.listen.get(vnc) !== listen) {
    for (const element of childElements(vnc, 'listen')) document.xml.remove(element);
    GRAPHICS.listen.set(document.xml, vnc, listen);
    GRAPHICS.listenType.set(document.xml, vnc, 'address');
    GRAPHICS.listenAddress.set(document.xml, vnc, listen);
  }
  if (password === '') GRAPHICS.passwd.clear(document.xml, vnc);
  else if (password !== undefined) GRAPHICS.passwd.set(document.xml, vnc, password);
}

/** A serial port on a pty and the console on it (`virsh console`). */
function addSerialConsole(document: DomainDocument): void {
  if (document.devices('serial').length > 0 || document.devices('console').length > 0) return;
  document.addDevice({ kind: 'serial', type: 'pty', port: 0 });
  document.addDevice({ kind: 'console', type: 'pty', targetType: 'serial', port: 0 });
}

function readFirmware(document: DomainDocument): 'bios' | 'efi' {
  const os = firstChildElement(document.root, 'os');
  if (attributeValue(os, 'firmware') === 'efi') return 'efi';
  return attributeValue(firstChildElement(os, 'loader'), 'type') === 'pflash' ? 'efi' : 'bios';
}

/**
 * BIOS or UEFI. UEFI is `<os firmware='efi'>`: libvirt picks the host's firmware and makes the
 * guest's NVRAM. BIOS removes that and any loader, NVRAM or firmware features the definition
 * named (the NVRAM file stays on the host). The rest of `<os>` stays.
 */
function writeFirmware(document: DomainDocument, value: 'bios' | 'efi'): void {
  if (readFirmware(document) === value) return;
  const os = firstChildElement(document.root, 'os') ?? document.xml.insert(document.root, document.xml.createElement('os'));
  if (value === 'efi') {
    os.setAttribute('firmware', 'efi');
    return;
  }
  os.removeAttribute('firmware');
  for (const name of ['firmware', 'loader', 'nvram']) for (const element of childElements(os, name)) document.xml.remove(element);
}

function readBoot(document: DomainDocument): VmSettingsFields['boot'] {
  const os = firstChildElement(document.root, 'os');
  const devices = childElements(os, 'boot').map((boot) => attributeValue(boot, 'dev') ?? '').filter((dev) => dev !== '');
  const perDevice = document.devices().some((device) => firstChildElement(device, 'boot') !== undefined);
  return { devices, menu: document.get(DOMAIN.bootMenu) ?? false, perDevice };
}

/** `<os><boot dev=…/>…` in the given order (replacing the old list) and `<bootmenu enable=…>`. */
function writeBoot(document: DomainDocument, devices: readonly string[], menu: boolean): void {
  const before = readBoot(document);
  if (before.devices.join() !== devices.join()) {
    const os = firstChildElement(document.root, 'os') ?? document.xml.insert(document.root, document.xml.createElement('os'));
    for (const boot of childElements(os, 'boot')) document.xml.remove(boot);
    for (const dev of devices) {
      const boot = document.xml.createElement('boot');
      boot.setAttribute('dev', dev);
      document.xml.insert(os, boot);
    }
  }
  if (before.menu !== menu) document.set(DOMAIN.bootMenu, menu);
}

function readCpu(document: DomainDocument): VmSettingsFields['cpu'] {
  const mode = document.get(CPU.mode) ?? 'custom';
  const model = document.get(CPU.model)?.trim();
  // Custom mode without a named model (no <cpu>, or one holding only a topology) is the
  // hypervisor's default CPU.
  if (mode === 'custom') return model ? { mode, model } : { mode: '' };
  return { mode };
}

/** The CPU topology (sockets × cores × threads) when the definition fixes one. */
export function readTopology(document: DomainDocument): { sockets: number; cores: number; threads: number } | undefined {
  const sockets = document.get(TOPOLOGY.sockets);
  const cores = document.get(TOPOLOGY.cores);
  const threads = document.get(TOPOLOGY.threads);
  return sockets === undefined || cores === undefined || threads === undefined ? undefined : { sockets, cores, threads };
}

/** What the running guest has, from its live XML. */
export function readLiveSettings(live: DomainDocument): VmLiveSettings {
  const fields = readSettingsFields(live);
  return {
    nicLinks: Object.fromEntries(fields.nics.map((nic) => [nic.mac, nic.link])),
    // A tray the guest (or an eject) opened holds no media for it, whatever <source> says.
    media: Object.fromEntries(
      live.devices('disk').filter((disk) => DISK.device.get(disk) === 'cdrom' && (DISK.targetDev.get(disk) ?? '') !== '').map((disk) => [DISK.targetDev.get(disk) ?? '', DISK_TRAY.get(disk) === 'open' ? '' : diskSourceText(disk)]),
    ),
    disks: Object.fromEntries(fields.disks.map((disk) => [disk.target, { bus: disk.bus, device: disk.device }])),
    nicMacs: fields.nics.map((nic) => nic.mac),
    vcpus: fields.vcpus.current,
    vcpusMax: fields.vcpus.max,
    memoryKiB: fields.memory.currentKiB,
    memoryMaxKiB: fields.memory.maxKiB,
    title: fields.title,
    description: fields.description,
  };
}

/** Whether the guest has a memory balloon (`<memballoon model='none'/>` means it has none). */
export function hasBalloon(document: DomainDocument): boolean {
  const balloon = document.devices('memballoon')[0];
  return balloon !== undefined && MEMBALLOON.model.get(balloon) !== 'none';
}

/**
 * Makes the persistent part of one change on the document. A rename is not made here: libvirt
 * renames with `domrename`, which keeps the UUID, snapshots and NVRAM with the VM.
 */
export function applyToDefinition(document: DomainDocument, change: VmSettingsChange, context: DiskAddContext = {}): void {
  switch (change.field) {
    case 'pinning':
      writePinning(document, change, document.get(DOMAIN.vcpu) ?? 1);
      return;
    case 'diskBus':
      writeDiskBus(document, change.target, change.bus);
      return;
    case 'hugepages':
      writeHugepages(document, change.value);
      return;
    case 'domainType':
      document.set(DOMAIN.type, change.value);
      return;
    case 'diskAdd':
      addDisk(document, change.target, change.bus, change.source, context);
      return;
    case 'diskRemove':
      if (!document.removeDevice({ kind: 'disk', target: change.target })) throw new DeviceNotFoundError(`the domain has no disk ${change.target}`);
      return;
    case 'nicSource':
      setInterfaceSource(document, change.mac, change.source);
      return;
    case 'nicAdd':
      addInterface(document, change.mac.toLowerCase(), change.model, change.source);
      return;
    case 'nicRemove':
      if (!document.removeDevice({ kind: 'interface', mac: change.mac })) throw new DeviceNotFoundError(`the domain has no interface ${change.mac}`);
      return;
    case 'name':
      return;
    case 'title':
      document.setTitle(change.value === '' ? undefined : change.value);
      return;
    case 'description':
      document.setDescription(change.value === '' ? undefined : change.value);
      return;
    case 'vcpus': {
      const before = document.get(DOMAIN.vcpu);
      document.setVcpus({ max: change.max, current: change.current });
      // Per-vCPU entries (`<vcpus>`) describe the old maximum; libvirt writes new ones itself.
      if (before !== change.max) for (const entries of childElements(document.root, 'vcpus')) document.xml.remove(entries);
      // Pins of vCPUs the guest no longer has would be refused.
      if (before !== undefined && change.max < before) writePinning(document, readPinning(document), change.max);
      return;
    }
    case 'cpuTopology':
      document.set(TOPOLOGY.sockets, change.sockets);
      document.set(TOPOLOGY.cores, change.cores);
      document.set(TOPOLOGY.threads, change.threads);
      return;
    case 'cpuMode':
      writeCpuMode(document, change.mode, change.model);
      return;
    case 'boot':
      writeBoot(document, change.devices, change.menu);
      return;
    case 'disk':
      writeDiskDriver(document, change.target, change.cache, change.io);
      return;
    case 'nic': {
      const nic = requireInterface(document, change.mac);
      if (INTERFACE.model.get(nic) !== change.model) INTERFACE.model.set(document.xml, nic, change.model);
      if (change.newMac.toLowerCase() !== change.mac.toLowerCase()) INTERFACE.mac.set(document.xml, nic, change.newMac.toLowerCase());
      return;
    }
    case 'nicLink': {
      const nic = requireInterface(document, change.mac);
      const now = INTERFACE.linkState.get(nic);
      // No <link> means up; an interface that is up stays without one.
      if ((now ?? 'up') !== change.link) INTERFACE.linkState.set(document.xml, nic, change.link);
      return;
    }
    case 'cdrom':
      writeCdromMedia(document, change.target, change.source);
      return;
    case 'firmware':
      writeFirmware(document, change.value);
      return;
    case 'vnc':
      writeVnc(document, change.listen, change.password);
      return;
    case 'serialConsole':
      addSerialConsole(document);
      return;
    case 'memory':
      document.setMemory(change.maxKiB);
      // libvirt writes `<currentMemory>` even when it equals `<memory>`; it stays where it is.
      document.setCurrentMemory(change.currentKiB === change.maxKiB && document.get(DOMAIN.currentMemory) === undefined ? undefined : change.currentKiB);
      return;
  }
}

/**
 * `<cpu mode=…>`: host-passthrough and host-model take no named model (a host-model's fallback
 * model is libvirt's to write), custom names one. Topology, features and NUMA cells stay.
 */
function writeCpuMode(document: DomainDocument, mode: 'host-passthrough' | 'host-model' | 'custom', model: string | undefined): void {
  document.set(CPU.mode, mode);
  // libvirt allows `migratable` only with host-passthrough (and maximum).
  if (mode !== 'host-passthrough') document.clear(CPU.migratable);
  if (mode === 'custom') {
    if (document.get(CPU.match) === undefined) document.set(CPU.match, 'exact');
    document.set(CPU.model, model ?? '');
    if (document.get(CPU.modelFallback) === undefined) document.set(CPU.modelFallback, 'allow');
    return;
  }
  const element = firstChildElement(firstChildElement(document.root, 'cpu'), 'model');
  if (element) document.xml.remove(element);
  // match belongs to a named model.
  document.clear(CPU.match);
}

/**
 * The virsh command that makes a change on the running guest, or undefined when it has no live
 * part (the caller decides with `changeAppliesLive` whether it may run).
 */
export function liveArgv(name: string, change: VmSettingsChange): string[] | undefined {
  if (isRestartOnlyChange(change)) return undefined;
  switch (change.field) {
    case 'nicLink':
      return ['domif-setlink', '--domain', name, '--interface', change.mac, '--state', change.link];
    case 'cdrom':
      // --live only: the definition is defined with the other changes. --update ejects what is in
      // the drive (if anything) and inserts the new image.
      return change.source === ''
        ? ['change-media', '--domain', name, '--path', change.target, '--eject', '--live']
        : ['change-media', '--domain', name, '--path', change.target, '--source', change.source, '--update', '--live'];
    case 'title':
      return ['desc', '--domain', name, '--live', '--title', '--new-desc', change.value];
    case 'description':
      return ['desc', '--domain', name, '--live', '--new-desc', change.value];
    case 'vcpus':
      return ['setvcpus', '--domain', name, '--count', String(change.current), '--live'];
    case 'memory':
      return ['setmem', '--domain', name, '--size', `${change.currentKiB}KiB`, '--live'];
    // Several commands, or a device's XML: settingsApply's live steps.
    case 'pinning':
    case 'diskAdd':
    case 'diskRemove':
    case 'nicAdd':
    case 'nicRemove':
      return undefined;
  }
}

/** The change that puts the running guest back as `live` had it (undoing `change`). */
export function liveUndo(change: VmSettingsChange, live: VmLiveSettings): VmSettingsChange {
  switch (change.field) {
    case 'name':
    case 'cpuTopology':
    case 'cpuMode':
    case 'boot':
    case 'disk':
    case 'nic':
    case 'firmware':
    case 'vnc':
    case 'serialConsole':
    case 'diskBus':
    case 'nicSource':
    case 'hugepages':
    case 'domainType':
    case 'pinning':
    case 'diskAdd':
    case 'diskRemove':
    case 'nicAdd':
    case 'nicRemove':
      return change;
    case 'nicLink':
      return { field: 'nicLink', mac: change.mac, link: live.nicLinks[change.mac.toLowerCase()] ?? 'up' };
    case 'cdrom':
      return { field: 'cdrom', target: change.target, source: live.media[change.target] ?? '' };
    case 'title':
      return { field: 'title', value: live.title };
    case 'description':
      return { field: 'description', value: live.description };
    case 'vcpus':
      return { field: 'vcpus', max: live.vcpusMax, current: live.vcpus };
    case 'memory':
      return { field: 'memory', maxKiB: live.memoryMaxKiB, currentKiB: live.memoryKiB };
  }
}

export async function renameDomain(host: LibvirtHost, name: string, newName: string): Promise<void> {
  checkedResult(await host.session.run(['domrename', '--domain', name, '--new-name', newName]), 'virsh domrename');
}

/**
 * Defines a domain from text the user wrote, with libvirt's schema check: a definition libvirt
 * refuses changes nothing. Through the file primitive, as every definition.
 */
export async function defineDomainValidated(host: DefinitionHost, xml: string): Promise<string> {
  try {
    return await withXmlOnHost(host.runner, xml, async (path) => checkedResult(await host.session.run(['define', '--file', path, '--validate']), 'virsh define'));
  } catch (error) {
    if (!(error instanceof ContractError) || error.code !== 'libvirt-error' || !error.detail) throw error;
    const reason = defineRefusalText(error.detail);
    throw new ContractError('libvirt-error', reason, reason);
  }
}

/**
 * What libvirt said about a refused definition, as the user should read it: its own lines
 * without virsh's `error: ` prefixes and without the line naming the private temporary file.
 */
export function defineRefusalText(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.replace(/^error: /, '').trimEnd())
    .filter((line) => line !== '' && !/^Failed to define domain from /.test(line));
  return lines.join('\n') || stderr.trim();
}

export interface HostResources {
  cpus: number;
  memoryKiB: number;
  /** The topology as nodeinfo counts it (sockets per NUMA node); absent parts are 1. */
  topology?: { sockets: number; coresPerSocket: number; threadsPerCore: number };
}

/** `virsh nodeinfo`: the host's logical CPUs and memory (read as the host details read it). */
export function parseNodeinfo(stdout: string): HostResources {
  const info = parseNodeinfoOutput(stdout);
  const resources: HostResources = { cpus: info.logicalCpus ?? 0, memoryKiB: info.memoryKiB ?? 0 };
  if (info.socketsPerNode !== undefined) resources.topology = { sockets: info.socketsPerNode * (info.numaNodes ?? 1), coresPerSocket: info.coresPerSocket ?? 1, threadsPerCore: info.threadsPerCore ?? 1 };
  return resources;
}

/** What `virsh domcapabilities` says about a guest of this type. */
export interface DomainCapabilities {
  maxVcpus?: number;
  /** CPU modes libvirt supports here (host-passthrough, host-model, custom, …). */
  cpuModes: string[];
  /** Named CPU models QEMU can give this guest on this host (custom mode, usable='yes'). */
  cpuModels: string[];
  /** Whether UEFI firmware is there for this guest (the firmware enum offers efi, or a loader is OVMF). */
  efi: boolean;
}

export function parseDomainCapabilities(xml: string): DomainCapabilities {
  let root;
  try {
    root = XmlDocument.parse(xml).root;
  } catch {
    return { cpuModes: [], cpuModels: [], efi: false };
  }
  const os = firstChildElement(root, 'os');
  const osSupported = attributeValue(os, 'supported') === 'yes';
  const firmwareEnum = childElements(os, 'enum').find((element) => attributeValue(element, 'name') === 'firmware');
  const loader = firstChildElement(os, 'loader');
  const loaders = attributeValue(loader, 'supported') === 'yes' ? childElements(loader, 'value').map((value) => (value.textContent ?? '').trim()) : [];
  const efi = osSupported && (childElements(firmwareEnum, 'value').some((value) => (value.textContent ?? '').trim() === 'efi') || loaders.some((path) => /ovmf|edk2/i.test(path)));
  const max = Number(attributeValue(firstChildElement(root, 'vcpu'), 'max'));
  const modes = childElements(firstChildElement(root, 'cpu'), 'mode').filter((mode) => attributeValue(mode, 'supported') === 'yes');
  const custom = modes.find((mode) => attributeValue(mode, 'name') === 'custom');
  const models = childElements(custom, 'model')
    .filter((model) => attributeValue(model, 'usable') !== 'no')
    .map((model) => (model.textContent ?? '').trim())
    .filter((name) => name !== '');
  return {
    ...(Number.isSafeInteger(max) && max > 0 ? { maxVcpus: max } : {}),
    cpuModes: modes.map((mode) => attributeValue(mode, 'name') ?? '').filter((name) => name !== ''),
    cpuModels: [...new Set(models)].sort((x, y) => x.localeCompare(y)),
    efi,
  };
}

/** Capabilities for a guest of this definition's type, architecture and machine. */
export async function readDomainCapabilities(host: LibvirtHost, document: DomainDocument): Promise<DomainCapabilities> {
  const argv = ['domcapabilities'];
  const type = document.get(DOMAIN.type);
  const arch = document.get(DOMAIN.osArch);
  const machine = document.get(DOMAIN.osMachine);
  if (type) argv.push('--virttype', type);
  if (arch) argv.push('--arch', arch);
  if (machine) argv.push('--machine', machine);
  const result = await host.session.run(argv);
  // The test driver has no domain capabilities: nothing is known then.
  return result.ok ? parseDomainCapabilities(result.stdout) : { cpuModes: [], cpuModels: [], efi: false };
}

/** MACs in `virsh domiflist` output (its last column). */
export function parseDomiflistMacs(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/).at(-1) ?? '')
    .filter((field) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(field))
    .map((mac) => mac.toLowerCase());
}

/** The MACs of these domains' interfaces (persistent definitions), in one round trip. */
export async function readDomainMacs(host: LibvirtHost, names: readonly string[]): Promise<string[]> {
  const results = await Promise.all(host.session.runBatch(names.map((name) => ['domiflist', '--domain', name, '--inactive'])));
  return results.flatMap((result) => (result?.ok ? parseDomiflistMacs(result.stdout) : []));
}

/** What a path on the host is: a regular file, something else, or nothing (as the SSH user sees it). */
export async function readHostPathKind(host: LibvirtHost, path: string): Promise<HostPathKind> {
  const result = await runRemoteJob(host.runner, ['sh', '-c', HOST_PATH_SCRIPT, 'sh', path]);
  const kind = HostPathKind.safeParse(result.stdout.trim());
  if (result.code !== 0 || !kind.success) throw new ContractError('file-error', `Could not look at ${path} on the host.`, result.stderr.trim());
  return kind.data;
}

const HOST_PATH_SCRIPT = 'if [ -f "$1" ]; then echo file; elif [ -e "$1" ] || [ -L "$1" ]; then echo other; else echo missing; fi';

export async function readHostResources(host: LibvirtHost): Promise<HostResources> {
  return parseNodeinfo(checkedResult(await host.session.run(['nodeinfo']), 'virsh nodeinfo'));
}
