/**
 * A domain's devices: their typed properties, how one is found again (a stable identity,
 * not a position), what a new one is made of, and the sources of disks and interfaces.
 * Each kind of device grows here as the editors that need it are written.
 */
import type { Element } from '@xmldom/xmldom';
import { attributeValue, childElements, firstChildElement } from './childElements.js';
import type { XmlDocument } from './xmlDocument.js';
import { intProperty, presenceProperty, stringProperty, yesNoProperty, type XmlProperty } from './xmlProperty.js';

export class DeviceNotFoundError extends Error {}

/** Properties of a `<disk>`, relative to the disk element. */
export const DISK = {
  type: stringProperty('./@type'),
  device: stringProperty('./@device'),
  driverName: stringProperty('./driver/@name'),
  format: stringProperty('./driver/@type'),
  cache: stringProperty('./driver/@cache'),
  discard: stringProperty('./driver/@discard'),
  io: stringProperty('./driver/@io'),
  sourceFile: stringProperty('./source/@file'),
  sourceDev: stringProperty('./source/@dev'),
  sourcePool: stringProperty('./source/@pool'),
  sourceVolume: stringProperty('./source/@volume'),
  targetDev: stringProperty('./target/@dev'),
  targetBus: stringProperty('./target/@bus'),
  readonly: presenceProperty('./readonly'),
  shareable: presenceProperty('./shareable'),
  serial: stringProperty('./serial'),
  bootOrder: intProperty('./boot/@order'),
} as const;

/** Properties of an `<interface>`. */
export const INTERFACE = {
  type: stringProperty('./@type'),
  mac: stringProperty('./mac/@address'),
  sourceNetwork: stringProperty('./source/@network'),
  sourcePortgroup: stringProperty('./source/@portgroup'),
  sourceBridge: stringProperty('./source/@bridge'),
  sourceDev: stringProperty('./source/@dev'),
  sourceMode: stringProperty('./source/@mode'),
  model: stringProperty('./model/@type'),
  linkState: stringProperty('./link/@state'),
  mtu: intProperty('./mtu/@size'),
  bootOrder: intProperty('./boot/@order'),
} as const;

/** Properties of a `<graphics>` (VNC, SPICE). */
export const GRAPHICS = {
  type: stringProperty('./@type'),
  port: intProperty('./@port'),
  autoport: yesNoProperty('./@autoport'),
  listen: stringProperty('./@listen'),
  passwd: stringProperty('./@passwd'),
  listenType: stringProperty('./listen/@type'),
  listenAddress: stringProperty('./listen/@address'),
} as const;

/** Properties of serial ports, consoles and channels (character devices). */
export const CHARACTER_DEVICE = {
  type: stringProperty('./@type'),
  sourcePath: stringProperty('./source/@path'),
  sourceMode: stringProperty('./source/@mode'),
  targetType: stringProperty('./target/@type'),
  targetPort: intProperty('./target/@port'),
  targetName: stringProperty('./target/@name'),
} as const;

export const CONTROLLER = {
  type: stringProperty('./@type'),
  index: intProperty('./@index'),
  model: stringProperty('./@model'),
} as const;

export const VIDEO = {
  model: stringProperty('./model/@type'),
  heads: intProperty('./model/@heads'),
  primary: yesNoProperty('./model/@primary'),
} as const;

export const INPUT = {
  type: stringProperty('./@type'),
  bus: stringProperty('./@bus'),
} as const;

export const RNG = {
  model: stringProperty('./@model'),
  backendModel: stringProperty('./backend/@model'),
  backend: stringProperty('./backend'),
} as const;

export const TPM = {
  model: stringProperty('./@model'),
  backendType: stringProperty('./backend/@type'),
  backendVersion: stringProperty('./backend/@version'),
} as const;

export const MEMBALLOON = { model: stringProperty('./@model') } as const;

/** Where a disk's data is; the kinds the app offers (network disks are kept, not created). */
export type DiskSource =
  | { type: 'file'; file: string }
  | { type: 'block'; dev: string }
  | { type: 'volume'; pool: string; volume: string };

