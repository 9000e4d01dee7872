/**
 * The new-VM wizard (issue 10): what a host offers a new VM, recognising an install source on
 * the host, the generated definitions for the summary page, and creating the VM as one task
 * whose failed steps are undone.
 *
 * The wizard's whole choice is one `WizardSpec`; main turns it into a `DomainPlan`
 * (main/install/domainPlan.ts), checks it (planProblems.ts) and creates it (createVm.ts).
 * Install-source failures cross as results (`SourceProblem`, reason + params translated by the
 * renderer as `install.sourceError.<reason>`), not as thrown errors, so the page that was
 * filled in can show them in the user's language.
 */
import { z } from 'zod';

const HostRef = { hostId: z.string().min(1) };
const AbsolutePath = z.string().min(1).max(4096).regex(/^\//, 'an absolute path on the host');

/** Why an install source cannot be used (InstallSourceError in main/install/sourceErrors.ts carries one). */
export const SourceProblemReason = z.enum([
  /** The URL is not http(s)/ftp, or has characters a URL cannot have. */
  'bad-url',
  /** The host could not fetch a file of the tree: params.url, params.reason (curl's or wget's words). */
  'unreachable',
  /** Nothing at the URL looks like an install tree: params.url, params.looked (the files tried, one per line). */
  'not-a-tree',
  /** Ubuntu after 20.04 (or a live ISO's tree): no network installer; params.url, params.release. */
  'live-only',
  /** The host has neither curl nor wget. */
  'no-fetch-tool',
  /** The host has no xorriso to read the ISO (params.tool), or none of xorrisofs/genisoimage/cloud-localds for a seed. */
  'no-iso-tool',
  /** The ISO at params.path on the host has no file params.file. */
  'iso-file-missing',
  /** The ISO at params.path does not exist or is not an ISO image. */
  'iso-unreadable',
  /** The TFTP folder params.path does not exist on the host. */
  'tftp-root-missing',
  /** Nothing in the TFTP folder boots the firmware params.firmware; params.looked lists what was looked for. */
  'no-boot-file',
  /** No free private IPv4 /24 for a new network. */
  'no-free-subnet',
  /** A seed's input is unusable: params.field. */
  'bad-seed',
]);
export type SourceProblemReason = z.infer<typeof SourceProblemReason>;

export const SourceProblem = z.object({ reason: SourceProblemReason, params: z.record(z.string(), z.string()) });
export type SourceProblem = z.infer<typeof SourceProblem>;

export const DomainTypeChoice = z.enum(['kvm', 'qemu', 'xen', 'lxc']);
export type DomainTypeChoice = z.infer<typeof DomainTypeChoice>;

export const OsChoice = z.object({
  id: z.string(),
  shortId: z.string(),
  name: z.string(),
  family: z.enum(['linux', 'windows', 'other']),
  defaults: z.object({
    memoryMiB: z.number(),
    diskGiB: z.number(),
    vcpus: z.number(),
    diskBus: z.enum(['virtio', 'sata']),
    nicModel: z.enum(['virtio', 'e1000e']),
    firmware: z.enum(['bios', 'uefi']),
  }),
  /** Where the entry comes from: the list the app ships, or only the host's osinfo database. */
  origin: z.enum(['app', 'host']),
});
export type OsChoice = z.infer<typeof OsChoice>;

/** What one host offers a new VM, read in one go when the wizard opens on it. */
export const InstallHostFacts = z.object({
  /** Guest types the host can run, best first (kvm before qemu), with arch and machine types. */
  domainTypes: z.array(z.object({ type: DomainTypeChoice, arch: z.string(), machines: z.array(z.string()) })),
  /** Whether /dev/kvm is usable (else only `qemu`, slow software emulation). */
  kvmUsable: z.boolean(),
  hostMemoryMiB: z.number(),
  freeMemoryMiB: z.number(),
  hostThreads: z.number(),
  uefiAvailable: z.boolean(),
  /** Active pools with their free space (for new volumes and ISO uploads). */
  pools: z.array(z.object({ name: z.string(), type: z.string(), path: z.string().optional(), freeBytes: z.number(), active: z.boolean() })),
  networks: z.array(
    z.object({
      name: z.string(),
      active: z.boolean(),
      forward: z.string(),
      dhcp: z.boolean(),
      /** Serves PXE: has a TFTP root and a bootp file, or forwards to a LAN that may. */
      pxe: z.boolean(),
    }),
  ),
  /** Host bridges a NIC can join, and physical devices macvtap can use. */
  bridges: z.array(z.string()),
  devices: z.array(z.string()),
  domainNames: z.array(z.string()),
  /** Tools on the host the sources use. */
  tools: z.object({ fetch: z.enum(['curl', 'wget']).nullable(), xorriso: z.boolean(), osinfo: z.boolean(), seedBuilder: z.string().nullable() }),
});
export type InstallHostFacts = z.infer<typeof InstallHostFacts>;

export const InstallTreeInfo = z.object({
  url: z.string(),
  layout: z.enum(['treeinfo', 'debian', 'suse']),
  family: z.string(),
  name: z.string().optional(),
  version: z.string().optional(),
  arch: z.string(),
  kernelUrl: z.string(),
  initrdUrl: z.string(),
  repoArg: z.string().optional(),
  osId: z.string().optional(),
});
export type InstallTreeInfo = z.infer<typeof InstallTreeInfo>;

export const IsoInfo = z.object({
  path: z.string(),
  sizeBytes: z.number(),
  /** libosinfo id from osinfo-detect on the host, when it knows the media. */
  osId: z.string().optional(),
  /** Whether the ISO holds an installer kernel the wizard can boot directly (xenpv, kernel args). */
  kernel: z.string().optional(),
  initrd: z.string().optional(),
});
export type IsoInfo = z.infer<typeof IsoInfo>;

const CloudInit = z.object({
  hostname: z.string().min(1).max(63),
  user: z.string().min(1).max(32),
  /** Hashed on main before it goes into the seed; never stored or logged. */
  password: z.string().max(256).optional(),
  sshKeys: z.array(z.string().max(16384)).max(32),
});

export const WizardSource = z.discriminatedUnion('kind', [
  /** An ISO already on the host (from a pool, an upload or a host download). */
  z.object({ kind: z.literal('iso'), path: AbsolutePath }),
  /** A network-install tree: kernel and initrd fetched by the host; `xenPv` on Xen hosts. */
  z.object({ kind: z.literal('url'), url: z.string().min(1).max(4096), kernelArgs: z.string().max(4096).optional(), xenPv: z.boolean().optional() }),
  /** PXE from a virtual network or a bridge (network first, then disk). */
  z.object({ kind: z.literal('pxe') }),
  /** An existing disk image on the host, optionally converted into a pool first. */
  z.object({ kind: z.literal('import'), path: AbsolutePath, convertTo: z.object({ pool: z.string().min(1), format: z.enum(['qcow2', 'raw']) }).optional() }),
  /** A qcow2 overlay on a cloud image in a pool, with a NoCloud seed for the first boot. */
  z.object({ kind: z.literal('cloud'), base: z.object({ pool: z.string().min(1), volume: z.string().min(1) }), cloudInit: CloudInit }),
  /** An LXC container. */
  z.object({
    kind: z.literal('lxc'),
    init: AbsolutePath,
    mounts: z.array(z.object({ source: AbsolutePath, target: AbsolutePath, readonly: z.boolean().optional() })).max(32),
  }),
]);
export type WizardSource = z.infer<typeof WizardSource>;

export const WizardStorage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('new'), pool: z.string().min(1), sizeGiB: z.number().positive().max(1 << 20), format: z.enum(['qcow2', 'raw']), sparse: z.boolean() }),
  z.object({ kind: z.literal('existing'), path: AbsolutePath }),
  z.object({ kind: z.literal('none') }),
]);
export type WizardStorage = z.infer<typeof WizardStorage>;

