/** The hosts main knows, in main's order, with their connection status. */
import { create } from 'zustand';
import type { HostSummary } from '../../../preload/contract.js';

interface HostsState {
  hosts: HostSummary[];
  /** Hosts whose hosts.reconnect call is in flight. */
  reconnecting: Record<string, boolean>;
  setHosts(hosts: HostSummary[]): void;
  upsertHost(host: HostSummary): void;
  setReconnecting(hostId: string, busy: boolean): void;
}

/** Same content, same object: a host whose summary did not change keeps its identity (memoised rows). */
function keepUnchanged(previous: readonly HostSummary[], next: HostSummary[]): HostSummary[] {
  const before = new Map(previous.map((host) => [host.id, host]));
  return next.map((host) => {
    const old = before.get(host.id);
    return old && JSON.stringify(old) === JSON.stringify(host) ? old : host;
  });
}

export const useHostsStore = create<HostsState>()((set) => ({
  hosts: [],
  reconnecting: {},
  setHosts: (hosts) => set((state) => ({ hosts: keepUnchanged(state.hosts, hosts) })),
  upsertHost: (host) =>
    set((state) => {
      const index = state.hosts.findIndex((existing) => existing.id === host.id);
      if (index < 0) return { hosts: [...state.hosts, host] };
      const hosts = state.hosts.slice();
      hosts[index] = host;
      return { hosts };
    }),
  setReconnecting: (hostId, busy) =>
    set((state) => ({ reconnecting: { ...state.reconnecting, [hostId]: busy } })),
}));

export function findHost(hosts: readonly HostSummary[], hostId: string): HostSummary | undefined {
  return hosts.find((host) => host.id === hostId);
}
