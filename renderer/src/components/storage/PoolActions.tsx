/**
 * A pool's toolbar: Start or Stop, Start with host, Refresh, Build, Delete. Delete first asks
 * main what it would touch: a pool a VM uses is refused, naming the VMs; otherwise the user
 * chooses whether the pool's data goes too.
 */
import { useEffect, useState } from 'react';
import type { PoolAction, PoolDeletePlan, PoolSummary } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { nodeKey } from '../../navigation/nodeRef.js';
import { useUiStore } from '../../store/uiStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { Dialog } from '../dialogs/Dialog.js';
import { runStorageCall } from './storageCall.js';

export function PoolActions({ hostId, pool }: { hostId: string; pool: PoolSummary }) {
  const t = useT();
  const [pending, setPending] = useState<PoolAction | undefined>();
  const [deleting, setDeleting] = useState(false);
  const act = (action: PoolAction) => {
    setPending(action);
    void runStorageCall(hostId, requireClient().call('storage.poolAction', { hostId, pool: pool.name, action }), 'storage.pool.actionFailed', { name: pool.name, action: t(`storage.pool.action.${action}`) }, () => setPending(undefined));
  };
  const button = (action: PoolAction, icon: 'play' | 'power' | 'refresh' | 'settings', disabled = false) => (
    <button type="button" className="button" data-testid={`pool-action-${action}`} disabled={pending !== undefined || disabled} onClick={() => act(action)}>
      {pending === action ? <Spinner size="small" /> : <Icon name={icon} size={14} />}
      {t(`storage.pool.action.${action}`)}
    </button>
  );
  return (
    <div className="toolbar" role="toolbar" aria-label={t('storage.pool.actions')} aria-busy={pending !== undefined}>
      {pool.active ? button('stop', 'power') : button('start', 'play')}
      {button('refresh', 'refresh', !pool.active)}
      {button('build', 'settings', pool.active)}
      <label className="checkbox-label toolbar-check">
        <input type="checkbox" className="checkbox" data-testid="pool-autostart" checked={pool.autostart} disabled={pending !== undefined} onChange={(event) => act(event.target.checked ? 'autostart-on' : 'autostart-off')} />
        {t('storage.pool.autostart')}
      </label>
      <button type="button" className="button button-danger" data-testid="pool-delete" disabled={pending !== undefined} onClick={() => setDeleting(true)}>
        <Icon name="trash" size={14} />
        {t('storage.pool.delete')}
      </button>
      {deleting && <PoolDeleteDialog hostId={hostId} pool={pool.name} onClose={() => setDeleting(false)} />}
    </div>
  );
}

function PoolDeleteDialog({ hostId, pool, onClose }: { hostId: string; pool: string; onClose(): void }) {
  const t = useT();
  const [plan, setPlan] = useState<PoolDeletePlan | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [deleteData, setDeleteData] = useState(false);
  const closeTab = useUiStore((state) => state.closeTab);
  useEffect(() => {
    let live = true;
    requireClient()
      .call('storage.poolDeletePlan', { hostId, pool })
      .then(
        (result) => live && setPlan(result),
        (failure: unknown) => live && setError(toErrorInfo(failure)),
      );
    return () => {
      live = false;
    };
  }, [hostId, pool]);
  const inUse = (plan?.usedBy.length ?? 0) > 0;
  const submit = () => {
    if (!plan || inUse) return;
    onClose();
    void runStorageCall(hostId, requireClient().call('storage.poolDelete', { hostId, pool, deleteData }), 'storage.pool.deleteFailed', { name: pool }).then((result) => {
      if (result !== undefined) closeTab(nodeKey({ kind: 'pool', hostId, name: pool }));
    });
  };
  return (
    <Dialog
      title={t('storage.pool.deleteTitle', { name: pool })}
      onClose={onClose}
      size="small"
      testId="pool-delete-dialog"
      footer={
        <>
          <button type="button" className="button" data-autofocus onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-danger" data-testid="pool-delete-ok" disabled={!plan || inUse} onClick={submit}>
            {t('storage.pool.delete')}
          </button>
        </>
      }
    >
      <div className="dialog-stack">
        {!plan && !error && <Spinner size="small" />}
        {error && <ErrorNotice title={t('storage.pool.planFailed', { name: pool })} error={error} />}
        {plan && inUse && (
          <div className="callout callout-warn" role="alert" data-testid="pool-in-use">
            <Icon name="alert" className="callout-icon" />
            <div className="callout-body">
              <p>{t('storage.pool.inUse', { name: pool, vms: plan.usedBy.join(', ') })}</p>
            </div>
          </div>
        )}
        {plan && !inUse && (
          <>
            <p>{t('storage.pool.deleteBody', { name: pool, count: plan.volumes })}</p>
            {plan.canDeleteData && (
              <label className="checkbox-label">
                <input type="checkbox" className="checkbox" data-testid="pool-delete-data" checked={deleteData} onChange={(event) => setDeleteData(event.target.checked)} />
                {t('storage.pool.deleteData', { count: plan.volumes })}
              </label>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}
