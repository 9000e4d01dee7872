/** "Remove HOST from VirtDeck?" — says plainly that nothing on the host itself is touched. */
import { useT } from '../../i18n/useT.js';
import { removeProfile } from '../../services/profileActions.js';
import { useProfilesStore } from '../../store/profilesStore.js';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.js';

export function RemoveHostDialog({ profileId, onClose }: { profileId: string; onClose(): void }) {
  const t = useT();
  const profile = useProfilesStore((state) => state.byId[profileId]);
  const label = profile?.label ?? profileId;
  return (
    <ConfirmDialog
      testId="remove-host-dialog"
      title={t('removeHost.title', { host: label })}
      body={t('removeHost.body')}
      confirmLabel={t('removeHost.confirm')}
      danger
      onCancel={onClose}
      onConfirm={() => {
        onClose();
        void removeProfile(profileId, label);
      }}
    >
      {profile && (
        <p className="confirm-subject mono">
          {profile.user}@{profile.address}
          {profile.port !== 22 ? `:${profile.port}` : ''}
        </p>
      )}
    </ConfirmDialog>
  );
}