/** What an interface is plugged into. */
export type InterfaceSource =
  | { type: 'network'; network: string; portgroup?: string }
  | { type: 'bridge'; bridge: string }
  | { type: 'direct'; dev: string; mode?: 'vepa' | 'bridge' | 'private' | 'passthrough' };

export interface DiskSpec {
  kind: 'disk';
  device?: 'disk' | 'cdrom' | 'floppy' | 'lun';
  /** Absent for an empty CD-ROM drive. */
  source?: DiskSource;
  target: { dev: string; bus: string };
  driver?: { name?: string; format?: string; cache?: string; discard?: string; io?: string };
  readonly?: boolean;
  bootOrder?: number;
}

export interface InterfaceSpec {
  kind: 'interface';
  source: InterfaceSource;
  /** libvirt picks one when absent. */
  mac?: string;
  model?: string;
  bootOrder?: number;
}

export interface GraphicsSpec {
  kind: 'graphics';
  type: 'vnc' | 'spice';
  /** Fixed port; a free one is chosen when absent. */
  port?: number;
  listen?: string;
}

export interface CharacterDeviceSpec {
  kind: 'serial' | 'console';
  type: 'pty';
  targetType?: string;
  port?: number;
}

export interface ChannelSpec {
  kind: 'channel';
  type: 'unix' | 'spicevmc' | 'qemu-vdagent';
  /** The guest-visible name, e.g. org.qemu.guest_agent.0. */
  name: string;
}

export interface ControllerSpec {
  kind: 'controller';
  type: string;
  index?: number;
  model?: string;
}

export interface VideoSpec {
  kind: 'video';
  model: string;
  heads?: number;
}

export interface InputSpec {
  kind: 'input';
  type: 'tablet' | 'mouse' | 'keyboard';
  bus: string;
}

export interface RngSpec {
  kind: 'rng';
  /** The host's entropy source; /dev/urandom when absent. */
  backend?: string;
}

export interface TpmSpec {
  kind: 'tpm';
  model: 'tpm-tis' | 'tpm-crb' | 'spapr-tpm-proxy';
  version?: '1.2' | '2.0';
}

export interface MemballoonSpec {
  kind: 'memballoon';
  model: 'virtio' | 'none';
}

export type DeviceSpec =
  | DiskSpec
  | InterfaceSpec
  | GraphicsSpec
  | CharacterDeviceSpec
  | ChannelSpec
  | ControllerSpec
  | VideoSpec
  | InputSpec
  | RngSpec
  | TpmSpec
  | MemballoonSpec;

/**
 * How a device is found again across reads and edits: by what libvirt itself keys it on
 * (a disk's target, an interface's MAC, a controller's type and index), or by a user alias
 * (`<alias name='ua-…'/>`). Devices without an identity are addressed as the `nth` of their
 * kind (from 0), which only holds until the list changes.
 */
export type DeviceKey =
  | { kind: 'disk'; target: string }
  | { kind: 'interface'; mac: string }
  | { kind: 'controller'; type: string; index: number }
  | { kind: 'graphics'; type: string }
  | { kind: 'serial' | 'parallel' | 'console'; port: number }
  | { kind: 'channel'; name: string }
  | { kind: 'filesystem'; target: string }
  | { kind: 'alias'; name: string }
  | { kind: 'video' | 'input' | 'sound' | 'hostdev' | 'redirdev' | 'tpm' | 'rng' | 'watchdog' | 'memballoon' | 'panic'; nth?: number };

function targetAttribute(device: Element, name: string): string | undefined {
  return attributeValue(firstChildElement(device, 'target'), name);
}

/** True when the device element is the one the key names (`nth` keys match their whole kind). */
function keyMatches(device: Element, key: DeviceKey): boolean {
  switch (key.kind) {
    case 'disk':
      return targetAttribute(device, 'dev') === key.target;
    case 'interface':
      return attributeValue(firstChildElement(device, 'mac'), 'address')?.toLowerCase() === key.mac.toLowerCase();
    case 'controller':
      return attributeValue(device, 'type') === key.type && Number(attributeValue(device, 'index') ?? '0') === key.index;
    case 'graphics':
      return attributeValue(device, 'type') === key.type;
    case 'serial':
    case 'parallel':
    case 'console':
      return Number(targetAttribute(device, 'port') ?? '0') === key.port;
    case 'channel':
      return targetAttribute(device, 'name') === key.name;
    case 'filesystem':
      return targetAttribute(device, 'dir') === key.target;
    default:
      return true;
  }
}

