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
});
export type HostSummary = z.infer<typeof HostSummary>;

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
} as const;

export const events = {
  /** One host's summary changed (state, versions). */
  'host.changed': HostSummary,
  /** The set of hosts changed (added, removed). */
  'hosts.changed': z.array(HostSummary),
  /** A host's inventory was read again. */
  'inventory.changed': HostInventory,
  'task.changed': Task,
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
