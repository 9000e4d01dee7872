/**
 * Add or edit a host: one section component per part of the profile around a typed draft
 * (profiles/hostDraft.ts). Validation uses the contract's schema; messages are the catalog's.
 * Errors show for fields the user has left, and for all fields after a save attempt.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { ContractError } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { knownFolders } from '../../navigation/folderGrouping.js';
import {
  problemMessageKey,
  fieldOfServerDetail,
  validateDraft,
  type DraftError,
  type DraftFieldId,
} from '../../profiles/draftValidation.js';
import { draftFromProfile, emptyDraft, patchDraft, type HostDraft } from '../../profiles/hostDraft.js';
import { saveProfile } from '../../services/profileActions.js';
import { useConnectionStore } from '../../store/connectionStore.js';
import { useProfilesStore } from '../../store/profilesStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { Dialog } from '../dialogs/Dialog.js';
import { AuthSection } from './sections/AuthSection.js';
import { ConnectionSection } from './sections/ConnectionSection.js';
import { JumpHostsSection } from './sections/JumpHostsSection.js';
import { LibvirtSection } from './sections/LibvirtSection.js';
import { OrganizeSection } from './sections/OrganizeSection.js';
import { fieldDomId } from './sections/sectionProps.js';
import './hostDialog.css';

const FORM_ID = 'host-dialog-form';

export function HostDialog({ profileId, onClose }: { profileId: string | null; onClose(): void }) {
  const t = useT();
  const profile = useProfilesStore((state) => (profileId ? state.byId[profileId] : undefined));
  const profiles = useProfilesStore((state) => state.profiles);
  const desktop = useConnectionStore((state) => state.appInfo?.mode === 'electron');
  const folders = useMemo(() => knownFolders(profiles.map((item) => item.folder)), [profiles]);
  const editing = profileId !== null;

  const [draft, setDraft] = useState<HostDraft>(() => (profile ? draftFromProfile(profile) : emptyDraft()));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<ErrorInfo | null>(null);
  const [serverFieldError, setServerFieldError] = useState<DraftError | null>(null);

  const validation = useMemo(() => validateDraft(draft), [draft]);
  const errors: readonly DraftError[] = validation.ok ? [] : validation.errors;

  const message = (found: DraftError): string => t(problemMessageKey[found.problem], { max: found.limit ?? '' });
  const errorOf = (field: DraftFieldId): string | undefined => {
    const found = errors.find((candidate) => candidate.field === field);
    if (found && (submitted || touched.has(field))) return message(found);
    if (serverFieldError?.field === field) return message(serverFieldError);
    return undefined;
  };

  const update = (patch: Partial<HostDraft>): void => {
    setDraft((current) => patchDraft(current, patch));
    setServerFieldError(null);
  };
  const touch = (field: DraftFieldId): void =>
    setTouched((current) => (current.has(field) ? current : new Set(current).add(field)));

  const focusField = (field: DraftFieldId): void => {
    // The URI's error shows on the custom text box when "Custom…" is chosen.
    const element =
      document.getElementById(field === 'uri' && draft.uriChoice === 'custom' ? `${fieldDomId('uri')}-custom` : fieldDomId(field)) ??
      document.querySelector<HTMLElement>(`[data-field="${field}"]`);
    element?.focus();
  };

  const save = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    if (saving) return;
    setSubmitted(true);
    setServerError(null);
    if (!validation.ok) {
      const first = validation.errors[0];
      if (first) focusField(first.field);
      return;
    }
    setSaving(true);
    try {
      await saveProfile(profileId, validation.fields);
      onClose();
    } catch (error) {
      const info = toErrorInfo(error);
      const field = error instanceof ContractError && error.code === 'invalid-profile' ? fieldOfServerDetail(error.detail) : null;
      if (field) {
        setServerFieldError({ field, problem: field === 'keyfile' ? 'keyFileRequired' : 'invalid' });
        focusField(field);
      }
      setServerError(info);
    } finally {
      setSaving(false);
    }
  };

  const sectionProps = { draft, update, error: errorOf, touch };
  const title = editing ? t('hostForm.editTitle', { host: profile?.label ?? '' }) : t('hostForm.addTitle');
  const errorCount = submitted ? errors.length : 0;

  return (
    <Dialog
      title={title}
      onClose={onClose}
      size="large"
      testId="host-dialog"
      dismissOnBackdrop={false}
      data={{ 'data-mode': editing ? 'edit' : 'create' }}
      footer={
        <>
          {!editing && (
            <button
              type="button"
              className="button dialog-footer-start"
              data-testid="import-button"
              onClick={() => useUiStore.getState().openDialog('import-ssh-config')}
            >
              <Icon name="download" size={14} />
              {t('import.open')}
            </button>
          )}
          {errorCount > 0 && (
            <span className="host-dialog-summary" role="status">
              {t.count('hostForm.problems', errorCount)}
            </span>
          )}
          <button type="button" className="button" data-testid="host-dialog-cancel" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={FORM_ID} className="button button-primary" data-testid="host-dialog-save" disabled={saving}>
            {saving && <Spinner size="small" />}
            {editing ? t('hostForm.save') : t('hostForm.add')}
          </button>
        </>
      }
    >
      <form id={FORM_ID} className="host-form" noValidate onSubmit={(event) => void save(event)}>
        {serverError && (
          <div className="host-dialog-error" data-testid="host-dialog-error">
            <ErrorNotice title={editing ? t('hostForm.saveFailed') : t('hostForm.addFailed')} error={serverError} />
          </div>
        )}
        <ConnectionSection {...sectionProps} />
        <AuthSection {...sectionProps} desktop={desktop} />
        <JumpHostsSection {...sectionProps} />
        <LibvirtSection {...sectionProps} />
        <OrganizeSection {...sectionProps} folders={folders} />
      </form>
    </Dialog>
  );
}
