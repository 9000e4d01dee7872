/**
 * The VM's power buttons (Start / Shut down / Reboot / Pause / Resume / Force off), then managed
 * save (Save / Discard saved state) and autostart — each enabled by the state libvirt reports.
 * While a shutdown waits for the guest, Force off stays available.
 */
import type { VmAction, VmSummary } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { isVmActionAvailable, isVmSaved, vmPowerActions } from '../../model/vmActionAvailability.js';
import { requestVmAction } from '../../services/vmActions.js';
import { useVmActionsStore, vmActionKey } from '../../store/vmActionsStore.js';
import { Icon, type IconName } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import '../common/forms.css';
import './vmActions.css';

export const vmActionIcon: Record<VmAction, IconName> = {
  start: 'play',
  shutdown: 'power',
  reboot: 'rotateCcw',
  suspend: 'pause',
  resume: 'play',
  destroy: 'powerOff',
  save: 'download',
  'discard-save': 'trash',
  'autostart-enable': 'power',
  'autostart-disable': 'power',
};

interface VmActionBarProps {
  hostId: string;
  vm: VmSummary;
  hostConnected: boolean;
}

export function VmActionBar({ hostId, vm, hostConnected }: VmActionBarProps) {
  const t = useT();
  const pending = useVmActionsStore((state) => state.pending[vmActionKey(hostId, vm.name)]);
  const saved = isVmSaved(vm);

  const enabled = (action: VmAction): boolean => {
    if (!hostConnected || !isVmActionAvailable(action, vm)) return false;
    // A guest that does not answer its power button can still be forced off meanwhile.
    return pending === undefined || (pending === 'shutdown' && action === 'destroy');
  };
  const run = (action: VmAction): void => requestVmAction([{ hostId, name: vm.name }], action);

  const button = (action: VmAction, label: string, extraClass = '') => (
    <button
      key={action}
      type="button"
      className={`button${action === 'destroy' || action === 'discard-save' ? ' button-danger-quiet' : ''}${extraClass}`}
      data-testid={`vm-action-${action}`}
      disabled={!enabled(action)}
      onClick={() => run(action)}
    >
      {pending === action ? <Spinner size="small" label={t('vmAction.pending')} /> : <Icon name={vmActionIcon[action]} size={14} />}
      {label}
    </button>
  );

  const autostartAction: VmAction = vm.autostart ? 'autostart-disable' : 'autostart-enable';
  return (
    <>
      <div className="toolbar" role="toolbar" aria-label={t('vm.actionsLabel')} aria-busy={pending !== undefined}>
        {vmPowerActions.map((action) => button(action, saved && action === 'start' ? t('vmAction.restore') : t(`vmAction.${action}`)))}
        <span className="toolbar-separator" aria-hidden="true" />
        {saved ? button('discard-save', t('vmAction.discard-save')) : button('save', t('vmAction.save'))}
        <label className="checkbox-label toolbar-check" title={t('vmAction.autostartTitle')}>
          <input
            type="checkbox"
            className="checkbox"
            data-testid="vm-action-autostart"
            checked={vm.autostart}
            disabled={!enabled(autostartAction)}
            onChange={() => run(autostartAction)}
          />
          {t('vmAction.autostart-enable')}
          {pending === autostartAction && <Spinner size="small" label={t('vmAction.pending')} />}
        </label>
      </div>
      {saved && (
        <p className="vm-saved-note" data-testid="vm-saved-note">
          <Icon name="info" size={14} />
          {t('vm.savedNote')}
        </p>
      )}
    </>
  );
}
