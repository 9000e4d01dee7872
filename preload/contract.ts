/**
 * The one contract between main and renderer.
 *
 * Every request/response call, every server-pushed event and every byte stream is declared
 * here, with a zod schema for what crosses the boundary. main implements it as a registry of
 * handlers (main/core/registry.ts) that knows no transport; the Electron IPC adapter and the
 * web-mode WebSocket adapter both serve that registry, and the renderer talks to it through
 * `ContractClient` whichever transport it picked.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Models (what the renderer sees; XML never crosses this line except in the XML editor)
// ---------------------------------------------------------------------------------------------

export const HostKind = z.enum(['local', 'demo', 'ssh']);
export type HostKind = z.infer<typeof HostKind>;

/** Connection state of one host, shown in the tree. */
export const HostStatus = z.enum([
  'connecting',
  'connected',
  'disconnected',
  /** A question (host key, password, 2FA code) is waiting for the user. */
  'awaiting-user',
  'unreachable',
  'auth-failed',
  /** The host presented a key other than the one on record: possibly an impostor. */
  'host-key-changed',
  'host-key-revoked',
  /** The user declined the host's key. */
  'host-key-rejected',
  'virsh-missing',
  'libvirt-not-running',
  'permission-denied',
  'error',
]);
export type HostStatus = z.infer<typeof HostStatus>;

export const HostSummary = z.object({
  id: z.string(),
  label: z.string(),
  kind: HostKind,
  uri: z.string(),
  status: HostStatus,
  /** Raw detail from the host (stderr of virsh, ssh error), shown under the remedy. */
  detail: z.string().optional(),
  hostname: z.string().optional(),
  libvirtVersion: z.string().optional(),
  hypervisorVersion: z.string().optional(),
  /** SSH hosts: where and as whom (for the tree's tooltip and the overview). */
  address: z.string().optional(),
  port: z.number().optional(),
  user: z.string().optional(),
  folder: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /** Set when status is host-key-changed or host-key-revoked: the key the host presented. */
  presentedKey: z.object({ keyType: z.string(), fingerprint: z.string() }).optional(),
  /** When the next automatic reconnect is due (ms since epoch), while disconnected. */
  nextRetryAt: z.number().optional(),
});
export type HostSummary = z.infer<typeof HostSummary>;

// ---------------------------------------------------------------------------------------------
// Host profiles (SSH hosts the user added)
// ---------------------------------------------------------------------------------------------

export const AuthMethod = z.enum(['agent', 'key', 'password', 'keyboard-interactive']);
export type AuthMethod = z.infer<typeof AuthMethod>;

export const PortNumber = z.number().int().min(1).max(65535);

/** One hop of a jump-host chain (ProxyJump): agent or key authentication. */
export const JumpHost = z.object({
  address: z.string().trim().min(1).max(255),
  port: PortNumber,
  user: z.string().trim().min(1).max(64),
  auth: z.enum(['agent', 'key']),
  keyFile: z.string().max(4096).optional(),
});
export type JumpHost = z.infer<typeof JumpHost>;

export const LIBVIRT_URI_PRESETS = ['qemu:///system', 'qemu:///session', 'xen:///system', 'lxc:///system'] as const;

