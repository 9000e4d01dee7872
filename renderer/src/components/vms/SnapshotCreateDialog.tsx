/**
 * "Take snapshot": name, description and kind. Only the kinds the VM's disks allow can be
 * chosen; each unavailable one says why.
 */
import { useState } from 'react';
import { snapshotNameProblem, type SnapshotKind, type SnapshotOverview } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { FormField } from '../common/FormField.js';
import { Dialog } from '../dialogs/Dialog.js';
import './vmManage.css';

export interface SnapshotDraft {
  snapshot: string;
  description?: string;
  kind: SnapshotKind;
}

interface SnapshotCreateDialogProps {
  vmName: string;
  overview: SnapshotOverview;
  onClose(): void;
  onCreate(draft: SnapshotDraft): void;
}

/** A default name that is not taken: snapshot-1, snapshot-2, … */
function freeName(taken: readonly string[]): string {
  for (let index = 1; ; index += 1) {
    const name = `snapshot-${index}`;
    if (!taken.includes(name)) return name;
  }
}

export function SnapshotCreateDialog({ vmName, overview, onClose, onCreate }: SnapshotCreateDialogProps) {
  const t = useT();
  const taken = overview.snapshots.map((snapshot) => snapshot.name);
  const [name, setName] = useState(() => freeName(taken));
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<SnapshotKind | undefined>(() => overview.options.find((option) => option.available)?.kind);
  const [submitted, setSubmitted] = useState(false);
  const problem = snapshotNameProblem(name, taken);
  const shownProblem = submitted || name !== '' ? problem : undefined;

  const submit = () => {
    setSubmitted(true);
    if (problem || !kind) return;
    onCreate({ snapshot: name, kind, ...(description.trim() ? { description: description.trim() } : {}) });
  };

  return (
    <Dialog
      title={t('snapshots.createTitle', { name: vmName })}
      onClose={onClose}
      testId="snapshot-create-dialog"
      dismissOnBackdrop={false}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-primary" data-testid="snapshot-create-ok" disabled={!kind} onClick={submit}>
            {t('snapshots.createConfirm')}
          </button>
        </>
      }
    >
      <form
        className="dialog-stack"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <FormField id="snapshot-name" label={t('snapshots.field.name')} field="name" errorTestId="snapshot-name-error" error={shownProblem ? t(`snapshots.nameProblem.${shownProblem}`) : undefined} hint={t('snapshots.field.nameHint')}>
          <input className="input mono" data-testid="snapshot-name" data-autofocus value={name} maxLength={120} onChange={(event) => setName(event.target.value)} />
        </FormField>
        <FormField id="snapshot-description" label={t('snapshots.field.description')} field="description" errorTestId="snapshot-description-error">
          <textarea className="input input-multiline" data-testid="snapshot-description" value={description} maxLength={4000} onChange={(event) => setDescription(event.target.value)} />
        </FormField>
        <fieldset className="choice-list" data-testid="snapshot-kinds">
          <legend>{t('snapshots.field.kind')}</legend>
          {overview.options.map((option) => (
            <label key={option.kind} className={`choice${option.available ? '' : ' choice-disabled'}`} data-testid={`snapshot-kind-${option.kind}`} data-available={option.available ? 'true' : 'false'}>
              <input type="radio" name="snapshot-kind" value={option.kind} checked={kind === option.kind} disabled={!option.available} onChange={() => setKind(option.kind)} />
              <span className="choice-text">
                <span>{t(`snapshots.kindOption.${option.kind}`)}</span>
                <span className="choice-hint">
                  {option.available ? option.kind === 'internal' && overview.running ? t('snapshots.kindHint.internalRunning') : t(`snapshots.kindHint.${option.kind}`) : t(`snapshots.reason.${option.reason ?? 'no-disk'}`)}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {!kind && <p className="field-error" role="alert">{t('snapshots.noKind')}</p>}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
