/**
 * A VM's settings: the typed settings form (`vm.settings.*`) and the raw XML editor
 * (`vm.xml.*`). Both start from the persistent definition (`dumpxml --inactive`) and carry its
 * revision, so a definition that changed on the host since it was read is never overwritten
 * without asking. The checks on the form's input live here, pure, so the form refuses bad input
 * before anything is sent and main refuses the same input again.
 */
import { z } from 'zod';
import { bridgeNameValid, DISK_BUSES, diskBusHotplugs, parseCpuset } from './vmDevices.js';

const target = { hostId: z.string().min(1), name: z.string().min(1) };

/** A fingerprint of the persistent definition as read (its text's SHA-256). */
export const DefinitionRevision = z.string().min(1);

export const VmSettingsFields = z.object({
  name: z.string(),
  uuid: z.string(),
  title: z.string(),
  description: z.string(),
  /** vCPUs in the definition: the maximum, and how many are online at boot. */
  vcpus: z.object({ max: z.number().int(), current: z.number().int() }),
  /** Memory in the definition, in KiB: the maximum (`<memory>`) and the balloon target. */
  memory: z.object({ maxKiB: z.number().int(), currentKiB: z.number().int() }),
  /** The CPU topology when the definition fixes one (its product must equal the maximum). */
  cpuTopology: z.object({ sockets: z.number().int(), cores: z.number().int(), threads: z.number().int() }).optional(),
  /** `<cpu mode=…>` ('' when the definition has no `<cpu>`: the hypervisor's default) and its named model. */
  cpu: z.object({ mode: z.string(), model: z.string().optional() }),
  /**
   * Boot: the devices of `<os><boot dev=…>` in order, the boot menu, and whether devices carry
   * their own `<boot order>` (libvirt refuses both kinds at once; then the order is per device).
   */
  boot: z.object({ devices: z.array(z.string()), menu: z.boolean(), perDevice: z.boolean() }),
  /** BIOS, or UEFI (`<os firmware='efi'>`, or a pflash `<loader>` the definition names itself). */
  firmware: z.enum(['bios', 'efi']),
  /** Disks and CD-ROMs, keyed by their target (vda, sda); '' for a driver setting left to libvirt. */
  disks: z.array(
    z.object({
      target: z.string(),
      device: z.string(),
      bus: z.string(),
      /** The file, block device or pool/volume it reads ('' for an empty CD-ROM). */
      source: z.string(),
      format: z.string(),
      cache: z.string(),
      io: z.string(),
      /** Other VMs of the host whose disks use the same file or device. */
      usedBy: z.array(z.string()),
    }),
  ),
  /** The libosinfo OS id recorded in the definition's metadata ('' when there is none). */
  osId: z.string(),
  /** `<cputune>`: host CPUs per vCPU (`vcpupin`, by vCPU number) and of the emulator threads ('' when not pinned). */
  pinning: z.object({ vcpus: z.record(z.string(), z.string()), emulator: z.string() }),
  /** Whether the guest's memory is backed by the host's hugepages (`<memoryBacking><hugepages/>`). */
  hugepages: z.boolean(),
  /** The VNC display: its listen address and whether it has a password (never the password). */
  vnc: z.object({ listen: z.string(), hasPassword: z.boolean() }).optional(),
  /** Whether the guest has a serial port or console (`virsh console`). */
  serialConsole: z.boolean(),
  /** Network interfaces, keyed by their MAC. */
  nics: z.array(
    z.object({
      mac: z.string(),
      type: z.string(),
      /** The network, bridge or host device it is plugged into. */
      source: z.string(),
      model: z.string(),
      link: z.enum(['up', 'down']),
    }),
  ),
});
export type VmSettingsFields = z.infer<typeof VmSettingsFields>;

