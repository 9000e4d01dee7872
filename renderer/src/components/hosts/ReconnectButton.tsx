import { useT } from '../../i18n/useT.js';
import { reconnectHost } from '../../services/hostReconnect.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';

export function ReconnectButton({ hostId, primary }: { hostId: string; primary?: boolean }) {
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
      {busy ? t('host.reconnecting') : t('host.reconnect')}
    </button>
  );
}
