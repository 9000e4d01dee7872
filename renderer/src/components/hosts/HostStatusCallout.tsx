/** Why a host is not usable, what to do about it, and a Reconnect button. */
import type { HostSummary } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { ReconnectButton } from './ReconnectButton.js';

export function HostStatusCallout({ host }: { host: HostSummary }) {
  const t = useT();
  if (host.status === 'connected') return null;
  const connecting = host.status === 'connecting';
  const tone = connecting ? 'info' : host.status === 'error' ? 'danger' : 'warn';
  return (
    <div className={`callout callout-${tone}`} data-testid="host-remedy" role={connecting ? 'status' : 'alert'}>
      {connecting ? <Spinner /> : <Icon name="alert" className="callout-icon" />}
      <div className="callout-body">
        <p className="callout-title">{t(`hostStatus.${host.status}`)}</p>
        <p>{t(`hostRemedy.${host.status}`)}</p>
        {host.detail && (
          <>
            <p className="callout-label">{t('host.detail')}</p>
            <pre className="detail-text">{host.detail}</pre>
          </>
        )}
        {!connecting && (
          <div className="callout-actions">
            <ReconnectButton hostId={host.id} primary />
          </div>
        )}
      </div>
    </div>
  );
}
