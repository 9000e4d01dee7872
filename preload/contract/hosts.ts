/** Hosts as the tree shows them: kind, connection state, what they are made of. */
import { z } from 'zod';

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

export const HostRef = z.object({ hostId: z.string().min(1) });

export const hostCalls = {
  'hosts.list': { args: z.object({}).strict(), result: z.array(HostSummary) },
  'hosts.reconnect': { args: HostRef.strict(), result: z.null() },
  'hosts.details': { args: HostRef.strict(), result: HostDetails },
  /** The user's explicit "forget the old key" after a host key changed. */
  'hosts.forgetHostKey': { args: HostRef.strict(), result: z.null() },
} as const;

export const hostEvents = {
  /** One host's summary changed (state, versions). */
  'host.changed': HostSummary,
  /** The set of hosts changed (added, removed). */
  'hosts.changed': z.array(HostSummary),
} as const;
