/**
 * The settings editor's pinning and device changes on a domain document: `<cputune>` pinning,
 * a disk's bus, disks and interfaces added and removed, an interface's source; and reading what
 * the host and the running guest say about them (`nodecpumap`, `vcpuinfo`, `emulatorpin`, the
 * host's bridges, the formats of images).
 */
import type { Element } from '@xmldom/xmldom';
import { ContractError, formatCpuset, nextDiskTarget, parseCpuset, type DiskBus, type NewDiskSource, type NicSource, type VmSettingsChange } from '../../preload/contract.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import type { LibvirtHost } from './libvirtHost.js';
import { readVolumeXml } from './volumes.js';
import { attributeValue, childElements, firstChildElement } from './xml/childElements.js';
import type { DomainDocument } from './xml/domainDocument.js';
import { DeviceNotFoundError, DISK } from './xml/domainDevices.js';
import { serializeXml } from './xml/xmlSerializer.js';

export interface Pinning {
  vcpus: Record<string, string>;
  emulator: string;
}

/** `<cputune><vcpupin vcpu= cpuset=/>…<emulatorpin cpuset=/>` of the definition. */
export function readPinning(document: DomainDocument): Pinning {
  const cputune = firstChildElement(document.root, 'cputune');
  const vcpus: Record<string, string> = {};
  for (const pin of childElements(cputune, 'vcpupin')) {
    const vcpu = attributeValue(pin, 'vcpu');
    const cpuset = attributeValue(pin, 'cpuset');
    if (vcpu !== undefined && cpuset !== undefined) vcpus[vcpu] = cpuset;
  }
  return { vcpus, emulator: attributeValue(firstChildElement(cputune, 'emulatorpin'), 'cpuset') ?? '' };
}

/**
 * Writes the pinning: one `<vcpupin>` per pinned vCPU below `vcpusMax`, the `<emulatorpin>`;
 * the rest of `<cputune>` (shares, quotas, iothread pins) stays, and an empty `<cputune>` goes.
 */
export function writePinning(document: DomainDocument, pinning: Pinning, vcpusMax: number): void {
  let cputune = firstChildElement(document.root, 'cputune');
  const before = readPinning(document);
  const wanted = Object.fromEntries(Object.entries(pinning.vcpus).filter(([vcpu, cpuset]) => cpuset.trim() !== '' && Number(vcpu) < vcpusMax));
  const same = (x: string, y: string) => (x.trim() === '' && y.trim() === '') || formatCpuset(parseCpuset(x) ?? []) === formatCpuset(parseCpuset(y) ?? []);
  const beforeKept = Object.keys(before.vcpus).filter((vcpu) => Number(vcpu) < vcpusMax);
  const unchanged =
    same(before.emulator, pinning.emulator) &&
    beforeKept.length === Object.keys(before.vcpus).length &&
    Object.keys(wanted).length === beforeKept.length &&
    Object.entries(wanted).every(([vcpu, cpuset]) => before.vcpus[vcpu] !== undefined && same(before.vcpus[vcpu], cpuset));
  if (unchanged) return;
  if (!cputune) cputune = document.xml.insert(document.root, document.xml.createElement('cputune'));
  for (const element of [...childElements(cputune, 'vcpupin'), ...childElements(cputune, 'emulatorpin')]) document.xml.remove(element);
  for (const [vcpu, cpuset] of Object.entries(wanted).sort(([x], [y]) => Number(x) - Number(y))) {
    const pin = document.xml.createElement('vcpupin');
    pin.setAttribute('vcpu', vcpu);
    pin.setAttribute('cpuset', cpuset.trim());
    document.xml.insert(cputune, pin);
  }
  if (pinning.emulator.trim() !== '') {
    const pin = document.xml.createElement('emulatorpin');
    pin.setAttribute('cpuset', pinning.emulator.trim());
    document.xml.insert(cputune, pin);
  }
  if (childElements(cputune).length === 0) document.xml.remove(cputune);
}

/**
 * `<memoryBacking><hugepages/>` (the host's default page size) on or off; the rest of
 * `<memoryBacking>` stays, and an empty one goes.
 */
