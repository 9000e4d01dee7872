/**
 * The deliberate step after "host key changed": forget the old key, then connect again (and
 * be asked about the new key). The dialog repeats the fingerprint to check first.
 */
import { hostDisplayName } from '../../i18n/hostDisplayName.js';
import { useT } from '../../i18n/useT.js';
import { forgetHostKeyAndReconnect } from '../../services/hostKeyForget.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.js';
import { PresentedKey } from './PresentedKey.js';

export function ForgetHostKeyDialog({ hostId, onClose }: { hostId: string; onClose(): void }) {
  const t = useT();
  const host = useHostsStore((state) => findHost(state.hosts, hostId));
  const label = host ? hostDisplayName(host, t) : hostId;
  return (
    <ConfirmDialog
      testId="forget-key-dialog"
      title={t('hostKey.forgetTitle', { host: label })}
      body={t('hostKey.forgetBody')}
      confirmLabel={t('hostKey.forgetConfirm')}
      danger
      onCancel={onClose}
      onConfirm={() => {
        onClose();
        void forgetHostKeyAndReconnect(hostId, label);
      }}
    >
      {host?.presentedKey && (
        <PresentedKey
          keyType={host.presentedKey.keyType}
          fingerprint={host.presentedKey.fingerprint}
          typeLabel={t('hostKey.keyType')}
          fingerprintLabel={t('hostKey.newFingerprint')}
        />
      )}
    </ConfirmDialog>
  );
}