export const WizardNetwork = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('network'), name: z.string().min(1) }),
  z.object({ kind: z.literal('bridge'), name: z.string().min(1) }),
  z.object({ kind: z.literal('macvtap'), device: z.string().min(1), mode: z.enum(['bridge', 'vepa', 'private', 'passthrough']) }),
  z.object({ kind: z.literal('none') }),
]);
export type WizardNetwork = z.infer<typeof WizardNetwork>;

export const WizardSpec = z.object({
  name: z.string().max(200),
  domainType: DomainTypeChoice,
  arch: z.string().min(1),
  osId: z.string().optional(),
  memoryMiB: z.number().int(),
  vcpus: z.number().int(),
  cpuMode: z.enum(['host-passthrough', 'host-model', 'maximum']).optional(),
  firmware: z.enum(['bios', 'uefi']),
  source: WizardSource,
  storage: WizardStorage,
  diskBus: z.enum(['virtio', 'sata', 'scsi', 'ide', 'xen']),
  network: WizardNetwork,
  nicModel: z.string().optional(),
});
export type WizardSpec = z.infer<typeof WizardSpec>;

export const WizardPage = z.enum(['source', 'os', 'resources', 'storage', 'network', 'name']);
export type WizardPage = z.infer<typeof WizardPage>;

