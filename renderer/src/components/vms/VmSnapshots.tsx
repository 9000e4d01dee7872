/**
 * A VM's snapshots: the tree (current one marked) with creation time, state and description;
 * take, revert to and delete snapshots. What the VM's disks do not allow is said, with why.
 */
import { useCallback, useEffect, useState } from 'react';
import type { SnapshotInfo, SnapshotOverview } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { formatDateTime } from '../../format/formatDateTime.js';
import { isMessageKey } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { snapshotTreeRows, type SnapshotRow } from '../../model/snapshotTree.js';
import { refreshInventory } from '../../services/inventoryRefresh.js';
import { requireClient } from '../../store/connectionStore.js';
import { useToastStore } from '../../store/toastStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { CheckboxField } from '../common/FormField.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { StateBadge } from '../common/StateBadge.js';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.js';
import { SnapshotCreateDialog } from './SnapshotCreateDialog.js';
import type { VmSectionProps } from './vmSections.js';

type Pending = { kind: 'revert'; row: SnapshotRow } | { kind: 'delete'; row: SnapshotRow } | { kind: 'create' };

export function VmSnapshots({ hostId, vm, hostConnected }: VmSectionProps) {
  const t = useT();
  const [overview, setOverview] = useState<SnapshotOverview | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [dialog, setDialog] = useState<Pending | undefined>();
  const [withChildren, setWithChildren] = useState(false);
  const [busy, setBusy] = useState<string | undefined>();
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!hostConnected) return undefined;
    let live = true;
    requireClient()
      .call('snapshots.list', { hostId, name: vm.name })
      .then(
        (result) => {
          if (!live) return;
          setOverview(result);
          setError(undefined);
        },
        (failure: unknown) => live && setError(toErrorInfo(failure)),
      );
    return () => {
      live = false;
    };
  }, [hostId, vm.name, vm.state, hostConnected, reload]);

  const run = useCallback(
    async (label: string, titleKey: 'snapshots.failed.revert' | 'snapshots.failed.delete' | 'snapshots.failed.create', work: () => Promise<unknown>, snapshot: string) => {
      setBusy(label);
      try {
        await work();
      } catch (failure) {
        useToastStore.getState().showError(titleKey, toErrorInfo(failure), { name: vm.name, snapshot });
      } finally {
        setBusy(undefined);
        setReload((value) => value + 1);
        void refreshInventory(hostId);
      }
    },
    [hostId, vm.name],
  );

  if (error) return <ErrorNotice title={t('snapshots.loadFailed')} error={error} />;
  if (!overview) return <p className="loading-line"><Spinner size="small" /> {t('snapshots.loading')}</p>;

  const rows = snapshotTreeRows(overview.snapshots);
  const internal = overview.options.find((option) => option.kind === 'internal');
  const rawDisks = overview.disks.filter((disk) => disk.format !== 'qcow2');
  const anyAvailable = overview.options.some((option) => option.available);

  return (
    <section className="page-section" data-testid="vm-snapshots">
      {internal?.reason === 'raw-disk' && (
        <div className="callout callout-info" role="note" data-testid="snapshots-raw">
          <Icon name="info" className="callout-icon" />
          <div className="callout-body">
            <p className="callout-title">{t('snapshots.raw.title')}</p>
            <p>{t('snapshots.raw.body', { disks: rawDisks.map((disk) => `${disk.target} (${disk.format ?? t('snapshots.format.unknown')})`).join(', ') })}</p>
            <p>{t('snapshots.raw.convert')}</p>
          </div>
        </div>
      )}
      <div className="toolbar snapshot-toolbar" role="toolbar" aria-label={t('snapshots.actions')}>
        <button
          type="button"
          className="button button-primary"
          data-testid="snapshot-create"
          disabled={!hostConnected || !anyAvailable || busy !== undefined}
          title={anyAvailable ? undefined : t(`snapshots.reason.${overview.options[0]?.reason ?? 'no-disk'}`)}
          onClick={() => setDialog({ kind: 'create' })}
        >
          <Icon name="plus" size={14} />
          {t('snapshots.create')}
        </button>
        {busy && (
          <span className="muted" role="status">
            <Spinner size="small" /> {busy}
          </span>
        )}
      </div>
      {rows.length === 0 ? (
        <p className="muted" data-testid="snapshots-empty">{t('snapshots.none')}</p>
      ) : (
        <table className="data-table snapshot-table" data-testid="snapshot-list">
          <thead>
            <tr>
              <th>{t('snapshots.column.name')}</th>
              <th>{t('snapshots.column.created')}</th>
              <th>{t('snapshots.column.state')}</th>
              <th>{t('snapshots.column.kind')}</th>
              <th>{t('snapshots.column.description')}</th>
              <th aria-label={t('snapshots.actions')} />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <SnapshotRowView
                key={row.snapshot.name}
                row={row}
                disabled={!hostConnected || busy !== undefined}
                revertBlocked={row.snapshot.external && !overview.externalRevert}
                onRevert={() => setDialog({ kind: 'revert', row })}
                onDelete={() => {
                  setWithChildren(false);
                  setDialog({ kind: 'delete', row });
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'create' && (
        <SnapshotCreateDialog
          vmName={vm.name}
          overview={overview}
          onClose={() => setDialog(undefined)}
          onCreate={(draft) => {
            setDialog(undefined);
            void run(t('snapshots.busy.create', { snapshot: draft.snapshot }), 'snapshots.failed.create', () => requireClient().call('snapshots.create', { hostId, name: vm.name, ...draft }), draft.snapshot);
          }}
        />
      )}
      {dialog?.kind === 'revert' && (
        <ConfirmDialog
          testId="snapshot-revert-dialog"
          title={t('snapshots.revert.title', { snapshot: dialog.row.snapshot.name })}
          body={t(dialog.row.snapshot.state === 'shutoff' ? 'snapshots.revert.bodyShutoff' : 'snapshots.revert.body', { name: vm.name })}
          confirmLabel={t('snapshots.revert.confirm')}
          danger
          onCancel={() => setDialog(undefined)}
          onConfirm={() => {
            const snapshot = dialog.row.snapshot.name;
            setDialog(undefined);
            void run(t('snapshots.busy.revert', { snapshot }), 'snapshots.failed.revert', () => requireClient().call('snapshots.revert', { hostId, name: vm.name, snapshot }), snapshot);
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          testId="snapshot-delete-dialog"
          title={t('snapshots.delete.title', { snapshot: dialog.row.snapshot.name })}
          body={t(dialog.row.snapshot.external && !overview.externalRevert ? 'snapshots.delete.bodyExternal' : 'snapshots.delete.body')}
          confirmLabel={t('snapshots.delete.confirm')}
          danger
          onCancel={() => setDialog(undefined)}
          onConfirm={() => {
            const snapshot = dialog.row.snapshot.name;
            const children = withChildren && dialog.row.descendants > 0;
            setDialog(undefined);
            void run(t('snapshots.busy.delete', { snapshot }), 'snapshots.failed.delete', () => requireClient().call('snapshots.delete', { hostId, name: vm.name, snapshot, children }), snapshot);
          }}
        >
          {dialog.row.descendants > 0 && (
            <div className="confirm-extra">
              <CheckboxField
                id="snapshot-delete-children"
                testId="snapshot-delete-children"
                label={t.count('snapshots.delete.children', dialog.row.descendants)}
                hint={t(withChildren ? 'snapshots.delete.childrenHintOn' : 'snapshots.delete.childrenHintOff')}
                checked={withChildren}
                onChange={setWithChildren}
              />
            </div>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

function kindLabel(snapshot: SnapshotInfo, t: ReturnType<typeof useT>): string {
  const where = t(snapshot.external ? 'snapshots.kind.external' : 'snapshots.kind.internal');
  return snapshot.memory === 'no' ? where : `${where} · ${t('snapshots.kind.withMemory')}`;
}

function SnapshotRowView({
  row,
  disabled,
  revertBlocked,
  onRevert,
  onDelete,
}: {
  row: SnapshotRow;
  disabled: boolean;
  revertBlocked: boolean;
  onRevert(): void;
  onDelete(): void;
}) {
  const t = useT();
  const { snapshot } = row;
  return (
    <tr data-testid="snapshot-row" data-snapshot={snapshot.name} data-parent={snapshot.parent ?? ''} data-current={snapshot.current ? 'true' : 'false'}>
      <td>
        <span className="snapshot-name" style={{ paddingInlineStart: `${row.depth * 18}px` }}>
          {row.depth > 0 && <span className="muted" aria-hidden="true">└ </span>}
          <span className="mono">{snapshot.name}</span>
          {snapshot.current && (
            <>
              {' '}
              <StateBadge tone="ok" label={t('snapshots.current')} />
            </>
          )}
        </span>
      </td>
      <td>{snapshot.creationTime === undefined ? t('common.notAvailable') : formatDateTime(snapshot.creationTime * 1000, t.language)}</td>
      <td>{isMessageKey(`snapshots.state.${snapshot.state}`) ? t.dynamic(`snapshots.state.${snapshot.state}`) : snapshot.state}</td>
      <td>{kindLabel(snapshot, t)}</td>
      <td className="snapshot-description">{snapshot.description ?? ''}</td>
      <td className="snapshot-actions">
        <button
          type="button"
          className="button button-small"
          data-testid="snapshot-revert"
          disabled={disabled || revertBlocked}
          title={revertBlocked ? t('snapshots.revert.externalBlocked') : undefined}
          onClick={onRevert}
        >
          <Icon name="rotateCcw" size={13} />
          {t('snapshots.revert.action')}
        </button>{' '}
        <button type="button" className="button button-small button-danger-quiet" data-testid="snapshot-delete" disabled={disabled} onClick={onDelete}>
          <Icon name="trash" size={13} />
          {t('snapshots.delete.action')}
        </button>
      </td>
    </tr>
  );
}
