/**
 * The settings form's draft: what the user typed, as text, and the typed changes it amounts
 * to against the definition that was read. Only fields that differ become changes; a field
 * that does not parse is a problem of the form itself, before any of the contract's checks.
 */
import {
  changeAppliesLive,
  CpuMode,
  DiskBus,
  type NewDiskSource,
  type NicSource,
  DiskCacheMode,
  DiskIoMode,
  NicModel,
  type BootDevice,
  type HostPathKind,
  isRestartOnlyField,
  settingsProblems,
  type VmSettings,
  type VmSettingsChange,
  type VmSettingsField,
  type VmSettingsProblem,
  type VmSettingsProblemCode,
  formatCpuset,
  parseCpuset,
} from '../../../../../preload/contract.js';

export interface SettingsDraft {
  name: string;
  title: string;
  description: string;
  vcpusMax: string;
  vcpusCurrent: string;
  memoryMaxMiB: string;
  memoryCurrentMiB: string;
  /** Empty when the definition fixes no topology (and the user gave none). */
  sockets: string;
  cores: string;
  threads: string;
  /** `<cpu mode>` as defined ('' for none) and the named model of custom mode. */
  cpuMode: string;
  cpuModel: string;
  /** Every boot device in the order shown; the checked ones, in that order, are the boot order. */
  bootOrder: { dev: BootDevice; on: boolean }[];
  bootMenu: boolean;
  /** Cache and I/O mode, bus, and whether to remove it (and delete its file), per disk target. */
  disks: Record<string, DiskDraft>;
  /** Model, MAC, link, source (`network:NAME`, `bridge:NAME`) and removal per interface, keyed by the MAC as read. */
  nics: Record<string, NicDraft>;
  /** Host CPUs per vCPU (by number) and of the emulator, as typed ('' for none). */
  pinning: { vcpus: Record<string, string>; emulator: string };
  /** Disks and interfaces to add, in the order the user added them. */
  diskAdds: { target: string; bus: DiskBus; source: NewDiskSource }[];
  nicAdds: { mac: string; model: NicModel; source: NicSource }[];
  hugepages: boolean;
  firmware: 'bios' | 'efi';
  /**
   * The VNC display: listen address, a new password ('' keeps the one it has), whether to remove
   * the password, and (for a guest without one) whether to add a display.
   */
  vnc: { listen: string; password: string; removePassword: boolean; add: boolean };
  addSerialConsole: boolean;
  /** The image path in each CD-ROM, by target ('' for empty). */
  media: Record<string, string>;
}

export interface DiskDraft {
  cache: string;
  io: string;
  bus: string;
  remove: boolean;
  deleteFile: boolean;
}

export interface NicDraft {
  model: string;
  mac: string;
  link: 'up' | 'down';
  source: string;
  remove: boolean;
}

/** A NIC's source as the form's select holds it. */
export function nicSourceKey(source: NicSource): string {
  return `${source.type}:${source.name}`;
}

export function nicSourceFromKey(key: string): NicSource | undefined {
  const match = /^(network|bridge):(.+)$/.exec(key);
  return match ? { type: match[1] as NicSource['type'], name: match[2]! } : undefined;
}

function nicTypeKey(type: string, source: string): string {
  return `${type}:${source}`;
}

const BOOT_DEVICES: readonly BootDevice[] = ['hd', 'cdrom', 'network', 'fd'];

function bootOrderFrom(devices: readonly string[]): { dev: BootDevice; on: boolean }[] {
  const on = devices.filter((dev): dev is BootDevice => (BOOT_DEVICES as readonly string[]).includes(dev));
  return [...on.map((dev) => ({ dev, on: true })), ...BOOT_DEVICES.filter((dev) => !on.includes(dev)).map((dev) => ({ dev, on: false }))];
}