/** The device a key names, among the children of `<devices>`. */
export function findDevice(devices: Element | undefined, key: DeviceKey): Element | undefined {
  if (!devices) return undefined;
  if (key.kind === 'alias') {
    return childElements(devices).find((device) => attributeValue(firstChildElement(device, 'alias'), 'name') === key.name);
  }
  const candidates = childElements(devices, key.kind).filter((device) => keyMatches(device, key));
  return 'nth' in key ? candidates[key.nth ?? 0] : candidates[0];
}

export function describeKey(key: DeviceKey): string {
  const { kind, ...rest } = key;
  const detail = Object.entries(rest).map(([name, value]) => `${name} ${String(value)}`).join(', ');
  return detail ? `${kind} (${detail})` : kind;
}

/** One property a spec or a source sets; an undefined value is left out. */
interface Assignment {
  property: XmlProperty<unknown>;
  value: unknown;
}

const assign = <T>(property: XmlProperty<T>, value: T | undefined): Assignment => ({ property, value });

/** Sets the assignments on `device`, in order (which is also their attribute order). */
function fill(xml: XmlDocument, device: Element, assignments: Assignment[]): void {
  for (const { property, value } of assignments) {
    if (value !== undefined) property.set(xml, device, value);
  }
}

function diskSourceAssignments(source: DiskSource): Assignment[] {
  switch (source.type) {
    case 'file':
      return [assign(DISK.sourceFile, source.file)];
    case 'block':
      return [assign(DISK.sourceDev, source.dev)];
    case 'volume':
      return [assign(DISK.sourcePool, source.pool), assign(DISK.sourceVolume, source.volume)];
  }
}

function interfaceSourceAssignments(source: InterfaceSource): Assignment[] {
  switch (source.type) {
    case 'network':
      return [assign(INTERFACE.sourceNetwork, source.network), assign(INTERFACE.sourcePortgroup, source.portgroup)];
    case 'bridge':
      return [assign(INTERFACE.sourceBridge, source.bridge)];
    case 'direct':
      return [assign(INTERFACE.sourceDev, source.dev), assign(INTERFACE.sourceMode, source.mode)];
  }
}