export function writeHugepages(document: DomainDocument, on: boolean): void {
  let backing = firstChildElement(document.root, 'memoryBacking');
  const present = firstChildElement(backing, 'hugepages');
  if (on === (present !== undefined)) return;
  if (!on) {
    document.xml.remove(present!);
    if (backing && childElements(backing).length === 0) document.xml.remove(backing);
    return;
  }
  if (!backing) backing = document.xml.insert(document.root, document.xml.createElement('memoryBacking'));
  document.xml.insert(backing, document.xml.createElement('hugepages'));
}

/** Hugepage sizes the host has pages of: `/sys/kernel/mm/hugepages/hugepages-<size>kB/nr_hugepages` above 0. */
export async function readHugepageSizes(host: LibvirtHost): Promise<number[]> {
  const result = await runRemoteJob(host.runner, ['sh', '-c', 'for f in /sys/kernel/mm/hugepages/hugepages-*/nr_hugepages; do [ -r "$f" ] && echo "$f $(cat "$f")"; done; true']);
  if (result.code !== 0) return [];
  return parseHugepageCounts(result.stdout);
}

export function parseHugepageCounts(stdout: string): number[] {
  return stdout
    .split('\n')
    .map((line) => /hugepages-(\d+)kB\/nr_hugepages (\d+)/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && Number(match[2]) > 0)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
}

/** `virsh vcpuinfo --pretty`: the CPU affinity of each vCPU ("0-1 (out of 2)" → "0-1"). */
export function parseVcpuinfo(stdout: string): Record<string, string> {
  const affinity: Record<string, string> = {};
  let vcpu: string | undefined;
  for (const line of stdout.split('\n')) {
    const number = /^VCPU:\s*(\d+)/.exec(line);
    if (number) vcpu = number[1];
    const set = /^CPU Affinity:\s*(\S+)/.exec(line);
    if (set && vcpu !== undefined) affinity[vcpu] = set[1]!;
  }
  return affinity;
}

/** `virsh emulatorpin DOMAIN`: "       *: 0-1" → "0-1" (with `-q`, virsh prints the list alone). */
export function parseEmulatorpin(stdout: string): string {
  const row = /^\s*\*:\s*(\S+)/m.exec(stdout)?.[1];
  if (row) return row;
  return stdout.split('\n').map((line) => line.trim()).find((line) => /^[\d,^-]+$/.test(line)) ?? '';
}

/** `virsh nodecpumap`: "CPU map: yy-y" → the online CPUs' numbers. */
export function parseNodecpumap(stdout: string): number[] | undefined {
  const map = /CPU map:\s*([y-]+)/.exec(stdout)?.[1];
  if (!map) return undefined;
  return [...map].flatMap((flag, cpu) => (flag === 'y' ? [cpu] : []));
}

export async function readLivePinning(host: LibvirtHost, name: string): Promise<Pinning | undefined> {
  const [vcpuinfo, emulatorpin] = await Promise.all(host.session.runBatch([['vcpuinfo', '--domain', name, '--pretty'], ['emulatorpin', '--domain', name, '--live']]));
  if (!vcpuinfo?.ok || !emulatorpin?.ok) return undefined;
  return { vcpus: parseVcpuinfo(vcpuinfo.stdout), emulator: parseEmulatorpin(emulatorpin.stdout) };
}

export async function readOnlineCpus(host: LibvirtHost, hostCpus: number): Promise<number[]> {
  const result = await host.session.run(['nodecpumap']);
  return (result.ok ? parseNodecpumap(result.stdout) : undefined) ?? Array.from({ length: hostCpus }, (_, cpu) => cpu);
}

/** The host's bridges: interfaces with a `bridge` directory in sysfs (as the SSH user sees them). */
export async function readHostBridges(host: LibvirtHost): Promise<string[]> {
  const result = await runRemoteJob(host.runner, ['sh', '-c', 'for d in /sys/class/net/*/bridge; do [ -d "$d" ] && basename "$(dirname "$d")"; done; true']);
  if (result.code !== 0) return [];
  return result.stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '').sort();
}

/** The format of an image file on the host (`qemu-img info`), so libvirt never has to guess it. */
export async function readImageFormat(host: LibvirtHost, path: string): Promise<string> {
  const result = await runRemoteJob(host.runner, ['qemu-img', 'info', '--output=json', '-U', '--', path]);
  if (result.code !== 0) throw new ContractError('file-error', `Could not read the image format of ${path} on the host.`, result.stderr.trim());
  const format: unknown = (JSON.parse(result.stdout) as { format?: unknown }).format;
  if (typeof format !== 'string' || !/^[a-z0-9_-]+$/.test(format)) throw new ContractError('file-error', `qemu-img did not say the format of ${path}.`);
  return format;
}

