/**
 * The questions VM actions ask, wherever the action came from (toolbar, menu, shortcut, VM
 * list): confirm a force off or a discard of saved state, and offer a force off when a guest
 * ignored its shutdown request.
 */
import type { VmTarget } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { performVmAction } from '../../services/vmActions.js';
import { useVmActionsStore } from '../../store/vmActionsStore.js';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.js';

function Subjects({ targets }: { targets: readonly VmTarget[] }) {
  if (targets.length < 2) return null;
  return (
    <p className="confirm-subject mono">
      {targets
        .slice(0, 6)
        .map((target) => target.name)
        .join(', ')}
      {targets.length > 6 ? ` … (+${targets.length - 6})` : ''}
    </p>
  );
}

export function VmActionPrompts() {
  const t = useT();
  const asking = useVmActionsStore((state) => state.asking);
  const offer = useVmActionsStore((state) => state.forceOffOffer);
  const { ask, offerForceOff } = useVmActionsStore.getState();

  if (asking) {
    const { action, targets } = asking;
    const one = targets.length === 1 ? targets[0] : undefined;
    const discard = action === 'discard-save';
    const title = one
      ? t(discard ? 'vm.confirmDiscard.title' : 'vm.confirmDestroy.title', { name: one.name })
      : t.count(discard ? 'vmList.confirmDiscard.title' : 'vmList.confirmDestroy.title', targets.length);
    return (
      <ConfirmDialog
        title={title}
        body={t(discard ? 'vm.confirmDiscard.body' : 'vm.confirmDestroy.body')}
        confirmLabel={t(discard ? 'vm.confirmDiscard.confirm' : 'vm.confirmDestroy.confirm')}
        danger
        testId={`confirm-${action}`}
        onCancel={() => ask(null)}
        onConfirm={() => {
          ask(null);
          void performVmAction(targets, action);
        }}
      >
        <Subjects targets={targets} />
      </ConfirmDialog>
    );
  }
  if (offer && offer.length > 0) {
    const one = offer.length === 1 ? offer[0] : undefined;
    return (
      <ConfirmDialog
        title={one ? t('vm.forceOffOffer.title', { name: one.name }) : t.count('vm.forceOffOffer.titleMany', offer.length)}
        body={t('vm.forceOffOffer.body')}
        confirmLabel={t('vm.confirmDestroy.confirm')}
        danger
        testId="force-off-offer"
        onCancel={() => offerForceOff(null)}
        onConfirm={() => {
          offerForceOff(null);
          void performVmAction(offer, 'destroy');
        }}
      >
        <Subjects targets={offer} />
      </ConfirmDialog>
    );
  }
  return null;
}