/** What a typed spec writes, property by property, in libvirt's attribute order. */
function specAssignments(spec: DeviceSpec): Assignment[] {
  switch (spec.kind) {
    case 'disk':
      return [
        assign(DISK.type, spec.source?.type ?? 'file'),
        assign(DISK.device, spec.device ?? 'disk'),
        assign(DISK.driverName, spec.driver?.name ?? 'qemu'),
        assign(DISK.format, spec.driver?.format),
        assign(DISK.cache, spec.driver?.cache),
        assign(DISK.discard, spec.driver?.discard),
        assign(DISK.io, spec.driver?.io),
        ...(spec.source ? diskSourceAssignments(spec.source) : []),
        assign(DISK.targetDev, spec.target.dev),
        assign(DISK.targetBus, spec.target.bus),
        assign(DISK.readonly, spec.readonly || undefined),
        assign(DISK.bootOrder, spec.bootOrder),
      ];
    case 'interface':
      return [
        assign(INTERFACE.type, spec.source.type),
        assign(INTERFACE.mac, spec.mac?.toLowerCase()),
        ...interfaceSourceAssignments(spec.source),
        assign(INTERFACE.model, spec.model),
        assign(INTERFACE.bootOrder, spec.bootOrder),
      ];
    case 'graphics':
      return [
        assign(GRAPHICS.type, spec.type),
        assign(GRAPHICS.port, spec.port ?? -1),
        assign(GRAPHICS.autoport, spec.port === undefined),
        assign(GRAPHICS.listen, spec.listen),
        assign(GRAPHICS.listenType, spec.listen === undefined ? undefined : 'address'),
        assign(GRAPHICS.listenAddress, spec.listen),
      ];
    case 'serial':
    case 'console':
      return [
        assign(CHARACTER_DEVICE.type, spec.type),
        assign(CHARACTER_DEVICE.targetType, spec.targetType),
        assign(CHARACTER_DEVICE.targetPort, spec.port ?? 0),
      ];
    case 'channel':
      return [
        assign(CHARACTER_DEVICE.type, spec.type),
        assign(CHARACTER_DEVICE.targetType, 'virtio'),
        assign(CHARACTER_DEVICE.targetName, spec.name),
      ];
    case 'controller':
      return [assign(CONTROLLER.type, spec.type), assign(CONTROLLER.index, spec.index ?? 0), assign(CONTROLLER.model, spec.model)];
    case 'video':
      return [assign(VIDEO.model, spec.model), assign(VIDEO.heads, spec.heads)];
    case 'input':
      return [assign(INPUT.type, spec.type), assign(INPUT.bus, spec.bus)];
    case 'rng':
      return [assign(RNG.model, 'virtio'), assign(RNG.backendModel, 'random'), assign(RNG.backend, spec.backend ?? '/dev/urandom')];
    case 'tpm':
      return [assign(TPM.model, spec.model), assign(TPM.backendType, 'emulator'), assign(TPM.backendVersion, spec.version ?? '2.0')];
    case 'memballoon':
      return [assign(MEMBALLOON.model, spec.model)];
  }
}

/** Writes a typed spec into an (empty, already placed) device element. */
export function writeDeviceSpec(xml: XmlDocument, device: Element, spec: DeviceSpec): void {
  fill(xml, device, specAssignments(spec));
}

// What a <source> keeps when a disk changes type (file → block): the rest describes the old one.
const DISK_SOURCE_KEPT_ATTRIBUTES = new Set(['startupPolicy', 'index']);
const DISK_SOURCE_KEPT_CHILDREN = new Set(['seclabel', 'encryption']);

function stripSource(xml: XmlDocument, source: Element | undefined, keptAttributes: Set<string>, keptChildren: Set<string>): void {
  if (!source) return;
  for (const attribute of Array.from({ length: source.attributes.length }, (_, i) => source.attributes.item(i)?.name ?? '')) {
    if (!keptAttributes.has(attribute)) source.removeAttribute(attribute);
  }
  for (const child of childElements(source)) {
    if (!keptChildren.has(child.localName ?? '')) xml.remove(child);
  }
}

/** Points a disk at new data; undefined empties it (ejects a CD-ROM). */
export function writeDiskSource(xml: XmlDocument, disk: Element, source: DiskSource | undefined): void {
  const element = firstChildElement(disk, 'source');
  if (source === undefined) {
    if (element) xml.remove(element);
    return;
  }
  const previousType = DISK.type.get(disk);
  if (previousType !== source.type) {
    DISK.type.set(xml, disk, source.type);
    stripSource(xml, element, DISK_SOURCE_KEPT_ATTRIBUTES, DISK_SOURCE_KEPT_CHILDREN);
    // A network disk's credentials may sit next to its <source>; they went with that source.
    const auth = previousType === 'network' ? firstChildElement(disk, 'auth') : undefined;
    if (auth) xml.remove(auth);
  }
  fill(xml, disk, diskSourceAssignments(source));
}

/** Plugs an interface into another network, bridge or host device. */
export function writeInterfaceSource(xml: XmlDocument, iface: Element, source: InterfaceSource): void {
  const element = firstChildElement(iface, 'source');
  if (INTERFACE.type.get(iface) !== source.type) {
    INTERFACE.type.set(xml, iface, source.type);
    stripSource(xml, element, new Set(), new Set());
  }
  const assignments = interfaceSourceAssignments(source);
  // Optional parts the new source leaves out (the old network's portgroup) go with the old one.
  for (const { property, value } of assignments) if (value === undefined && element) property.clear(xml, iface);
  fill(xml, iface, assignments);
}