/** What the running guest has now (absent when it does not run). */
export const VmLiveSettings = z.object({
  vcpus: z.number().int(),
  /** The most vCPUs it can have while it runs (its maximum at boot). */
  vcpusMax: z.number().int(),
  memoryKiB: z.number().int(),
  /** The most memory the balloon can give it while it runs. */
  memoryMaxKiB: z.number().int(),
  title: z.string(),
  description: z.string(),
  /** Link state of each interface (by MAC) of the running guest. */
  nicLinks: z.record(z.string(), z.enum(['up', 'down'])),
  /** The media in each CD-ROM of the running guest, by target ('' when empty or its tray is open). */
  media: z.record(z.string(), z.string()),
  /** Disk targets and interface MACs the running guest has (hot-plugged ones included). */
  disks: z.record(z.string(), z.object({ bus: z.string(), device: z.string() })),
  nicMacs: z.array(z.string()),
  /** Host CPUs each vCPU may run on now (`vcpuinfo`), and the emulator threads (`emulatorpin`). */
  pinning: z.object({ vcpus: z.record(z.string(), z.string()), emulator: z.string() }).optional(),
});
export type VmLiveSettings = z.infer<typeof VmLiveSettings>;

/** What the form validates against, read from the host. */
export const VmSettingsLimits = z.object({
  /** Logical CPUs (threads) of the host. */
  hostCpus: z.number().int(),
  hostMemoryKiB: z.number().int(),
  /** The most vCPUs this guest type may have (`domcapabilities`), or the host's CPUs when unknown. */
  maxVcpus: z.number().int(),
  /** Names of the host's other VMs (a new name must differ from all of them). */
  otherNames: z.array(z.string()),
  /** vCPUs of the host's other running guests, for the overcommit warning. */
  otherRunningVcpus: z.number().int(),
  /** Whether the guest has a memory balloon (live memory changes need one). */
  balloon: z.boolean(),
  /** MAC addresses (lower case) of the host's other VMs' interfaces. */
  otherMacs: z.array(z.string()),
  /** CPU modes the host supports for this guest (`domcapabilities`); empty when it cannot say. */
  cpuModes: z.array(z.string()),
  /** Named CPU models usable for this guest on this host. */
  cpuModels: z.array(z.string()),
  /** Whether the host has UEFI firmware for this guest (OVMF; `domcapabilities` `<os>`). */
  efi: z.boolean(),
  /** The host's CPU topology (`nodeinfo`) and the CPUs online now (`nodecpumap`). */
  hostTopology: z.object({ sockets: z.number().int(), coresPerSocket: z.number().int(), threadsPerCore: z.number().int(), onlineCpus: z.array(z.number().int()) }),
  /** The host's libvirt networks and its bridges (by interface name), for a NIC's source. */
  networks: z.array(z.object({ name: z.string(), active: z.boolean() })),
  bridges: z.array(z.string()),
  /** Volumes of the host's active pools, with the VMs whose disks use each. */
  volumes: z.array(z.object({ pool: z.string(), name: z.string(), path: z.string(), usedBy: z.array(z.string()) })),
  /** Hugepage sizes (KiB) the host has pages of (`/sys/kernel/mm/hugepages/*\/nr_hugepages` above 0). */
  hugepageSizesKiB: z.array(z.number().int()),
});
export type VmSettingsLimits = z.infer<typeof VmSettingsLimits>;

export const VmSettings = z.object({
  revision: DefinitionRevision,
  running: z.boolean(),
  fields: VmSettingsFields,
  live: VmLiveSettings.optional(),
  limits: VmSettingsLimits,
});
export type VmSettings = z.infer<typeof VmSettings>;

export const BootDevice = z.enum(['hd', 'cdrom', 'network', 'fd']);
export type BootDevice = z.infer<typeof BootDevice>;

/** libvirt's disk cache modes; '' leaves it to the hypervisor's default. */
export const DiskCacheMode = z.enum(['', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe']);
export type DiskCacheMode = z.infer<typeof DiskCacheMode>;
export const DiskIoMode = z.enum(['', 'native', 'threads', 'io_uring']);
export type DiskIoMode = z.infer<typeof DiskIoMode>;

/** The NIC models the form offers. */
export const NicModel = z.enum(['virtio', 'e1000e', 'e1000', 'rtl8139']);
export type NicModel = z.infer<typeof NicModel>;

export const DiskBus = z.enum(DISK_BUSES);
export type DiskBus = z.infer<typeof DiskBus>;

/** What a new disk reads: a volume of one of the host's pools, a file on the host, or a CD-ROM (empty, or an image file). */
export const NewDiskSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('volume'), pool: z.string().min(1), volume: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('file'), path: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('cdrom'), path: z.string() }).strict(),
]);
export type NewDiskSource = z.infer<typeof NewDiskSource>;

