/**
 * Import hosts from ~/.ssh/config: main reads the file and proposes candidates (it changes
 * nothing), the user ticks the ones to add. Hosts already added are unticked and marked.
 * Another file can only be picked in main's own file dialog (desktop app); main refuses to read
 * a path the page merely names (main/services/profiles/importFiles.ts says why).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ImportCandidate } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { importApply, importChooseFile, importPreview, importSource } from '../../services/profileActions.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { Dialog } from '../dialogs/Dialog.js';
import './importDialog.css';

function target(candidate: ImportCandidate): string {
  const { user, address, port } = candidate.fields;
  return `${user}@${address}:${port}`;
}

function jumpChain(candidate: ImportCandidate): string {
  return candidate.fields.jumpHosts.map((hop) => `${hop.user}@${hop.address}${hop.port !== 22 ? `:${hop.port}` : ''}`).join(' → ');
}

export function ImportDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  /** The file read by default, and whether main can show a file dialog (the desktop app). */
  const [source, setSource] = useState<{ path: string; canChoose: boolean } | null>(null);
  /** The file picked in main's dialog; undefined: the SSH config VirtDeck was given. */
  const [path, setPath] = useState<string | undefined>(undefined);
  const [candidates, setCandidates] = useState<ImportCandidate[] | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [loading, setLoading] = useState(false);
  const [applying, setApplying] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [applyError, setApplyError] = useState<ErrorInfo | null>(null);

  const load = useCallback(async (file: string | undefined) => {
    setLoading(true);
    setError(null);
    try {
      const found = await importPreview(file);
      setCandidates(found);
      setChecked(new Set(found.filter((candidate) => !candidate.existingId).map((candidate) => candidate.alias)));
    } catch (failure) {
      setCandidates(null);
      setError(toErrorInfo(failure));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(undefined);
    importSource().then(setSource, () => setSource(null));
  }, [load]);

  const choose = async (): Promise<void> => {
    try {
      const picked = await importChooseFile();
      if (picked === null) return;
      setPath(picked);
      await load(picked);
    } catch (failure) {
      setError(toErrorInfo(failure));
    }
  };

  const selected = useMemo(() => (candidates ?? []).filter((candidate) => checked.has(candidate.alias)), [candidates, checked]);
  const allChecked = candidates !== null && candidates.length > 0 && selected.length === candidates.length;

  const toggle = (alias: string): void =>
    setChecked((current) => {
      const next = new Set(current);
      if (next.has(alias)) next.delete(alias);
      else next.add(alias);
      return next;
    });

  const apply = async (): Promise<void> => {
    if (selected.length === 0 || applying) return;
    setApplying(true);
    setApplyError(null);
    try {
      await importApply(selected.map((candidate) => candidate.fields));
      onClose();
    } catch (failure) {
      setApplyError(toErrorInfo(failure));
    } finally {
      setApplying(false);
    }
  };

  return (
    <Dialog
      title={t('import.title')}
      onClose={onClose}
      size="wide"
      testId="import-dialog"
      dismissOnBackdrop={false}
      footer={
        <>
          {candidates && candidates.length > 0 && (
            <span className="import-summary dialog-footer-start">{t('import.selected', { count: selected.length, total: candidates.length })}</span>
          )}
          <button type="button" className="button" data-testid="import-cancel" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-primary" data-testid="import-apply" disabled={selected.length === 0 || applying} onClick={() => void apply()}>
            {applying && <Spinner size="small" />}
            {t.count('import.apply', selected.length)}
          </button>
        </>
      }
    >
      <p className="import-intro">{t('import.intro')}</p>
      <div className="import-source">
        <span className="field-label">{t('import.file')}</span>
        <span className="input mono import-path" data-testid="import-path">
          {path ?? source?.path ?? '~/.ssh/config'}
        </span>
        <button type="button" className="button" data-testid="import-reread" disabled={loading} onClick={() => void load(path)}>
          {loading ? <Spinner size="small" /> : <Icon name="refresh" size={14} />}
          {t('import.read')}
        </button>
        {source?.canChoose && (
          <button type="button" className="button" data-testid="import-choose" disabled={loading} onClick={() => void choose()}>
            {t('import.choose')}
          </button>
        )}
      </div>
      {source && !source.canChoose && <p className="muted import-web-note">{t('import.webNote')}</p>}

      {applyError && <ErrorNotice title={t('import.applyFailed')} error={applyError} />}
      {error && <ErrorNotice title={t('import.readFailed')} error={error} />}

      {loading && candidates === null && (
        <p className="muted loading-line">
          <Spinner size="small" />
          {t('import.reading')}
        </p>
      )}

      {candidates && candidates.length === 0 && !loading && <p className="import-empty">{t('import.none')}</p>}

      {candidates && candidates.length > 0 && (
        <div className="import-table-wrap">
          <table className="data-table import-table">
            <thead>
              <tr>
                <th className="import-check">
                  <input
                    type="checkbox"
                    className="checkbox"
                    aria-label={t('import.selectAll')}
                    title={t('import.selectAll')}
                    checked={allChecked}
                    ref={(element) => {
                      if (element) element.indeterminate = selected.length > 0 && !allChecked;
                    }}
                    onChange={() => setChecked(allChecked ? new Set() : new Set(candidates.map((candidate) => candidate.alias)))}
                  />
                </th>
                <th>{t('import.column.alias')}</th>
                <th>{t('import.column.target')}</th>
                <th>{t('import.column.auth')}</th>
                <th>{t('import.column.jumps')}</th>
                <th>{t('import.column.notes')}</th>
              </tr>
            </thead>
            <tbody>
              {candidates.map((candidate) => {
                const isChecked = checked.has(candidate.alias);
                const checkId = `import-check-${candidate.alias}`;
                return (
                  <tr
                    key={candidate.alias}
                    data-testid="import-row"
                    data-alias={candidate.alias}
                    data-checked={isChecked ? 'true' : 'false'}
                    data-existing={candidate.existingId ? 'true' : 'false'}
                    className={candidate.existingId ? 'import-existing' : undefined}
                  >
                    <td className="import-check">
                      <input id={checkId} type="checkbox" className="checkbox" data-testid="import-row-check" checked={isChecked} onChange={() => toggle(candidate.alias)} />
                    </td>
                    <td>
                      <label htmlFor={checkId} className="import-alias">
                        {candidate.alias}
                      </label>
                      {candidate.existingId && <span className="import-badge">{t('import.alreadyAdded')}</span>}
                    </td>
                    <td className="mono">{target(candidate)}</td>
                    <td>
                      {t(`authMethod.${candidate.fields.auth}`)}
                      {candidate.fields.keyFile && <div className="mono import-sub">{candidate.fields.keyFile}</div>}
                    </td>
                    <td className="mono">{jumpChain(candidate) || <span className="muted">{t('common.notAvailable')}</span>}</td>
                    <td className="import-notes">
                      {candidate.notes.length === 0 ? (
                        <span className="muted">{t('common.notAvailable')}</span>
                      ) : (
                        <ul>
                          {candidate.notes.map((note) => (
                            <li key={note}>{t.dynamic(note)}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Dialog>
  );
}
