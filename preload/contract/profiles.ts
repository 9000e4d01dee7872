/** SSH host profiles the user added, and importing them from ~/.ssh/config. */
import { z } from 'zod';

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

export const profileCalls = {
  'profiles.list': { args: z.object({}).strict(), result: z.array(HostProfile) },
  'profiles.create': { args: z.object({ fields: HostProfileFields }).strict(), result: HostProfile },
  'profiles.update': { args: z.object({ id: z.string().min(1), fields: HostProfileFields }).strict(), result: HostProfile },
  /** `label` is the copy's name in the user's language; main falls back to "NAME (copy)". */
  'profiles.duplicate': { args: z.object({ id: z.string().min(1), label: z.string().trim().min(1).max(200).optional() }).strict(), result: HostProfile },
  'profiles.remove': { args: z.object({ id: z.string().min(1) }).strict(), result: z.null() },
  /**
   * Reads ~/.ssh/config (or a file the user picked with importChooseFile) and proposes hosts;
   * changes nothing. Any other path is refused with `import-file-not-chosen`.
   */
  'profiles.importPreview': { args: z.object({ path: z.string().max(4096).optional() }).strict(), result: z.array(ImportCandidate) },
  /** The file importPreview reads by default, and whether main can show a file dialog (desktop). */
  'profiles.importSource': { args: z.object({}).strict(), result: z.object({ path: z.string(), canChoose: z.boolean() }) },
  /** Desktop only: main shows a file dialog; null when the user cancelled. */
  'profiles.importChooseFile': { args: z.object({}).strict(), result: z.object({ path: z.string() }).nullable() },
  'profiles.importApply': { args: z.object({ candidates: z.array(HostProfileFields).max(1000) }).strict(), result: z.array(HostProfile) },
} as const;

export const profileEvents = {
  'profiles.changed': z.array(HostProfile),
} as const;