/** What an interface is plugged into: a libvirt network of the host, or a host bridge. */
export const NicSource = z.object({ type: z.enum(['network', 'bridge']), name: z.string().min(1) }).strict();
export type NicSource = z.infer<typeof NicSource>;

/** The CPU modes the form offers; `custom` names a model. */
export const CpuMode = z.enum(['host-passthrough', 'host-model', 'custom']);
export type CpuMode = z.infer<typeof CpuMode>;

export const VmSettingsChange = z.discriminatedUnion('field', [
  z.object({ field: z.literal('name'), value: z.string() }).strict(),
  z.object({ field: z.literal('title'), value: z.string() }).strict(),
  z.object({ field: z.literal('description'), value: z.string() }).strict(),
  z.object({ field: z.literal('vcpus'), max: z.number().int(), current: z.number().int() }).strict(),
  z.object({ field: z.literal('memory'), maxKiB: z.number().int(), currentKiB: z.number().int() }).strict(),
  z.object({ field: z.literal('cpuTopology'), sockets: z.number().int(), cores: z.number().int(), threads: z.number().int() }).strict(),
  z.object({ field: z.literal('cpuMode'), mode: CpuMode, model: z.string().optional() }).strict(),
  z.object({ field: z.literal('boot'), devices: z.array(BootDevice), menu: z.boolean() }).strict(),
  z.object({ field: z.literal('disk'), target: z.string().min(1), cache: DiskCacheMode, io: DiskIoMode }).strict(),
  /** An interface's model and MAC (the interface is named by its MAC as read). */
  z.object({ field: z.literal('nic'), mac: z.string().min(1), model: NicModel, newMac: z.string() }).strict(),
  /** An interface's link: reaches a running guest at once (`domif-setlink`). */
  z.object({ field: z.literal('nicLink'), mac: z.string().min(1), link: z.enum(['up', 'down']) }).strict(),
  /**
   * A CD-ROM's media: an image file on the host, or '' to eject. Reaches a running guest at once
   * (`change-media --live`); the definition is changed too.
   */
  z.object({ field: z.literal('cdrom'), target: z.string().min(1), source: z.string() }).strict(),
  /** BIOS or UEFI; UEFI is libvirt's auto-selection of the host's firmware (`<os firmware='efi'>`). */
  z.object({ field: z.literal('firmware'), value: z.enum(['bios', 'efi']) }).strict(),
  /**
   * The VNC display (added when the guest has none): its listen address, and its password —
   * absent keeps it, '' removes it, anything else sets it.
   */
  z.object({ field: z.literal('vnc'), listen: z.string(), password: z.string().optional() }).strict(),
  /** Adds a serial port on a pty and the console on it. */
  z.object({ field: z.literal('serialConsole') }).strict(),
  /**
   * Pinning, as it should be afterwards: host CPUs per vCPU (by number; '' or absent unpins) and
   * of the emulator threads. The definition's `<cputune>`, and the running guest's (`vcpupin`/`emulatorpin --live`).
   */
  z.object({ field: z.literal('pinning'), vcpus: z.record(z.string(), z.string()), emulator: z.string() }).strict(),
  /** A disk's bus (its target name follows: vda on virtio, sda on SATA/SCSI, hda on IDE). */
  z.object({ field: z.literal('diskBus'), target: z.string().min(1), bus: DiskBus }).strict(),
  /** Adds a disk or CD-ROM on `target` (a free name on `bus`). */
  z.object({ field: z.literal('diskAdd'), target: z.string().min(1), bus: DiskBus, source: NewDiskSource }).strict(),
  /** Detaches a disk; its file or volume is deleted only when asked and no other VM uses it. */
  z.object({ field: z.literal('diskRemove'), target: z.string().min(1), deleteFile: z.boolean() }).strict(),
  /** An interface's source (the interface is named by its MAC as read). */
  z.object({ field: z.literal('nicSource'), mac: z.string().min(1), source: NicSource }).strict(),
  z.object({ field: z.literal('nicAdd'), mac: z.string().min(1), model: NicModel, source: NicSource }).strict(),
  z.object({ field: z.literal('nicRemove'), mac: z.string().min(1) }).strict(),
  /** Backs the guest's memory with the host's hugepages (or not). */
  z.object({ field: z.literal('hugepages'), value: z.boolean() }).strict(),
  /** The accelerator: `kvm` (hardware virtualization) or `qemu` (software emulation, TCG). */
  z.object({ field: z.literal('domainType'), value: z.enum(['kvm', 'qemu']) }).strict(),
]);
export type VmSettingsChange = z.infer<typeof VmSettingsChange>;
export type VmSettingsField = VmSettingsChange['field'];

