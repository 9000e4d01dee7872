/**
 * What the host dialog edits: the profile's fields as the form holds them (the port as typed,
 * the URI as a preset or custom text, jump hops with ids for React keys). Converting to
 * HostProfileFields happens only through validateDraft (draftValidation.ts).
 */
import { LIBVIRT_URI_PRESETS, type AuthMethod, type HostProfile, type HostProfileFields, type JumpHost } from '../../../preload/contract.js';
import { normalizeFolder } from '../navigation/folderGrouping.js';

export const DEFAULT_SSH_PORT = 22;
export const CUSTOM_URI = 'custom';
export const DEFAULT_URI: string = LIBVIRT_URI_PRESETS[0];

export interface JumpHostDraft {
  /** Stable id for React keys and focus, never sent to main. */
  id: string;
  user: string;
  address: string;
  port: string;
  auth: 'agent' | 'key';
  keyFile: string;
}

export interface HostDraft {
  label: string;
  /** Whether the label was typed by the user; until then it follows the address. */
  labelEdited: boolean;
  address: string;
  port: string;
  user: string;
  auth: AuthMethod;
  keyFile: string;
  jumpHosts: JumpHostDraft[];
  /** One of LIBVIRT_URI_PRESETS, or CUSTOM_URI with the text in uriCustom. */
  uriChoice: string;
  uriCustom: string;
  sudo: boolean;
  folder: string;
  tags: string[];
  rememberSecret: boolean;
}

let nextJumpId = 1;
function jumpId(): string {
  return `hop-${nextJumpId++}`;
}

export function isUriPreset(uri: string): boolean {
  return (LIBVIRT_URI_PRESETS as readonly string[]).includes(uri);
}

export function emptyDraft(folder = ''): HostDraft {
  return {
    label: '',
    labelEdited: false,
    address: '',
    port: String(DEFAULT_SSH_PORT),
    user: '',
    auth: 'agent',
    keyFile: '',
    jumpHosts: [],
    uriChoice: DEFAULT_URI,
    uriCustom: '',
    sudo: false,
    folder,
    tags: [],
    rememberSecret: false,
  };
}

export function emptyJumpHost(): JumpHostDraft {
  return { id: jumpId(), user: '', address: '', port: String(DEFAULT_SSH_PORT), auth: 'agent', keyFile: '' };
}

function jumpFromFields(hop: JumpHost): JumpHostDraft {
  return { id: jumpId(), user: hop.user, address: hop.address, port: String(hop.port), auth: hop.auth, keyFile: hop.keyFile ?? '' };
}

export function draftFromFields(fields: HostProfileFields): HostDraft {
  const preset = isUriPreset(fields.uri);
  return {
    label: fields.label,
    labelEdited: true,
    address: fields.address,
    port: String(fields.port),
    user: fields.user,
    auth: fields.auth,
    keyFile: fields.keyFile ?? '',
    jumpHosts: fields.jumpHosts.map(jumpFromFields),
    uriChoice: preset ? fields.uri : CUSTOM_URI,
    uriCustom: preset ? '' : fields.uri,
    sudo: fields.sudo,
    folder: fields.folder,
    tags: [...fields.tags],
    rememberSecret: fields.rememberSecret,
  };
}

export function draftFromProfile(profile: HostProfile): HostDraft {
  return draftFromFields(profile);
}

/** Applies a change; the label follows the address until the user types one. */
export function patchDraft(draft: HostDraft, patch: Partial<HostDraft>): HostDraft {
  const next = { ...draft, ...patch };
  if (patch.label !== undefined) next.labelEdited = patch.label.trim() !== '';
  if (patch.address !== undefined && !next.labelEdited) next.label = patch.address.trim();
  return next;
}

/** "42" → 42; anything else (empty, "22a", "1e3") → NaN, which the schema rejects. */
export function parsePort(text: string): number {
  const trimmed = text.trim();
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

export function draftUri(draft: HostDraft): string {
  return draft.uriChoice === CUSTOM_URI ? draft.uriCustom.trim() : draft.uriChoice;
}

/** Adds a tag unless it is empty or already there (case-insensitively). */
export function addTag(tags: readonly string[], tag: string): string[] {
  const clean = tag.trim().replace(/\s+/g, ' ');
  if (clean === '' || tags.some((existing) => existing.toLowerCase() === clean.toLowerCase())) return [...tags];
  return [...tags, clean];
}

/** The draft in the contract's shape, before validation (values may still be invalid). */
export function draftToCandidate(draft: HostDraft): Record<string, unknown> {
  return {
    label: draft.label.trim(),
    address: draft.address.trim(),
    port: parsePort(draft.port),
    user: draft.user.trim(),
    auth: draft.auth,
    ...(draft.auth === 'key' ? { keyFile: draft.keyFile.trim() } : {}),
    jumpHosts: draft.jumpHosts.map((hop) => ({
      address: hop.address.trim(),
      port: parsePort(hop.port),
      user: hop.user.trim(),
      auth: hop.auth,
      ...(hop.auth === 'key' ? { keyFile: hop.keyFile.trim() } : {}),
    })),
    uri: draftUri(draft),
    sudo: draft.sudo,
    folder: normalizeFolder(draft.folder),
    tags: draft.tags,
    rememberSecret: draft.rememberSecret && (draft.auth === 'password' || draft.auth === 'key'),
  };
}
