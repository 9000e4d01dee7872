/**
 * "Clone VM": a full copy on the same host. The new name is checked as it is typed (empty,
 * taken on that host, characters libvirt or a file name would not take); the plan shows which
 * disks are copied into which new volumes and which media are shared. The copy runs as a task.
 */
import { useEffect, useMemo, useState } from 'react';
import { vmNameProblem, type ClonePlan, type VmSummary } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { formatBytes } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { refreshInventory } from '../../services/inventoryRefresh.js';
import { requireClient } from '../../store/connectionStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { useToastStore } from '../../store/toastStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { FormField } from '../common/FormField.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { Dialog } from '../dialogs/Dialog.js';
import './vmManage.css';

const EMPTY: readonly string[] = [];

function suggestedName(name: string, taken: readonly string[]): string {
  for (let index = 1; ; index += 1) {
    const candidate = index === 1 ? `${name}-clone` : `${name}-clone${index}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

export function CloneDialog({ hostId, vm, onClose }: { hostId: string; vm: VmSummary; onClose(): void }) {
  const t = useT();
  const vms = useInventoryStore((state) => state.byHost[hostId]?.vms);
  const taken = useMemo(() => vms?.map((candidate) => candidate.name) ?? EMPTY, [vms]);
  const [name, setName] = useState(() => suggestedName(vm.name, taken));
  const [plan, setPlan] = useState<{ name: string; plan: ClonePlan } | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const problem = vmNameProblem(name, taken);

  useEffect(() => {
    if (problem) return undefined;
    let live = true;
    // Asked again as the name settles: the new volumes' names (and whether they are free) follow it.
    const timer = setTimeout(() => {
      requireClient()
        .call('vm.clonePlan', { hostId, name: vm.name, newName: name })
        .then(
          (result) => {
            if (!live) return;
            setPlan({ name, plan: result });
            setError(undefined);
          },
          (failure: unknown) => live && setError(toErrorInfo(failure)),
        );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [hostId, vm.name, name, problem]);

  const current = plan?.name === name ? plan.plan : undefined;
  const blocked = !current || current.blockers.length > 0;

  const start = () => {
    if (problem || blocked) return;
    onClose();
    void requireClient()
      .call('vm.clone', { hostId, name: vm.name, newName: name })
      .catch((failure: unknown) => {
        if ((failure as { code?: string }).code !== 'cancelled') useToastStore.getState().showError('clone.failed', toErrorInfo(failure), { name: vm.name, newName: name });
      })
      .finally(() => void refreshInventory(hostId));
  };

  return (
    <Dialog
      title={t('clone.title', { name: vm.name })}
      onClose={onClose}
      testId="clone-dialog"
      dismissOnBackdrop={false}
      size="large"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-primary" data-testid="clone-ok" disabled={problem !== undefined || blocked} onClick={start}>
            <Icon name="copy" size={14} />
            {t('clone.confirm')}
          </button>
        </>
      }
    >
      <form
        className="dialog-stack"
        onSubmit={(event) => {
          event.preventDefault();
          start();
        }}
      >
        <FormField id="clone-name" label={t('clone.field.name')} field="name" errorTestId="clone-name-error" error={problem ? t(`clone.nameProblem.${problem}`) : undefined} hint={t('clone.field.nameHint')}>
          <input className="input mono" data-testid="clone-name" data-autofocus value={name} maxLength={120} onChange={(event) => setName(event.target.value)} />
        </FormField>
        <p className="muted">{t('clone.identity')}</p>
        {error && <ErrorNotice title={t('clone.planFailed')} error={error} />}
        {!problem && !current && !error && (
          <p className="loading-line">
            <Spinner size="small" /> {t('clone.planning')}
          </p>
        )}
        {current && current.blockers.length > 0 && (
          <div className="callout callout-warn" role="alert" data-testid="clone-blockers">
            <Icon name="alert" className="callout-icon" />
            <div className="callout-body">
              {current.blockers.map((blocker) => (
                <p key={`${blocker.reason}-${blocker.subject ?? ''}`} data-reason={blocker.reason}>
                  {t(`clone.blocker.${blocker.reason}`, { name: vm.name, subject: blocker.subject ?? '' })}
                </p>
              ))}
            </div>
          </div>
        )}
        {current && (
          <table className="data-table volume-table" data-testid="clone-disks">
            <thead>
              <tr>
                <th>{t('clone.column.disk')}</th>
                <th>{t('clone.column.source')}</th>
                <th>{t('clone.column.action')}</th>
              </tr>
            </thead>
            <tbody>
              {current.disks.map((disk) => (
                <tr key={disk.target} data-testid="clone-disk" data-target={disk.target} data-action={disk.action}>
                  <td className="mono">
                    {disk.target}
                    <span className="volume-note">{t.dynamic(`clone.device.${disk.device}`)}</span>
                  </td>
                  <td className="mono volume-path">{disk.path ?? t('clone.emptyDrive')}</td>
                  <td>
                    {disk.action === 'copy' ? (
                      <>
                        {t('clone.action.copy', { volume: disk.newVolume ?? '?', pool: disk.pool ?? '?' })}
                        {disk.sizeBytes ? <span className="volume-note">{formatBytes(disk.sizeBytes, t.language)}</span> : null}
                      </>
                    ) : (
                      t('clone.action.share')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {current && current.disks.length === 0 && <p className="muted">{t('clone.noDisks')}</p>}
        <p className="field-hint">{t('clone.taskHint')}</p>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