/** Fields libvirt takes only into the definition: a running guest sees them after its next start. */
export const RESTART_ONLY_FIELDS = ['name', 'cpuTopology', 'cpuMode', 'boot', 'disk', 'nic', 'firmware', 'vnc', 'serialConsole', 'diskBus', 'nicSource', 'hugepages', 'domainType'] as const satisfies readonly VmSettingsField[];
export type RestartOnlyField = (typeof RESTART_ONLY_FIELDS)[number];
const restartOnly: ReadonlySet<VmSettingsField> = new Set(RESTART_ONLY_FIELDS);

export function isRestartOnlyField(field: VmSettingsField): field is RestartOnlyField {
  return restartOnly.has(field);
}

/** A change of a restart-only field (narrows the change, so the other fields can be switched on). */
export function isRestartOnlyChange(change: VmSettingsChange): change is Extract<VmSettingsChange, { field: RestartOnlyField }> {
  return restartOnly.has(change.field);
}

/** What a path on the host is, for a CD-ROM's media: only a regular file (an image) can be inserted. */
export const HostPathKind = z.enum(['file', 'other', 'missing']);
export type HostPathKind = z.infer<typeof HostPathKind>;

export const VmSettingsApplyResult = z.discriminatedUnion('outcome', [
  /** Applied; `name` is the VM's name now (a rename changes it). */
  z.object({ outcome: z.literal('applied'), name: z.string() }),
  /** The definition changed on the host since it was read: nothing was changed. */
  z.object({ outcome: z.literal('changed-on-host') }),
]);
export type VmSettingsApplyResult = z.infer<typeof VmSettingsApplyResult>;

export const VmXmlDefinition = z.object({ xml: z.string(), revision: DefinitionRevision });
export type VmXmlDefinition = z.infer<typeof VmXmlDefinition>;

export const VmXmlDefineResult = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('defined'), xml: z.string(), revision: DefinitionRevision }),
  /** Someone changed the definition since it was read; nothing was defined. */
  z.object({ outcome: z.literal('changed-on-host'), xml: z.string(), revision: DefinitionRevision }),
  /** The text is not well-formed XML; nothing was sent to libvirt. */
  z.object({ outcome: z.literal('malformed'), message: z.string() }),
  /** The edit changed the VM's name or UUID, which would define another VM; refused. */
  z.object({ outcome: z.literal('identity-changed'), field: z.enum(['name', 'uuid']), was: z.string(), now: z.string() }),
]);
export type VmXmlDefineResult = z.infer<typeof VmXmlDefineResult>;

