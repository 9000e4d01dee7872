import type { HostDraft } from '../../../profiles/hostDraft.js';
import type { DraftFieldId } from '../../../profiles/draftValidation.js';

/** What every section of the host dialog gets: the draft, a way to change it, its errors. */
export interface SectionProps {
  draft: HostDraft;
  update(patch: Partial<HostDraft>): void;
  /** The translated error to show for a field now, if any. */
  error(field: DraftFieldId): string | undefined;
  /** The user left a field: from now on its errors show. */
  touch(field: DraftFieldId): void;
}

/** DOM id of a field's control (labels, focus on the first error). */
export function fieldDomId(field: DraftFieldId): string {
  return `host-field-${field}`;
}