/** A refusal found before anything is created, on the page where it is fixed (key → `install.problem.<key>`). */
export const WizardProblem = z.object({ page: WizardPage, key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() });
export type WizardProblem = z.infer<typeof WizardProblem>;

export const WizardPreview = z.object({
  problems: z.array(WizardProblem),
  /** Advice, not refusals (more vCPUs than host threads, software emulation, PXE on a network that cannot serve it). */
  warnings: z.array(WizardProblem),
  /** The definitions that would be created (absent while there are problems that prevent building them). */
  installXml: z.string().optional(),
  finalXml: z.string().optional(),
});
export type WizardPreview = z.infer<typeof WizardPreview>;

/** The step of a create that failed (the task's log says why; everything before it was undone). */
export const CreateStep = z.enum(['check', 'boot-files', 'convert', 'volume', 'seed', 'define', 'start']);
export type CreateStep = z.infer<typeof CreateStep>;

export const PxeNetworkSpec = z.object({
  name: z.string().min(1).max(200),
  /** A folder on the host holding the boot files (pxelinux.0 / an EFI binary, kernel, initrd). */
  tftpRoot: AbsolutePath,
  firmware: z.enum(['bios', 'uefi']),
});
export type PxeNetworkSpec = z.infer<typeof PxeNetworkSpec>;

export const installCalls = {
  'install.hostFacts': { args: z.object(HostRef).strict(), result: InstallHostFacts },
  /** The app's OS list merged with the host's osinfo database where it has one. */
  'install.osList': { args: z.object(HostRef).strict(), result: z.array(OsChoice) },
  'install.detectTree': {
    args: z.object({ ...HostRef, url: z.string().max(4096), arch: z.string().min(1) }).strict(),
    result: z.union([z.object({ ok: z.literal(true), tree: InstallTreeInfo }), z.object({ ok: z.literal(false), problem: SourceProblem })]),
  },
  'install.inspectIso': {
    args: z.object({ ...HostRef, path: z.string().max(4096) }).strict(),
    result: z.union([z.object({ ok: z.literal(true), iso: IsoInfo }), z.object({ ok: z.literal(false), problem: SourceProblem })]),
  },
  /** The host downloads an ISO into a pool itself (curl/wget on the host), as a task with progress. */
  'install.downloadIso': {
    args: z.object({ ...HostRef, url: z.string().max(4096), pool: z.string().min(1), name: z.string().min(1).max(255) }).strict(),
    result: z.union([z.object({ ok: z.literal(true), path: z.string() }), z.object({ ok: z.literal(false), problem: SourceProblem })]),
  },
  'install.preview': { args: z.object({ ...HostRef, spec: WizardSpec }).strict(), result: WizardPreview },
  /** Creates the VM as one task; `start` starts it (and the install watcher) at once. */
  'install.create': {
    args: z.object({ ...HostRef, spec: WizardSpec, start: z.boolean() }).strict(),
    result: z.union([
      z.object({ ok: z.literal(true), name: z.string(), uuid: z.string(), started: z.boolean() }),
      z.object({ ok: z.literal(false), step: CreateStep, problems: z.array(WizardProblem), sourceProblem: SourceProblem.optional(), message: z.string() }),
    ]),
  },
  /** A NAT network that serves PXE from a TFTP folder on the host (the boot file matching the firmware). */
  'install.createPxeNetwork': {
    args: z.object({ ...HostRef, spec: PxeNetworkSpec }).strict(),
    result: z.union([z.object({ ok: z.literal(true), name: z.string(), bootFile: z.string() }), z.object({ ok: z.literal(false), problem: SourceProblem })]),
  },
} as const;