/** What the user edits; main adds id and timestamps. */
export const HostProfileFields = z.object({
  label: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(255),
  port: PortNumber,
  user: z.string().trim().min(1).max(64),
  auth: AuthMethod,
  /** Private key file for auth 'key'. */
  keyFile: z.string().max(4096).optional(),
  jumpHosts: z.array(JumpHost).max(8),
  /** The libvirt URI on the host, e.g. qemu:///system or test:///path/on/host.xml. */
  uri: z.string().trim().min(1).max(1000).regex(/^[a-z0-9+.-]+:\/\//i),
  /** Run virsh through `sudo -n` (users outside the libvirt group). */
  sudo: z.boolean(),
  /** '' for the top level; '/' separates nested folders. */
  folder: z.string().trim().max(200),
  tags: z.array(z.string().trim().min(1).max(50)).max(20),
  /** Remember the password/passphrase (desktop only, with the OS keychain). */
  rememberSecret: z.boolean(),
});
export type HostProfileFields = z.infer<typeof HostProfileFields>;

export const HostProfile = HostProfileFields.extend({
  id: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type HostProfile = z.infer<typeof HostProfile>;

/** A host found in ~/.ssh/config, before the user picks what to import. */
export const ImportCandidate = z.object({
  alias: z.string(),
  fields: HostProfileFields,
  /** Catalog keys of things the user should know (e.g. an option VirtDeck ignores). */
  notes: z.array(z.string()),
  /** Id of an existing profile for the same user@address:port, if any. */
  existingId: z.string().optional(),
});
export type ImportCandidate = z.infer<typeof ImportCandidate>;

// ---------------------------------------------------------------------------------------------
// Questions main asks the user while connecting
// ---------------------------------------------------------------------------------------------

const PromptBase = z.object({ promptId: z.string(), hostId: z.string(), hostLabel: z.string() });

export const Prompt = z.discriminatedUnion('kind', [
  PromptBase.extend({
    kind: z.literal('host-key'),
    /** The host as it was dialled (a jump host's own key is asked about too). */
    host: z.string(),
    port: z.number(),
    keyType: z.string(),
    fingerprint: z.string(),
  }),
  PromptBase.extend({
    kind: z.literal('secret'),
    secret: z.enum(['password', 'passphrase']),
    /** user@host, or the key file for a passphrase. */
    target: z.string(),
    /** Whether "remember" is possible here (desktop with a real keychain). */
    canRemember: z.boolean(),
  }),
  PromptBase.extend({
    kind: z.literal('keyboard-interactive'),
    name: z.string(),
    instructions: z.string(),
    prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
  }),
]);
export type Prompt = z.infer<typeof Prompt>;

export const PromptAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host-key'), decision: z.enum(['once', 'always', 'reject']) }),
  z.object({ kind: z.literal('secret'), value: z.string().max(4096).nullable(), remember: z.boolean() }),
  z.object({ kind: z.literal('keyboard-interactive'), answers: z.array(z.string().max(4096)).max(20).nullable() }),
]);
export type PromptAnswer = z.infer<typeof PromptAnswer>;

// ---------------------------------------------------------------------------------------------
// Host details and statistics
// ---------------------------------------------------------------------------------------------

export const HostDetails = z.object({
  hostId: z.string(),
  cpuModel: z.string().optional(),
  cpuVendor: z.string().optional(),
  sockets: z.number().optional(),
  coresPerSocket: z.number().optional(),
  threadsPerCore: z.number().optional(),
  logicalCpus: z.number().optional(),
  memoryKiB: z.number().optional(),
  /** vmx (Intel VT-x) or svm (AMD-V) in the host CPU flags. */
  hardwareVirtualization: z.enum(['vmx', 'svm', 'none', 'unknown']),
  /** libvirt can run KVM guests on this host. */
  kvmUsable: z.boolean(),
  hypervisorType: z.string().optional(),
  libvirtVersion: z.string().optional(),
  hypervisorVersion: z.string().optional(),
  /** Catalog keys of what is missing to run guests (empty when nothing is). */
  missing: z.array(z.string()),
});
export type HostDetails = z.infer<typeof HostDetails>;

export const VmStats = z.object({
  hostId: z.string(),
  name: z.string(),
  /** Share of one host CPU... summed over vCPUs, 0..100 × vCPUs; null on the first sample. */
  cpuPercent: z.number().nullable(),
  memoryUsedKiB: z.number().nullable(),
  diskReadBps: z.number().nullable(),
  diskWriteBps: z.number().nullable(),
  netRxBps: z.number().nullable(),
  netTxBps: z.number().nullable(),
});
export type VmStats = z.infer<typeof VmStats>;

export const VmState = z.enum([
  'running',
  'paused',
  'shutoff',
  'other',
]);
export type VmState = z.infer<typeof VmState>;

export const VmSummary = z.object({
  hostId: z.string(),
  name: z.string(),
  uuid: z.string(),
  state: VmState,
  vcpus: z.number(),
  memoryKiB: z.number(),
  osType: z.string().optional(),
  arch: z.string().optional(),
  persistent: z.boolean(),
  autostart: z.boolean(),
  /** IPv4/IPv6 addresses when known (DHCP leases of libvirt networks). */
  addresses: z.array(z.string()).optional(),
});
export type VmSummary = z.infer<typeof VmSummary>;

export const NetworkSummary = z.object({
  hostId: z.string(),
  name: z.string(),
  uuid: z.string(),
  active: z.boolean(),
  autostart: z.boolean(),
  persistent: z.boolean(),
  bridge: z.string().optional(),
  forwardMode: z.string().optional(),
  ipv4: z.string().optional(),
});
export type NetworkSummary = z.infer<typeof NetworkSummary>;

export const PoolSummary = z.object({
  hostId: z.string(),
  name: z.string(),
  uuid: z.string(),
  active: z.boolean(),
  autostart: z.boolean(),
  type: z.string(),
  path: z.string().optional(),
  capacityBytes: z.number(),
  allocationBytes: z.number(),
  availableBytes: z.number(),
});
export type PoolSummary = z.infer<typeof PoolSummary>;

export const HostInventory = z.object({
  hostId: z.string(),
  vms: z.array(VmSummary),
  networks: z.array(NetworkSummary),
  pools: z.array(PoolSummary),
  /** ms since epoch when main last read it from the host. */
  fetchedAt: z.number(),
});
export type HostInventory = z.infer<typeof HostInventory>;

export const VmAction = z.enum(['start', 'shutdown', 'reboot', 'destroy', 'suspend', 'resume']);
export type VmAction = z.infer<typeof VmAction>;

export const TaskState = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export const Task = z.object({
  id: z.string(),
  hostId: z.string().optional(),
  /** Catalog key of the title, and its parameters: the renderer translates. */
  titleKey: z.string(),
  titleParams: z.record(z.string(), z.string()).optional(),
  state: TaskState,
  /** 0..1, or null when the amount of work is unknown. */
  progress: z.number().nullable(),
  cancellable: z.boolean(),
  error: z.string().optional(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
});
export type Task = z.infer<typeof Task>;

export const Language = z.enum(['en', 'zh-CN']);
export type Language = z.infer<typeof Language>;
export const ThemePreference = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof ThemePreference>;

export const Settings = z.object({
  /** null: follow the system language. */
  language: Language.nullable(),
  theme: ThemePreference,
  sidebarWidth: z.number().int().min(160).max(800),
});
export type Settings = z.infer<typeof Settings>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  platform: z.string(),
  arch: z.string(),
  versions: z.record(z.string(), z.string()),
  /** The system language as main sees it (BCP 47). */
  systemLocale: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Codes of typed errors; the renderer maps each to a catalog entry (`error.<code>`). */
export const ErrorCode = z.enum([
  'unknown-call',
  'bad-arguments',
  'unknown-host',
  'host-unavailable',
  /** The connection between the window and VirtDeck's own service is gone. */
  'transport-closed',
  'invalid-profile',
  'import-failed',
  'secret-storage-unavailable',
  'libvirt-error',
  'not-found',
  'cancelled',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ContractErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  detail: z.string().optional(),
});
export type ContractErrorShape = z.infer<typeof ContractErrorShape>;

export class ContractError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;
  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'ContractError';
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
  toShape(): ContractErrorShape {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
  static from(shape: ContractErrorShape): ContractError {
    return new ContractError(shape.code, shape.message, shape.detail);
  }
}

// ---------------------------------------------------------------------------------------------
// Calls, events, streams
// ---------------------------------------------------------------------------------------------

const HostRef = z.object({ hostId: z.string().min(1) });

export const calls = {
  'app.info': { args: z.object({}).strict(), result: AppInfo },
  'settings.get': { args: z.object({}).strict(), result: Settings },
  'settings.set': { args: Settings.partial().strict(), result: Settings },
  'hosts.list': { args: z.object({}).strict(), result: z.array(HostSummary) },
  'hosts.reconnect': { args: HostRef.strict(), result: z.null() },
  'inventory.get': { args: HostRef.strict(), result: HostInventory },
  'vm.action': {
    args: z.object({ hostId: z.string().min(1), name: z.string().min(1), action: VmAction }).strict(),
    result: z.null(),
  },
  'tasks.list': { args: z.object({}).strict(), result: z.array(Task) },
  'tasks.cancel': { args: z.object({ taskId: z.string().min(1) }).strict(), result: z.null() },
  'hosts.details': { args: HostRef.strict(), result: HostDetails },
  /** The user's explicit "forget the old key" after a host key changed. */
  'hosts.forgetHostKey': { args: HostRef.strict(), result: z.null() },
  'profiles.list': { args: z.object({}).strict(), result: z.array(HostProfile) },
  'profiles.create': { args: z.object({ fields: HostProfileFields }).strict(), result: HostProfile },
  'profiles.update': { args: z.object({ id: z.string().min(1), fields: HostProfileFields }).strict(), result: HostProfile },
  /** `label` is the copy's name in the user's language; main falls back to "NAME (copy)". */
  'profiles.duplicate': { args: z.object({ id: z.string().min(1), label: z.string().trim().min(1).max(200).optional() }).strict(), result: HostProfile },
  'profiles.remove': { args: z.object({ id: z.string().min(1) }).strict(), result: z.null() },
  /** Reads ~/.ssh/config (or the given file) and proposes hosts; changes nothing. */
  'profiles.importPreview': { args: z.object({ path: z.string().max(4096).optional() }).strict(), result: z.array(ImportCandidate) },
  'profiles.importApply': { args: z.object({ candidates: z.array(HostProfileFields).max(1000) }).strict(), result: z.array(HostProfile) },
  'prompts.list': { args: z.object({}).strict(), result: z.array(Prompt) },
  'prompts.answer': { args: z.object({ promptId: z.string().min(1), answer: PromptAnswer }).strict(), result: z.null() },
  /** Which hosts' statistics are on screen; only those are polled. */
  'stats.watch': { args: z.object({ hostIds: z.array(z.string()).max(1000) }).strict(), result: z.null() },
} as const;

export const events = {
  /** One host's summary changed (state, versions). */
  'host.changed': HostSummary,
  /** The set of hosts changed (added, removed). */
  'hosts.changed': z.array(HostSummary),
  /** A host's inventory was read again. */
  'inventory.changed': HostInventory,
  'task.changed': Task,
  'profiles.changed': z.array(HostProfile),
  'prompt.opened': Prompt,
  'prompt.closed': z.object({ promptId: z.string() }),
  /** Fresh statistics for the watched hosts' running VMs. */
  'stats.changed': z.object({ hostId: z.string(), stats: z.array(VmStats), sampledAt: z.number() }),
} as const;

/**
 * Byte streams: opened by the renderer with arguments, then raw bytes both ways until either
 * side closes. Consoles and uploads ride on these.
 */
export const streams = {
  /** An interactive `virsh` on the host, over the host's own connection. */
  'host.virshShell': { args: HostRef.strict() },
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
export type StreamName = keyof typeof streams;
export type CallArgs<N extends CallName> = z.input<(typeof calls)[N]['args']>;
export type CallResult<N extends CallName> = z.infer<(typeof calls)[N]['result']>;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;
export type StreamArgs<N extends StreamName> = z.input<(typeof streams)[N]['args']>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];
export const streamNames = Object.keys(streams) as StreamName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(streams, name);
}

/** A byte stream as the renderer holds it, whatever the transport. */
export interface ByteStream {
  write(data: Uint8Array): void;
  onData(listener: (data: Uint8Array) => void): () => void;
  onClose(listener: (error?: ContractErrorShape) => void): () => void;
  close(): void;
}

/** What the renderer programs against; both transports implement it. */
export interface ContractClient {
  readonly mode: 'electron' | 'web';
  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
  openStream<N extends StreamName>(name: N, args: StreamArgs<N>): Promise<ByteStream>;
}

// ---------------------------------------------------------------------------------------------
// Electron IPC channel names (the preload and main/electron agree on these)
// ---------------------------------------------------------------------------------------------

export const ipcChannels = {
  call: 'virtdeck:call',
  event: 'virtdeck:event',
  streamOpen: 'virtdeck:stream-open',
  streamPort: 'virtdeck:stream-port',
} as const;

/** The name under which the preload exposes its API in the renderer's main world. */
export const exposedApiName = 'virtdeck';
