import type { MessageKey } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { reconnectHost } from '../../services/hostReconnect.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';

interface ReconnectButtonProps {
  hostId: string;
  primary?: boolean;
  /** "Reconnect" unless the situation calls it something else ("Retry now", "Connect again"). */
  labelKey?: MessageKey;
}

/** Every way of asking main to connect again is this button (test id host-reconnect). */
export function ReconnectButton({ hostId, primary, labelKey = 'host.reconnect' }: ReconnectButtonProps) {
  const t = useT();
  const busy = useHostsStore((state) => state.reconnecting[hostId] ?? false);
  return (
    <button
      type="button"
      className={`button${primary ? ' button-primary' : ''}`}
      data-testid="host-reconnect"
      disabled={busy}
      onClick={() => void reconnectHost(hostId)}
    >
      {busy ? <Spinner size="small" /> : <Icon name="refresh" size={14} />}
      {busy ? t('host.reconnecting') : t(labelKey)}
    </button>
  );
}
