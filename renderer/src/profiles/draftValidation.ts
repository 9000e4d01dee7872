/**
 * Validates a host draft with the contract's own schema (HostProfileFields), then turns
 * zod's issues into field ids and problems the dialog can say in the reader's language.
 * zod's English messages are never shown.
 */
import { HostProfileFields } from '../../../preload/contract.js';
import type { MessageKey } from '../i18n/translate.js';
import { draftToCandidate, type HostDraft } from './hostDraft.js';

/** Where a problem is: the form field ids (also the test ids' suffix). */
export type DraftFieldId =
  | 'label'
  | 'address'
  | 'port'
  | 'user'
  | 'auth'
  | 'keyfile'
  | 'uri'
  | 'folder'
  | 'tags'
  | 'jumps'
  | `jump-${number}-${'address' | 'port' | 'user' | 'keyfile'}`;

export type DraftProblem =
  | 'required'
  | 'tooLong'
  | 'portNumber'
  | 'portRange'
  | 'uriInvalid'
  | 'noSpaces'
  | 'keyFileRequired'
  | 'tagTooLong'
  | 'tooManyTags'
  | 'tooManyJumps'
  | 'invalid';

export interface DraftError {
  field: DraftFieldId;
  problem: DraftProblem;
  /** The limit for tooLong / tooManyTags / tooManyJumps. */
  limit?: number;
}

export type DraftValidation = { ok: true; fields: HostProfileFields } | { ok: false; errors: DraftError[] };

export const problemMessageKey: Readonly<Record<DraftProblem, MessageKey>> = {
  required: 'hostForm.error.required',
  tooLong: 'hostForm.error.tooLong',
  portNumber: 'hostForm.error.portNumber',
  portRange: 'hostForm.error.portRange',
  uriInvalid: 'hostForm.error.uriInvalid',
  noSpaces: 'hostForm.error.noSpaces',
  keyFileRequired: 'hostForm.error.keyFileRequired',
  tagTooLong: 'hostForm.error.tagTooLong',
  tooManyTags: 'hostForm.error.tooManyTags',
  tooManyJumps: 'hostForm.error.tooManyJumps',
  invalid: 'hostForm.error.invalid',
};

const topFields: Readonly<Record<string, DraftFieldId>> = {
  label: 'label',
  address: 'address',
  port: 'port',
  user: 'user',
  auth: 'auth',
  keyFile: 'keyfile',
  uri: 'uri',
  folder: 'folder',
  tags: 'tags',
  jumpHosts: 'jumps',
};

const jumpFields: Readonly<Record<string, 'address' | 'port' | 'user' | 'keyfile'>> = {
  address: 'address',
  port: 'port',
  user: 'user',
  keyFile: 'keyfile',
};

/** The subset of a zod issue this mapping reads (zod 4's issue shape). */
export interface SchemaIssue {
  code: string;
  path: readonly PropertyKey[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  format?: string;
}

function fieldOfPath(path: readonly PropertyKey[]): DraftFieldId | null {
  const [head, index, leaf] = path;
  if (head === 'jumpHosts' && typeof index === 'number' && typeof leaf === 'string') {
    const field = jumpFields[leaf];
    return field ? `jump-${index}-${field}` : 'jumps';
  }
  return typeof head === 'string' ? (topFields[head] ?? null) : null;
}

/** One zod issue → one field problem. */
export function issueToError(issue: SchemaIssue, draft: HostDraft): DraftError | null {
  const field = fieldOfPath(issue.path);
  if (!field) return null;
  const isPort = field === 'port' || /^jump-\d+-port$/.test(field);
  const isTagItem = issue.path[0] === 'tags' && issue.path.length > 1;
  const limit = issue.maximum === undefined ? undefined : Number(issue.maximum);
  if (isPort) {
    if (issue.code === 'too_small' || issue.code === 'too_big') return { field, problem: 'portRange' };
    const typed = field === 'port' ? draft.port : (draft.jumpHosts[Number(issue.path[1])]?.port ?? '');
    return { field, problem: typed.trim() === '' ? 'required' : 'portNumber' };
  }
  if (isTagItem) return { field: 'tags', problem: issue.code === 'too_big' ? 'tagTooLong' : 'invalid', ...(limit ? { limit } : {}) };
  if (field === 'tags' && issue.code === 'too_big') return { field, problem: 'tooManyTags', ...(limit ? { limit } : {}) };
  if (field === 'jumps' && issue.code === 'too_big') return { field, problem: 'tooManyJumps', ...(limit ? { limit } : {}) };
  if (issue.code === 'too_small') return { field, problem: 'required' };
  if (issue.code === 'too_big') return { field, problem: 'tooLong', ...(limit ? { limit } : {}) };
  if (issue.code === 'invalid_format' && field === 'uri') return { field, problem: 'uriInvalid' };
  if (issue.code === 'invalid_type') return { field, problem: 'required' };
  return { field, problem: 'invalid' };
}

/** What the schema cannot say: key files for key authentication, no spaces in addresses. */
function extraChecks(draft: HostDraft): DraftError[] {
  const errors: DraftError[] = [];
  if (draft.auth === 'key' && draft.keyFile.trim() === '') errors.push({ field: 'keyfile', problem: 'keyFileRequired' });
  if (/\s/.test(draft.address.trim())) errors.push({ field: 'address', problem: 'noSpaces' });
  if (/\s/.test(draft.user.trim())) errors.push({ field: 'user', problem: 'noSpaces' });
  draft.jumpHosts.forEach((hop, index) => {
    if (hop.auth === 'key' && hop.keyFile.trim() === '') errors.push({ field: `jump-${index}-keyfile`, problem: 'keyFileRequired' });
    if (/\s/.test(hop.address.trim())) errors.push({ field: `jump-${index}-address`, problem: 'noSpaces' });
  });
  return errors;
}

export function validateDraft(draft: HostDraft): DraftValidation {
  const parsed = HostProfileFields.safeParse(draftToCandidate(draft));
  const errors: DraftError[] = [];
  const seen = new Set<string>();
  const push = (error: DraftError | null): void => {
    // One message per field: the first problem is the one to fix first.
    if (!error || seen.has(error.field)) return;
    seen.add(error.field);
    errors.push(error);
  };
  // While the name still follows an empty address, the address's "required" says it all.
  if (!draft.labelEdited && draft.address.trim() === '') seen.add('label');
  if (!parsed.success) for (const issue of parsed.error.issues) push(issueToError(issue, draft));
  for (const error of extraChecks(draft)) push(error);
  if (errors.length > 0 || !parsed.success) {
    return { ok: false, errors: errors.length > 0 ? errors : [{ field: 'label', problem: 'invalid' }] };
  }
  return { ok: true, fields: parsed.data };
}

/** The error for one field, if any. */
export function errorFor(errors: readonly DraftError[], field: DraftFieldId): DraftError | undefined {
  return errors.find((error) => error.field === field);
}

/** Server-side "invalid-profile" errors name a field in their detail when they can. */
export function fieldOfServerDetail(detail: string | undefined): DraftFieldId | null {
  if (!detail) return null;
  const trimmed = detail.trim();
  return /^\w+$/.test(trimmed) ? (topFields[trimmed] ?? null) : null;
}
