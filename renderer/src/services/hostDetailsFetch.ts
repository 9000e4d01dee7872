/** Reading a host's hardware facts: when its tab opens and again when it reconnects. */
import { toErrorInfo } from '../errors/errorInfo.js';
import { requireClient } from '../store/connectionStore.js';
import { useHostDetailsStore } from '../store/hostDetailsStore.js';

const inFlight = new Map<string, Promise<void>>();

export function fetchHostDetails(hostId: string): Promise<void> {
  const running = inFlight.get(hostId);
  if (running) return running;
  useHostDetailsStore.getState().setLoading(hostId, true);
  const work = (async () => {
    try {
      useHostDetailsStore.getState().setDetails(await requireClient().call('hosts.details', { hostId }));
    } catch (error) {
      useHostDetailsStore.getState().setError(hostId, toErrorInfo(error));
    } finally {
      inFlight.delete(hostId);
      useHostDetailsStore.getState().setLoading(hostId, false);
    }
  })();
  inFlight.set(hostId, work);
  return work;
}

/** After a reconnect: read again only hosts someone has looked at (their tab was opened). */
export function refreshHostDetailsIfKnown(hostId: string): void {
  const state = useHostDetailsStore.getState();
  if (state.byHost[hostId] || state.errors[hostId]) void fetchHostDetails(hostId);
}
