/**
 * Deleting a virtual network: refused, with their names, while guests have interfaces on it;
 * otherwise it is stopped (net-destroy) and its definition removed (net-undefine).
 */
import type { NetworkConfig } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.js';
import { Dialog } from '../dialogs/Dialog.js';

export function NetworkDeleteDialog({ config, onClose, onConfirm }: { config: NetworkConfig; onClose(): void; onConfirm(): void }) {
  const t = useT();
  if (config.guests.length > 0) {
    return (
      <Dialog
        title={t('vnet.deleteTitle', { name: config.name })}
        onClose={onClose}
        size="small"
        testId="network-delete-refused"
        footer={
          <button type="button" className="button" data-autofocus onClick={onClose}>
            {t('common.close')}
          </button>
        }
      >
        <p>{t('vnet.deleteRefused', { name: config.name, count: config.guests.length })}</p>
        <ul data-testid="network-delete-guests">
          {config.guests.map((guest) => (
            <li key={guest} className="mono">
              {guest}
            </li>
          ))}
        </ul>
        <p className="muted">{t('vnet.deleteRefusedHint')}</p>
      </Dialog>
    );
  }
  return (
    <ConfirmDialog
      title={t('vnet.deleteTitle', { name: config.name })}
      body={t(config.active ? 'vnet.deleteBodyActive' : 'vnet.deleteBody', { name: config.name })}
      confirmLabel={t('vnet.deleteConfirm')}
      danger
      testId="network-delete-dialog"
      onConfirm={onConfirm}
      onCancel={onClose}
    />
  );
}