/** Moves a boot device one place up (-1) or down (+1). */
export function moveBootDevice(order: readonly { dev: BootDevice; on: boolean }[], index: number, delta: -1 | 1): { dev: BootDevice; on: boolean }[] {
  const target = index + delta;
  if (target < 0 || target >= order.length) return [...order];
  const next = [...order];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

export type DraftProblemCode = VmSettingsProblemCode | 'not-a-number' | 'nic-model' | 'cdrom-path-checking' | 'disk-path-checking';

export interface DraftProblem {
  field: VmSettingsField;
  code: DraftProblemCode;
  params?: Record<string, string | number>;
}

function mib(kib: number): string {
  const value = kib / 1024;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function draftFrom(settings: VmSettings): SettingsDraft {
  const { fields } = settings;
  return {
    name: fields.name,
    title: fields.title,
    description: fields.description,
    vcpusMax: String(fields.vcpus.max),
    vcpusCurrent: String(fields.vcpus.current),
    memoryMaxMiB: mib(fields.memory.maxKiB),
    memoryCurrentMiB: mib(fields.memory.currentKiB),
    sockets: fields.cpuTopology ? String(fields.cpuTopology.sockets) : '',
    cores: fields.cpuTopology ? String(fields.cpuTopology.cores) : '',
    threads: fields.cpuTopology ? String(fields.cpuTopology.threads) : '',
    cpuMode: fields.cpu.mode,
    cpuModel: fields.cpu.model ?? '',
    bootOrder: bootOrderFrom(fields.boot.devices),
    bootMenu: fields.boot.menu,
    disks: Object.fromEntries(fields.disks.map((disk) => [disk.target, { cache: disk.cache, io: disk.io, bus: disk.bus, remove: false, deleteFile: false }])),
    nics: Object.fromEntries(fields.nics.map((nic) => [nic.mac, { model: nic.model, mac: nic.mac, link: nic.link, source: nicTypeKey(nic.type, nic.source), remove: false }])),
    pinning: { vcpus: { ...fields.pinning.vcpus }, emulator: fields.pinning.emulator },
    diskAdds: [],
    nicAdds: [],
    hugepages: fields.hugepages,
    firmware: fields.firmware,
    vnc: { listen: fields.vnc?.listen ?? '127.0.0.1', password: '', removePassword: false, add: false },
    addSerialConsole: false,
    media: Object.fromEntries(fields.disks.filter((disk) => disk.device === 'cdrom').map((disk) => [disk.target, disk.source])),
  };
}

function wholeNumber(text: string): number | undefined {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}

/** MiB as typed (decimals allowed) → KiB; undefined when it is not a number. */
function kibFromMiB(text: string): number | undefined {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  return Math.round(Number(text) * 1024);
}

export interface DraftResult {
  changes: VmSettingsChange[];
  problems: DraftProblem[];
}

/**
 * `hostPaths` says what each CD-ROM image path typed is on the host, as far as the form has
 * asked; a path not known yet holds Apply back until it is.
 */
export function draftChanges(draft: SettingsDraft, settings: VmSettings, hostPaths: Readonly<Record<string, HostPathKind>> = {}): DraftResult {
  const original = draftFrom(settings);
  const changes: VmSettingsChange[] = [];
  const problems: DraftProblem[] = [];
  if (draft.name !== original.name) changes.push({ field: 'name', value: draft.name });
  if (draft.title !== original.title) changes.push({ field: 'title', value: draft.title });
  if (draft.description !== original.description) changes.push({ field: 'description', value: draft.description });
  if (draft.vcpusMax !== original.vcpusMax || draft.vcpusCurrent !== original.vcpusCurrent) {
    const max = wholeNumber(draft.vcpusMax);
    const current = wholeNumber(draft.vcpusCurrent);
    if (max === undefined || current === undefined) problems.push({ field: 'vcpus', code: 'not-a-number' });
    else if (max !== settings.fields.vcpus.max || current !== settings.fields.vcpus.current) changes.push({ field: 'vcpus', max, current });
  }
  if (draft.memoryMaxMiB !== original.memoryMaxMiB || draft.memoryCurrentMiB !== original.memoryCurrentMiB) {
    const maxKiB = draft.memoryMaxMiB === original.memoryMaxMiB ? settings.fields.memory.maxKiB : kibFromMiB(draft.memoryMaxMiB);
    const currentKiB = draft.memoryCurrentMiB === original.memoryCurrentMiB ? settings.fields.memory.currentKiB : kibFromMiB(draft.memoryCurrentMiB);
    if (maxKiB === undefined || currentKiB === undefined) problems.push({ field: 'memory', code: 'not-a-number' });
    else if (maxKiB !== settings.fields.memory.maxKiB || currentKiB !== settings.fields.memory.currentKiB) changes.push({ field: 'memory', maxKiB, currentKiB });
  }
  if (draft.sockets !== original.sockets || draft.cores !== original.cores || draft.threads !== original.threads) {
    const sockets = wholeNumber(draft.sockets);
    const cores = wholeNumber(draft.cores);
    const threads = wholeNumber(draft.threads);
    if (sockets === undefined || cores === undefined || threads === undefined) problems.push({ field: 'cpuTopology', code: 'not-a-number' });
    else changes.push({ field: 'cpuTopology', sockets, cores, threads });
  }
  if (draft.cpuMode !== original.cpuMode || draft.cpuModel !== original.cpuModel) {
    const mode = CpuMode.safeParse(draft.cpuMode);
    if (mode.success) changes.push(mode.data === 'custom' ? { field: 'cpuMode', mode: mode.data, model: draft.cpuModel } : { field: 'cpuMode', mode: mode.data });
  }
  const bootDevices = draft.bootOrder.filter((entry) => entry.on).map((entry) => entry.dev);
  if (bootDevices.join() !== settings.fields.boot.devices.join() || draft.bootMenu !== settings.fields.boot.menu) {
    changes.push({ field: 'boot', devices: bootDevices, menu: draft.bootMenu });
  }
  const pinning = pinningChange(draft, settings);
  if (pinning) changes.push(pinning);
  for (const disk of settings.fields.disks) {
    const edited = draft.disks[disk.target];
    if (!edited) continue;
    if (edited.remove) {
      changes.push({ field: 'diskRemove', target: disk.target, deleteFile: edited.deleteFile });
      continue;
    }
    if (edited.cache !== disk.cache || edited.io !== disk.io) {
      const cache = DiskCacheMode.safeParse(edited.cache);
      const io = DiskIoMode.safeParse(edited.io);
      if (cache.success && io.success) changes.push({ field: 'disk', target: disk.target, cache: cache.data, io: io.data });
    }
    const bus = DiskBus.safeParse(edited.bus);
    if (edited.bus !== disk.bus && bus.success) changes.push({ field: 'diskBus', target: disk.target, bus: bus.data });
  }
  for (const added of draft.diskAdds) {
    changes.push({ field: 'diskAdd', ...added });
    const path = added.source.kind === 'volume' ? '' : added.source.path;
    if (path.startsWith('/') && !(path in hostPaths) && !settings.fields.disks.some((disk) => disk.source === path)) problems.push({ field: 'diskAdd', code: 'disk-path-checking', params: { target: added.target } });
  }
  for (const nic of settings.fields.nics) {
    const edited = draft.nics[nic.mac];
    if (!edited) continue;
    if (edited.remove) {
      changes.push({ field: 'nicRemove', mac: nic.mac });
      continue;
    }
    const source = nicSourceFromKey(edited.source);
    if (edited.source !== nicTypeKey(nic.type, nic.source) && source) changes.push({ field: 'nicSource', mac: nic.mac, source });
    if (edited.link !== nic.link) changes.push({ field: 'nicLink', mac: nic.mac, link: edited.link });
    const newMac = edited.mac.trim().toLowerCase();
    if (edited.model !== nic.model || newMac !== nic.mac) {
      const model = NicModel.safeParse(edited.model);
      if (model.success) changes.push({ field: 'nic', mac: nic.mac, model: model.data, newMac });
      else problems.push({ field: 'nic', code: 'nic-model', params: { mac: nic.mac } });
    }
  }
  for (const added of draft.nicAdds) changes.push({ field: 'nicAdd', ...added });
  if (draft.hugepages !== settings.fields.hugepages) changes.push({ field: 'hugepages', value: draft.hugepages });
  if (draft.firmware !== settings.fields.firmware) changes.push({ field: 'firmware', value: draft.firmware });
  const vnc = settings.fields.vnc;
  const listen = draft.vnc.listen.trim();
  if (vnc ? listen !== vnc.listen || draft.vnc.password !== '' || (draft.vnc.removePassword && vnc.hasPassword) : draft.vnc.add) {
    const password = vnc?.hasPassword && draft.vnc.removePassword ? '' : draft.vnc.password === '' ? undefined : draft.vnc.password;
    changes.push(password === undefined ? { field: 'vnc', listen } : { field: 'vnc', listen, password });
  }
  if (draft.addSerialConsole && !settings.fields.serialConsole) changes.push({ field: 'serialConsole' });
  for (const disk of settings.fields.disks) {
    if (disk.device !== 'cdrom') continue;
    const source = (draft.media[disk.target] ?? disk.source).trim();
    if (source === disk.source) continue;
    changes.push({ field: 'cdrom', target: disk.target, source });
    if (source.startsWith('/') && !(source in hostPaths)) problems.push({ field: 'cdrom', code: 'cdrom-path-checking', params: { target: disk.target } });
  }
  const checked: VmSettingsProblem[] = settingsProblems(changes, settings.limits, settings.running, settings.fields, hostPaths);
  return { changes, problems: [...problems, ...checked] };
}

/** The pinning as typed, when it differs from the definition's (compared as CPU sets). */
function pinningChange(draft: SettingsDraft, settings: VmSettings): VmSettingsChange | undefined {
  const before = settings.fields.pinning;
  const max = wholeNumber(draft.vcpusMax) ?? settings.fields.vcpus.max;
  const same = (x: string | undefined, y: string | undefined) => {
    const a = (x ?? '').trim();
    const b = (y ?? '').trim();
    if (a === '' || b === '') return a === b;
    const setA = parseCpuset(a);
    const setB = parseCpuset(b);
    return setA && setB ? formatCpuset(setA) === formatCpuset(setB) : a === b;
  };
  const vcpus = Object.fromEntries(Object.entries(draft.pinning.vcpus).filter(([vcpu, cpuset]) => cpuset.trim() !== '' && Number(vcpu) < max).map(([vcpu, cpuset]) => [vcpu, cpuset.trim()]));
  const keys = new Set([...Object.keys(vcpus), ...Object.keys(before.vcpus)]);
  const changed = !same(draft.pinning.emulator, before.emulator) || [...keys].some((vcpu) => !same(vcpus[vcpu], before.vcpus[vcpu]));
  return changed ? { field: 'pinning', vcpus, emulator: draft.pinning.emulator.trim() } : undefined;
}

/** A change's identity in lists (one per field, one per disk). */
export function changeKey(change: VmSettingsChange): string {
  if ('target' in change) return `${change.field}-${change.target}`;
  if ('mac' in change) return `${change.field}-${change.mac.replace(/:/g, '')}`;
  return change.field;
}

/** Whether a change reaches the running guest now, or only its next start. */
export function appliesNow(change: VmSettingsChange, settings: VmSettings): boolean {
  return changeAppliesLive(change, settings.live, settings.limits);
}

/** Whether changing `field` at all can reach the running guest (for the mark beside it). */
export function fieldCanApplyLive(field: VmSettingsField, settings: VmSettings): boolean {
  if (!settings.running) return true;
  if (isRestartOnlyField(field)) return false;
  switch (field) {
    case 'nicLink':
    case 'cdrom':
      return true;
    case 'title':
    case 'description':
      return true;
    case 'vcpus':
      return true;
    case 'memory':
      return settings.limits.balloon;
    case 'pinning':
    case 'nicAdd':
    case 'nicRemove':
      return true;
    // Per disk: the bus decides (virtio and SCSI hot-plug); the mark sits beside each disk.
    case 'diskAdd':
    case 'diskRemove':
      return true;
  }
}