export const vmSettingsCalls = {
  'vm.settings.read': {
    args: z.object(target).strict(),
    result: VmSettings,
  },
  'vm.settings.apply': {
    args: z.object({ ...target, revision: DefinitionRevision, changes: z.array(VmSettingsChange).min(1) }).strict(),
    result: VmSettingsApplyResult,
  },
  /** What `path` is on the host (the form checks a CD-ROM image before it is inserted). */
  'vm.settings.hostPath': {
    args: z.object({ hostId: z.string().min(1), path: z.string().min(1) }).strict(),
    result: z.object({ kind: HostPathKind }),
  },
  'vm.xml.read': {
    args: z.object(target).strict(),
    result: VmXmlDefinition,
  },
  'vm.xml.define': {
    args: z.object({
      ...target,
      xml: z.string().min(1),
      /** The revision the edit started from. */
      revision: DefinitionRevision,
      /** Define even if the definition changed on the host since (the user said so). */
      overwrite: z.boolean().optional(),
    }).strict(),
    result: VmXmlDefineResult,
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Checks on the form's input, shared by the form and main
// ---------------------------------------------------------------------------------------------

/** Why a change is refused; the renderer shows `vmSettings.problem.<code>`. */
export type VmSettingsProblemCode =
  | 'name-empty'
  | 'name-spaces'
  | 'name-slash'
  | 'name-control'
  | 'name-too-long'
  | 'name-taken'
  | 'rename-running'
  | 'vcpus-min'
  | 'vcpus-current-above-max'
  | 'vcpus-above-limit'
  | 'vcpus-topology'
  | 'topology-min'
  | 'boot-empty'
  | 'boot-duplicate'
  | 'boot-per-device'
  | 'disk-missing'
  | 'io-native-cache'
  | 'nic-missing'
  | 'firmware-efi-unavailable'
  | 'vnc-listen-invalid'
  | 'vnc-password-too-long'
  | 'vnc-password-chars'
  | 'serial-present'
  | 'cdrom-missing'
  | 'cdrom-path-relative'
  | 'cdrom-path-missing'
  | 'cdrom-path-not-file'
  | 'mac-invalid'
  | 'mac-multicast'
  | 'mac-taken'
  | 'cpu-mode-unsupported'
  | 'cpu-model-unknown'
  | 'memory-min'
  | 'memory-current-above-max'
  | 'memory-above-host'
  | 'pin-syntax'
  | 'pin-cpu-missing'
  | 'pin-vcpu-missing'
  | 'disk-target-taken'
  | 'disk-path-relative'
  | 'disk-path-missing'
  | 'disk-path-not-file'
  | 'disk-volume-missing'
  | 'disk-in-use'
  | 'disk-delete-in-use'
  | 'disk-delete-unknown'
  | 'nic-network-missing'
  | 'nic-bridge-invalid'
  | 'hugepages-unavailable';

export interface VmSettingsProblem {
  field: VmSettingsField;
  code: VmSettingsProblemCode;
  /** Values for the message (the limit that was passed). */
  params?: Record<string, string | number>;
}

/** The smallest memory the form accepts (QEMU needs a few MiB to start a guest at all). */
export const MIN_MEMORY_KIB = 16 * 1024;
const MAX_NAME_LENGTH = 200;

export function nameProblem(name: string, otherNames: readonly string[]): VmSettingsProblemCode | undefined {
  if (name.trim() === '') return 'name-empty';
  if (name.trim() !== name) return 'name-spaces';
  if (name.includes('/')) return 'name-slash';
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'name-control';
  if ([...name].length > MAX_NAME_LENGTH) return 'name-too-long';
  if (otherNames.includes(name)) return 'name-taken';
  return undefined;
}

/** Every problem with `changes` for a VM that runs (or not) on a host with `limits`. */
export function settingsProblems(
  changes: readonly VmSettingsChange[],
  limits: VmSettingsLimits,
  running: boolean,
  fields?: Pick<VmSettingsFields, 'vcpus' | 'cpuTopology' | 'boot' | 'disks' | 'nics'> & Partial<Pick<VmSettingsFields, 'serialConsole'>>,
  /** What each CD-ROM image path of the changes is on the host, where known. */
  hostPaths?: Readonly<Record<string, HostPathKind>>,
): VmSettingsProblem[] {
  const problems: VmSettingsProblem[] = [];
  const vcpusChange = changes.find((change) => change.field === 'vcpus');
  const topologyChange = changes.find((change) => change.field === 'cpuTopology');
  const topology = topologyChange ?? fields?.cpuTopology;
  const max = vcpusChange?.max ?? fields?.vcpus.max;
  for (const change of changes) {
    switch (change.field) {
      case 'name': {
        const code = nameProblem(change.value, limits.otherNames) ?? (running ? 'rename-running' : undefined);
        if (code) problems.push({ field: 'name', code });
        break;
      }
      case 'vcpus':
        if (change.current < 1 || change.max < 1) problems.push({ field: 'vcpus', code: 'vcpus-min' });
        else if (change.current > change.max) problems.push({ field: 'vcpus', code: 'vcpus-current-above-max', params: { max: change.max } });
        else if (change.max > limits.maxVcpus) problems.push({ field: 'vcpus', code: 'vcpus-above-limit', params: { limit: limits.maxVcpus } });
        else if (!topologyChange && topology && topology.sockets * topology.cores * topology.threads !== change.max) {
          problems.push({ field: 'vcpus', code: 'vcpus-topology', params: topologyParams(topology) });
        }
        break;
      case 'memory':
        if (change.currentKiB < MIN_MEMORY_KIB || change.maxKiB < MIN_MEMORY_KIB) problems.push({ field: 'memory', code: 'memory-min', params: { minMiB: MIN_MEMORY_KIB / 1024 } });
        else if (change.currentKiB > change.maxKiB) problems.push({ field: 'memory', code: 'memory-current-above-max' });
        else if (change.maxKiB > limits.hostMemoryKiB) problems.push({ field: 'memory', code: 'memory-above-host', params: { hostMiB: Math.floor(limits.hostMemoryKiB / 1024) } });
        break;
      case 'cpuTopology':
        if (change.sockets < 1 || change.cores < 1 || change.threads < 1) problems.push({ field: 'cpuTopology', code: 'topology-min' });
        else if (max !== undefined && change.sockets * change.cores * change.threads !== max) {
          problems.push({ field: 'cpuTopology', code: 'vcpus-topology', params: topologyParams(change) });
        }
        break;
      case 'cpuMode':
        if (limits.cpuModes.length > 0 && !limits.cpuModes.includes(change.mode)) problems.push({ field: 'cpuMode', code: 'cpu-mode-unsupported', params: { mode: change.mode } });
        else if (change.mode === 'custom' && !limits.cpuModels.includes(change.model ?? '')) problems.push({ field: 'cpuMode', code: 'cpu-model-unknown', params: { model: change.model ?? '' } });
        break;
      case 'boot': {
        const devicesChanged = fields === undefined || change.devices.join() !== fields.boot.devices.join();
        if (devicesChanged && change.devices.length === 0) problems.push({ field: 'boot', code: 'boot-empty' });
        else if (new Set(change.devices).size !== change.devices.length) problems.push({ field: 'boot', code: 'boot-duplicate' });
        else if (devicesChanged && fields?.boot.perDevice) problems.push({ field: 'boot', code: 'boot-per-device' });
        break;
      }
      case 'disk':
        if (fields && !fields.disks.some((disk) => disk.target === change.target)) problems.push({ field: 'disk', code: 'disk-missing', params: { target: change.target } });
        // QEMU's native AIO bypasses the host's page cache: it needs a cache mode that does too.
        else if (change.io === 'native' && change.cache !== 'none' && change.cache !== 'directsync') problems.push({ field: 'disk', code: 'io-native-cache', params: { target: change.target } });
        break;
      case 'nic':
      case 'nicLink': {
        const mac = change.mac.toLowerCase();
        if (fields && !fields.nics.some((nic) => nic.mac.toLowerCase() === mac)) {
          problems.push({ field: change.field, code: 'nic-missing', params: { mac } });
          break;
        }
        if (change.field === 'nicLink') break;
        const newMac = change.newMac.toLowerCase();
        if (newMac === mac) break;
        const code = macProblem(newMac, [...limits.otherMacs, ...(fields?.nics ?? []).map((nic) => nic.mac.toLowerCase()).filter((other) => other !== mac)]);
        if (code) problems.push({ field: 'nic', code, params: { mac } });
        break;
      }
      case 'cdrom': {
        const params = { target: change.target };
        if (fields && !fields.disks.some((disk) => disk.target === change.target && disk.device === 'cdrom')) problems.push({ field: 'cdrom', code: 'cdrom-missing', params });
        else if (change.source === '') break;
        else if (!change.source.startsWith('/')) problems.push({ field: 'cdrom', code: 'cdrom-path-relative', params });
        else if (hostPaths?.[change.source] === 'missing') problems.push({ field: 'cdrom', code: 'cdrom-path-missing', params: { ...params, path: change.source } });
        else if (hostPaths?.[change.source] === 'other') problems.push({ field: 'cdrom', code: 'cdrom-path-not-file', params: { ...params, path: change.source } });
        break;
      }
      case 'firmware':
        if (change.value === 'efi' && !limits.efi) problems.push({ field: 'firmware', code: 'firmware-efi-unavailable' });
        break;
      case 'vnc': {
        const code = vncListenProblem(change.listen) ?? (change.password ? vncPasswordProblem(change.password) : undefined);
        if (code) problems.push({ field: 'vnc', code });
        break;
      }
      case 'serialConsole':
        if (fields?.serialConsole) problems.push({ field: 'serialConsole', code: 'serial-present' });
        break;
      case 'pinning':
        problems.push(...pinningProblems(change, max ?? 1, limits));
        break;
      case 'hugepages':
        if (change.value && limits.hugepageSizesKiB.length === 0) problems.push({ field: 'hugepages', code: 'hugepages-unavailable' });
        break;
      case 'diskBus':
        if (fields && !fields.disks.some((disk) => disk.target === change.target)) problems.push({ field: 'diskBus', code: 'disk-missing', params: { target: change.target } });
        break;
      case 'diskAdd': {
        const params = { target: change.target };
        const taken = [...(fields?.disks ?? []).map((disk) => disk.target), ...changes.filter((other) => other !== change && other.field === 'diskAdd').map((other) => (other.field === 'diskAdd' ? other.target : ''))];
        if (taken.includes(change.target)) {
          problems.push({ field: 'diskAdd', code: 'disk-target-taken', params });
          break;
        }
        const code = newDiskSourceProblem(change.source, limits, hostPaths);
        if (code) problems.push({ field: 'diskAdd', code: code.code, params: { ...params, ...code.params } });
        break;
      }
      case 'diskRemove': {
        const params = { target: change.target };
        const disk = fields?.disks.find((candidate) => candidate.target === change.target);
        if (fields && !disk) problems.push({ field: 'diskRemove', code: 'disk-missing', params });
        else if (change.deleteFile && disk && (disk.device !== 'disk' || disk.source === '')) problems.push({ field: 'diskRemove', code: 'disk-delete-unknown', params });
        else if (change.deleteFile && disk && disk.usedBy.length > 0) problems.push({ field: 'diskRemove', code: 'disk-delete-in-use', params: { ...params, vms: disk.usedBy.join(', ') } });
        break;
      }
      case 'nicSource':
      case 'nicAdd':
      case 'nicRemove': {
        const mac = change.mac.toLowerCase();
        if (change.field !== 'nicAdd' && fields && !fields.nics.some((nic) => nic.mac.toLowerCase() === mac)) {
          problems.push({ field: change.field, code: 'nic-missing', params: { mac } });
          break;
        }
        if (change.field === 'nicAdd') {
          const otherAdds = changes.filter((other) => other !== change && other.field === 'nicAdd').map((other) => (other.field === 'nicAdd' ? other.mac.toLowerCase() : ''));
          const code = macProblem(mac, [...limits.otherMacs, ...(fields?.nics ?? []).map((nic) => nic.mac.toLowerCase()), ...otherAdds]);
          if (code) {
            problems.push({ field: 'nicAdd', code, params: { mac } });
            break;
          }
        }
        if (change.field === 'nicRemove') break;
        const source = change.source;
        if (source.type === 'network' && !limits.networks.some((network) => network.name === source.name)) problems.push({ field: change.field, code: 'nic-network-missing', params: { mac, network: source.name } });
        else if (source.type === 'bridge' && (!bridgeNameValid(source.name) || !limits.bridges.includes(source.name))) problems.push({ field: change.field, code: 'nic-bridge-invalid', params: { mac, bridge: source.name } });
        break;
      }
      case 'title':
      case 'description':
        break;
    }
  }
  return problems;
}

/** The vCPU numbers and host CPUs of a pinning change; `target` says which input ('emulator' or the vCPU's number). */
function pinningProblems(change: Extract<VmSettingsChange, { field: 'pinning' }>, vcpusMax: number, limits: VmSettingsLimits): VmSettingsProblem[] {
  const problems: VmSettingsProblem[] = [];
  const online = limits.hostTopology.onlineCpus;
  const check = (target: string, cpuset: string) => {
    if (cpuset.trim() === '') return;
    const cpus = parseCpuset(cpuset);
    if (!cpus) {
      problems.push({ field: 'pinning', code: 'pin-syntax', params: { target } });
      return;
    }
    const missing = cpus.find((cpu) => !online.includes(cpu));
    if (missing !== undefined) problems.push({ field: 'pinning', code: 'pin-cpu-missing', params: { target, cpu: missing, online: cpusetText(online) } });
  };
  for (const [vcpu, cpuset] of Object.entries(change.vcpus)) {
    if (!/^\d+$/.test(vcpu) || Number(vcpu) >= vcpusMax) {
      if (cpuset.trim() !== '') problems.push({ field: 'pinning', code: 'pin-vcpu-missing', params: { target: vcpu, max: vcpusMax } });
      continue;
    }
    check(vcpu, cpuset);
  }
  check('emulator', change.emulator);
  return problems;
}

function cpusetText(cpus: readonly number[]): string {
  return cpus.length === 0 ? '–' : `${cpus[0]}–${cpus[cpus.length - 1]}`;
}

function newDiskSourceProblem(source: NewDiskSource, limits: VmSettingsLimits, hostPaths: Readonly<Record<string, HostPathKind>> | undefined): { code: VmSettingsProblemCode; params?: Record<string, string> } | undefined {
  if (source.kind === 'volume') {
    const volume = limits.volumes.find((candidate) => candidate.pool === source.pool && candidate.name === source.volume);
    if (!volume) return { code: 'disk-volume-missing', params: { volume: `${source.pool}/${source.volume}` } };
    if (volume.usedBy.length > 0) return { code: 'disk-in-use', params: { vms: volume.usedBy.join(', ') } };
    return undefined;
  }
  if (source.kind === 'cdrom' && source.path === '') return undefined;
  if (!source.path.startsWith('/')) return { code: 'disk-path-relative' };
  if (hostPaths?.[source.path] === 'missing') return { code: 'disk-path-missing', params: { path: source.path } };
  if (hostPaths?.[source.path] === 'other') return { code: 'disk-path-not-file', params: { path: source.path } };
  const users = limits.volumes.find((candidate) => candidate.path === source.path)?.usedBy ?? [];
  if (source.kind === 'file' && users.length > 0) return { code: 'disk-in-use', params: { vms: users.join(', ') } };
  return undefined;
}

/** A VNC listen address: an IPv4 or IPv6 address (0.0.0.0 or :: for every address of the host). */
export function vncListenProblem(listen: string): VmSettingsProblemCode | undefined {
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(listen);
  if (ipv4) return ipv4.slice(1).every((octet) => Number(octet) <= 255) ? undefined : 'vnc-listen-invalid';
  return isIpv6(listen) ? undefined : 'vnc-listen-invalid';
}

/** Eight groups of 1–4 hex digits, or fewer around one `::`. */
function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  if (!groups.flat().every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
  const count = groups.flat().length;
  return halves.length === 1 ? count === 8 : count <= 7;
}

/** QEMU's VNC authentication takes at most 8 characters (libvirt refuses more), printable ASCII. */
export function vncPasswordProblem(password: string): VmSettingsProblemCode | undefined {
  if (password.length > 8) return 'vnc-password-too-long';
  if (!/^[\x21-\x7e]+$/.test(password)) return 'vnc-password-chars';
  return undefined;
}

/** A MAC for a guest's interface: six hex pairs, unicast, not used elsewhere on the host. */
export function macProblem(mac: string, taken: readonly string[]): VmSettingsProblemCode | undefined {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac)) return 'mac-invalid';
  // The least significant bit of the first octet marks multicast (and broadcast).
  if (Number.parseInt(mac.slice(0, 2), 16) & 1) return 'mac-multicast';
  if (taken.includes(mac.toLowerCase())) return 'mac-taken';
  return undefined;
}

