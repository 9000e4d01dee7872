import { toErrorInfo } from '../errors/errorInfo.js';
import { requireClient } from '../store/connectionStore.js';
import { findHost, useHostsStore } from '../store/hostsStore.js';
import { useToastStore } from '../store/toastStore.js';
import { currentTranslator } from '../i18n/currentTranslator.js';
import { hostDisplayName } from '../i18n/hostDisplayName.js';

/** Asks main to reconnect; the new status arrives as host.changed. */
export async function reconnectHost(hostId: string): Promise<void> {
  const hosts = useHostsStore.getState();
  hosts.setReconnecting(hostId, true);
  try {
    await requireClient().call('hosts.reconnect', { hostId });
  } catch (error) {
    const host = findHost(useHostsStore.getState().hosts, hostId);
    const label = host ? hostDisplayName(host, currentTranslator()) : hostId;
    useToastStore.getState().showError('host.reconnectFailed', toErrorInfo(error), { host: label });
  } finally {
    useHostsStore.getState().setReconnecting(hostId, false);
  }
}
