/** Start / Shut down / Reboot / Pause / Resume / Force off, enabled by state. */
import { useState } from 'react';
import type { VmAction, VmSummary } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { isVmActionAvailable, vmActionOrder } from '../../model/vmActionAvailability.js';
import { runVmAction } from '../../services/vmActions.js';
import { useVmActionsStore, vmActionKey } from '../../store/vmActionsStore.js';
import { Icon, type IconName } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.js';

const actionIcon: Record<VmAction, IconName> = {
  start: 'play',
  shutdown: 'power',
  reboot: 'rotateCcw',
  suspend: 'pause',
  resume: 'play',
  destroy: 'powerOff',
};

interface VmActionBarProps {
  hostId: string;
  vm: VmSummary;
  hostConnected: boolean;
}

export function VmActionBar({ hostId, vm, hostConnected }: VmActionBarProps) {
  const t = useT();
  const pending = useVmActionsStore((state) => state.pending[vmActionKey(hostId, vm.name)]);
  const [confirmingDestroy, setConfirmingDestroy] = useState(false);

  const run = (action: VmAction): void => {
    if (action === 'destroy') setConfirmingDestroy(true);
    else void runVmAction(hostId, vm.name, action);
  };

  return (
    <div className="toolbar" role="toolbar" aria-label={t('vm.actionsLabel')} aria-busy={pending !== undefined}>
      {vmActionOrder.map((action) => (
        <button
          key={action}
          type="button"
          className={`button${action === 'destroy' ? ' button-danger-quiet' : ''}`}
          data-testid={`vm-action-${action}`}
          disabled={pending !== undefined || !hostConnected || !isVmActionAvailable(action, vm.state)}
          onClick={() => run(action)}
        >
          {pending === action ? <Spinner size="small" label={t('vmAction.pending')} /> : <Icon name={actionIcon[action]} size={14} />}
          {t(`vmAction.${action}`)}
        </button>
      ))}
      {confirmingDestroy && (
        <ConfirmDialog
          title={t('vm.confirmDestroy.title', { name: vm.name })}
          body={t('vm.confirmDestroy.body')}
          confirmLabel={t('vm.confirmDestroy.confirm')}
          danger
          onCancel={() => setConfirmingDestroy(false)}
          onConfirm={() => {
            setConfirmingDestroy(false);
            void runVmAction(hostId, vm.name, 'destroy');
          }}
        />
      )}
    </div>
  );
}