function topologyParams(topology: { sockets: number; cores: number; threads: number }): Record<string, number> {
  return { sockets: topology.sockets, cores: topology.cores, threads: topology.threads, product: topology.sockets * topology.cores * topology.threads };
}

/**
 * Which part of a change reaches the running guest at once; the rest applies after the
 * guest's next start. `live` is what the guest has now.
 */
export function changeAppliesLive(change: VmSettingsChange, live: VmLiveSettings | undefined, limits: Pick<VmSettingsLimits, 'balloon'>): boolean {
  if (!live) return true; // not running: the definition is all there is
  if (isRestartOnlyChange(change)) return false;
  switch (change.field) {
    case 'nicLink':
      return change.mac.toLowerCase() in live.nicLinks;
    case 'cdrom':
      return change.target in live.media;
    case 'title':
    case 'description':
      return !/[\r\n]/.test(change.value);
    case 'vcpus':
      // The maximum is fixed while the guest runs; the online count can change up to it.
      return change.max === live.vcpusMax;
    case 'memory':
      return change.maxKiB === live.memoryMaxKiB && limits.balloon;
    case 'pinning':
    case 'nicAdd':
      return true;
    case 'nicRemove':
      return live.nicMacs.includes(change.mac.toLowerCase());
    case 'diskAdd':
      return diskBusHotplugs(change.bus, change.source.kind === 'cdrom' ? 'cdrom' : 'disk');
    case 'diskRemove': {
      const disk = live.disks[change.target];
      return disk !== undefined && diskBusHotplugs(disk.bus, disk.device);
    }
  }
}
