/**
 * Why a host is not usable and what to do about it: the remedy sentence, the host's own
 * message, and the one action that helps (reconnect, retry now, connect again, or — after a
 * host key changed — forget the old key once the new one has been checked).
 */
import type { HostSummary } from '../../../../preload/contract.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';
import { useT } from '../../i18n/useT.js';
import { useProfilesStore } from '../../store/profilesStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { hostCalloutTone } from '../common/toneOf.js';
import { PresentedKey } from './PresentedKey.js';
import { ReconnectButton } from './ReconnectButton.js';
import { RetryCountdown } from './RetryCountdown.js';

function CalloutActions({ host }: { host: HostSummary }) {
  const t = useT();
  const openDialog = useUiStore((state) => state.openDialog);
  switch (host.status) {
    case 'connecting':
    case 'awaiting-user':
    case 'connected':
      return null;
    case 'host-key-changed':
      // No "reconnect" here: connecting again would meet the same key. Check, then forget.
      return (
        <button type="button" className="button button-danger-quiet" data-testid="host-forget-key" onClick={() => openDialog('forget-host-key', host.id)}>
          <Icon name="key" size={14} />
          {t('hostKey.forget')}
        </button>
      );
    case 'host-key-rejected':
      return <ReconnectButton hostId={host.id} primary labelKey="host.connectAgain" />;
    default:
      // While main waits to try again by itself, the button says what it does: now, not later.
      return <ReconnectButton hostId={host.id} primary labelKey={host.nextRetryAt !== undefined ? 'host.retryNow' : 'host.reconnect'} />;
  }
}

/** A wrong user, key or address is fixed in the host's settings: offer them right here. */
function EditSettingsButton({ host }: { host: HostSummary }) {
  const t = useT();
  const hasProfile = useProfilesStore((state) => state.byId[host.id] !== undefined);
  const openDialog = useUiStore((state) => state.openDialog);
  if (!hasProfile || (host.status !== 'auth-failed' && host.status !== 'unreachable' && host.status !== 'permission-denied')) return null;
  return (
    <button type="button" className="button" data-testid="host-edit-settings" onClick={() => openDialog('host-editor', host.id)}>
      <Icon name="pencil" size={14} />
      {t('host.editSettings')}
    </button>
  );
}

export function HostStatusCallout({ host }: { host: HostSummary }) {
  const t = useT();
  if (host.status === 'connected') return null;
  const busy = host.status === 'connecting';
  const tone = hostCalloutTone(host.status);
  const showKey = (host.status === 'host-key-changed' || host.status === 'host-key-revoked') && host.presentedKey;
  const remedy =
    host.status === 'host-key-changed' ? t('hostRemedy.host-key-changed', { host: hostDisplayName(host, t) }) : t(`hostRemedy.${host.status}`);
  return (
    <div className={`callout callout-${tone}`} data-testid="host-remedy" data-status={host.status} role={tone === 'info' ? 'status' : 'alert'}>
      {busy ? <Spinner /> : <Icon name={tone === 'info' ? 'info' : host.status.startsWith('host-key') ? 'shieldAlert' : 'alert'} className="callout-icon" />}
      <div className="callout-body">
        <p className="callout-title">{t(`hostStatus.${host.status}`)}</p>
        <p>{remedy}</p>
        {showKey && host.presentedKey && (
          <>
            <p className="callout-label">{t('hostKey.presented')}</p>
            <PresentedKey
              keyType={host.presentedKey.keyType}
              fingerprint={host.presentedKey.fingerprint}
              typeLabel={t('hostKey.keyType')}
              fingerprintLabel={t('hostKey.fingerprint')}
            />
          </>
        )}
        {host.detail && (
          <>
            <p className="callout-label">{t('host.detail')}</p>
            <pre className="detail-text">{host.detail}</pre>
          </>
        )}
        {!busy && host.status !== 'awaiting-user' && host.nextRetryAt !== undefined && <RetryCountdown at={host.nextRetryAt} />}
        {!busy && host.status !== 'awaiting-user' && (
          <div className="callout-actions">
            <CalloutActions host={host} />
            <EditSettingsButton host={host} />
          </div>
        )}
      </div>
    </div>
  );
}
