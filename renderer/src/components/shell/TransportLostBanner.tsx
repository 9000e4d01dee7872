/**
 * The window lost its link to the VirtDeck service (web mode: the WebSocket closed). Nothing
 * on screen updates any more, so say it plainly at the top, with the one fix: reload.
 */
import { useT } from '../../i18n/useT.js';
import { useConnectionStore } from '../../store/connectionStore.js';
import { Icon } from '../common/Icon.js';

export function TransportLostBanner() {
  const t = useT();
  const lost = useConnectionStore((state) => state.transportLost);
  if (!lost) return null;
  return (
    <div className="transport-lost" role="alert" data-testid="transport-lost">
      <Icon name="wifiOff" size={16} className="transport-lost-icon" />
      <div className="transport-lost-text">
        <strong>{t('transport.lostTitle')}</strong>
        <span>{t('transport.lostBody')}</span>
      </div>
      <button type="button" className="button button-primary button-small" data-testid="transport-reload" onClick={() => window.location.reload()}>
        <Icon name="refresh" size={13} />
        {t('transport.reload')}
      </button>
    </div>
  );
}
