/** After a host key changed and the user checked the new one: forget the old key, reconnect. */
import { toErrorInfo } from '../errors/errorInfo.js';
import { requireClient } from '../store/connectionStore.js';
import { useToastStore } from '../store/toastStore.js';
import { reconnectHost } from './hostReconnect.js';

export async function forgetHostKeyAndReconnect(hostId: string, label: string): Promise<void> {
  try {
    await requireClient().call('hosts.forgetHostKey', { hostId });
  } catch (error) {
    useToastStore.getState().showError('hostKey.forgetFailed', toErrorInfo(error), { host: label });
    return;
  }
  await reconnectHost(hostId);
}
