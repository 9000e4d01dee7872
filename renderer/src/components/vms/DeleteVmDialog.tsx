/**
 * "Delete VM": every volume the VM uses, each with a checkbox — ISOs, read-only or shared media
 * and volumes another VM uses are kept unless ticked. What the definition holds besides
 * (snapshot metadata, a managed-save image, the UEFI variable store) is listed and removed with
 * it. A running VM is forced off first, and only after its name has been typed.
 */
import { useEffect, useState } from 'react';
import type { DeletePlan, DeleteVolume, VmSummary } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { nodeKey } from '../../navigation/nodeRef.js';
import { refreshInventory } from '../../services/inventoryRefresh.js';
import { requireClient } from '../../store/connectionStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { FormField } from '../common/FormField.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { Dialog } from '../dialogs/Dialog.js';
import './vmManage.css';

function volumeNotes(volume: DeleteVolume, t: ReturnType<typeof useT>): string[] {
  const notes: string[] = [];
  if (volume.iso) notes.push(t('deleteVm.note.iso'));
  else if (volume.readonly) notes.push(t('deleteVm.note.readonly'));
  if (volume.shareable) notes.push(t('deleteVm.note.shareable'));
  if (volume.usedBy.length > 0) notes.push(t('deleteVm.note.usedBy', { vms: volume.usedBy.join(', ') }));
  if (!volume.pool) notes.push(t('deleteVm.note.notInPool'));
  return notes;
}

export function DeleteVmDialog({ hostId, vm, onClose }: { hostId: string; vm: VmSummary; onClose(): void }) {
  const t = useT();
  const [plan, setPlan] = useState<DeletePlan | undefined>();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<{ title: string; error: ErrorInfo } | undefined>();
  const [deleting, setDeleting] = useState(false);

  useEffect(() => {
    let live = true;
    requireClient()
      .call('vm.deletePlan', { hostId, name: vm.name })
      .then(
        (result) => {
          if (!live) return;
          setPlan(result);
          setChosen(new Set(result.volumes.filter((volume) => volume.deleteByDefault).map((volume) => volume.path)));
        },
        (failure: unknown) => live && setError({ title: t('deleteVm.planFailed'), error: toErrorInfo(failure) }),
      );
    return () => {
      live = false;
    };
  }, [hostId, vm.name, t]);

  const needsName = plan?.running ?? false;
  const nameOk = !needsName || typed === vm.name;

  const confirm = async () => {
    if (!plan || !nameOk || deleting) return;
    setDeleting(true);
    setError(undefined);
    try {
      await requireClient().call('vm.delete', { hostId, name: vm.name, volumes: [...chosen], ...(needsName ? { confirmName: typed } : {}) });
      onClose();
      useUiStore.getState().closeTab(nodeKey({ kind: 'vm', hostId, name: vm.name }));
    } catch (failure) {
      setError({ title: t('deleteVm.failed', { name: vm.name }), error: toErrorInfo(failure) });
    } finally {
      setDeleting(false);
      void refreshInventory(hostId);
    }
  };

  const toggle = (path: string, on: boolean) =>
    setChosen((previous) => {
      const next = new Set(previous);
      if (on) next.add(path);
      else next.delete(path);
      return next;
    });

  return (
    <Dialog
      title={t('deleteVm.title', { name: vm.name })}
      onClose={onClose}
      testId="delete-vm-dialog"
      dismissOnBackdrop={false}
      size="large"
      footer={
        <>
          <button type="button" className="button" data-autofocus={needsName ? undefined : true} onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-danger" data-testid="delete-vm-ok" disabled={!plan || !nameOk || deleting} onClick={() => void confirm()}>
            {deleting ? <Spinner size="small" /> : <Icon name="trash" size={14} />}
            {chosen.size === 0 ? t('deleteVm.confirmKeep') : t.count('deleteVm.confirmWith', chosen.size)}
          </button>
        </>
      }
    >
      <div className="dialog-stack">
        {error && <ErrorNotice title={error.title} error={error.error} />}
        {!plan && !error && (
          <p className="loading-line">
            <Spinner size="small" /> {t('deleteVm.loading')}
          </p>
        )}
        {plan && (
          <>
            <p>{t('deleteVm.body')}</p>
            {plan.volumes.length === 0 ? (
              <p className="muted">{t('deleteVm.noVolumes')}</p>
            ) : (
              <table className="data-table volume-table" data-testid="delete-vm-volumes">
                <thead>
                  <tr>
                    <th>{t('deleteVm.column.remove')}</th>
                    <th>{t('deleteVm.column.disk')}</th>
                    <th>{t('deleteVm.column.path')}</th>
                    <th>{t('deleteVm.column.notes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.volumes.map((volume) => (
                    <tr key={`${volume.target}-${volume.path}`} data-testid="delete-vm-volume" data-path={volume.path}>
                      <td>
                        <input
                          type="checkbox"
                          className="checkbox"
                          data-testid="delete-vm-volume-check"
                          aria-label={t('deleteVm.removeVolume', { path: volume.path })}
                          checked={chosen.has(volume.path)}
                          disabled={!volume.pool || deleting}
                          onChange={(event) => toggle(volume.path, event.target.checked)}
                        />
                      </td>
                      <td className="mono">{volume.target}</td>
                      <td className="mono volume-path">{volume.path}</td>
                      <td>
                        {volumeNotes(volume, t).map((note) => (
                          <span key={note} className="volume-note">
                            {note}
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {(plan.snapshots > 0 || plan.managedSave || plan.nvram || !plan.persistent) && (
              <ul className="missing-list" data-testid="delete-vm-extras">
                {plan.snapshots > 0 && <li>{t.count('deleteVm.extra.snapshots', plan.snapshots)}</li>}
                {plan.managedSave && <li>{t('deleteVm.extra.managedSave')}</li>}
                {plan.nvram && <li>{t('deleteVm.extra.nvram', { path: plan.nvram })}</li>}
                {!plan.persistent && <li>{t('deleteVm.extra.transient')}</li>}
              </ul>
            )}
            {plan.running && (
              <div className="callout callout-danger" role="alert">
                <Icon name="alertCircle" className="callout-icon" />
                <div className="callout-body">
                  <p className="callout-title">{t('deleteVm.running.title', { name: vm.name })}</p>
                  <p>{t('deleteVm.running.body')}</p>
                </div>
              </div>
            )}
            {plan.running && (
              <FormField
                id="delete-vm-confirm-name"
                label={t('deleteVm.typeName', { name: vm.name })}
                field="confirmName"
                errorTestId="delete-vm-name-error"
                error={typed !== '' && typed !== vm.name ? t('deleteVm.nameMismatch') : undefined}
              >
                <input className="input mono" data-testid="delete-vm-confirm-name" data-autofocus value={typed} autoComplete="off" onChange={(event) => setTyped(event.target.value)} />
              </FormField>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}