/** The format of a pool volume (its `<target><format type=…>`); raw when the pool says none. */
export async function readVolumeFormat(host: LibvirtHost, pool: string, volume: string): Promise<string> {
  const xml = await readVolumeXml(host, pool, volume);
  return /<format\s+type=['"]([^'"]+)['"]/.exec(xml)?.[1] ?? 'raw';
}

/** What a new disk's apply needs to know from the host besides the change. */
export interface DiskAddContext {
  /** The image's format (volumes and files; CD-ROMs are raw). */
  format?: string;
}

/** Adds a disk or CD-ROM. A CD-ROM is read-only; a volume is named by pool and volume, as libvirt keeps it. */
export function addDisk(document: DomainDocument, target: string, bus: DiskBus, source: NewDiskSource, context: DiskAddContext): Element {
  if (document.findDevice({ kind: 'disk', target })) throw new ContractError('bad-arguments', `The VM already has a disk ${target}.`);
  const format = source.kind === 'cdrom' ? 'raw' : (context.format ?? 'raw');
  return document.addDevice({
    kind: 'disk',
    device: source.kind === 'cdrom' ? 'cdrom' : 'disk',
    ...(source.kind === 'volume' ? { source: { type: 'volume', pool: source.pool, volume: source.volume } } : source.path !== '' ? { source: { type: 'file', file: source.path } } : {}),
    target: { dev: target, bus },
    driver: { name: 'qemu', format },
    readonly: source.kind === 'cdrom',
  });
}

/**
 * Moves a disk to another bus. Its target follows the bus's naming (vda → sda), and its guest
 * address goes: the old one belongs to the old controller; libvirt assigns a new one.
 * Returns the target it has now.
 */
export function writeDiskBus(document: DomainDocument, target: string, bus: DiskBus): string {
  const disk = document.findDevice({ kind: 'disk', target });
  if (!disk) throw new DeviceNotFoundError(`the domain has no disk ${target}`);
  if (DISK.targetBus.get(disk) === bus) return target;
  DISK.targetBus.set(document.xml, disk, bus);
  for (const address of childElements(disk, 'address')) document.xml.remove(address);
  const prefixOk = bus === 'virtio' ? target.startsWith('vd') : bus === 'ide' ? target.startsWith('hd') : target.startsWith('sd');
  if (prefixOk) return target;
  const others = document.devices('disk').filter((other) => other !== disk).map((other) => DISK.targetDev.get(other) ?? '');
  const renamed = nextDiskTarget(bus, others);
  DISK.targetDev.set(document.xml, disk, renamed);
  return renamed;
}

export function addInterface(document: DomainDocument, mac: string, model: string, source: NicSource): Element {
  return document.addDevice({ kind: 'interface', source: source.type === 'network' ? { type: 'network', network: source.name } : { type: 'bridge', bridge: source.name }, mac, model });
}

export function setInterfaceSource(document: DomainDocument, mac: string, source: NicSource): void {
  document.setInterfaceSource(mac, source.type === 'network' ? { type: 'network', network: source.name } : { type: 'bridge', bridge: source.name });
}

/**
 * A device element as attach-device/detach-device take it. Attaching again takes it without
 * the alias libvirt gave it (only `ua-` aliases may be given).
 */
export function deviceXml(device: Element, options: { withoutAlias?: boolean } = {}): string {
  if (!options.withoutAlias) return serializeXml(device);
  const copy = device.cloneNode(true) as Element;
  for (const alias of childElements(copy, 'alias')) if (!(attributeValue(alias, 'name') ?? '').startsWith('ua-')) copy.removeChild(alias);
  return serializeXml(copy);
}

/** The device a change adds or removes, in a document (the new definition, or the live one). */
export function changedDevice(document: DomainDocument, change: VmSettingsChange): Element | undefined {
  switch (change.field) {
    case 'diskAdd':
    case 'diskRemove':
      return document.findDevice({ kind: 'disk', target: change.target });
    case 'nicAdd':
    case 'nicRemove':
      return document.findDevice({ kind: 'interface', mac: change.mac });
    default:
      return undefined;
  }
}

