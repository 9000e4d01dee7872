/** Hardware and software facts of each host (hosts.details), read when its tab opens. */
import { create } from 'zustand';
import type { HostDetails } from '../../../preload/contract.js';
import type { ErrorInfo } from '../errors/errorInfo.js';

interface HostDetailsState {
  byHost: Record<string, HostDetails>;
  loading: Record<string, boolean>;
  errors: Record<string, ErrorInfo | undefined>;
  setDetails(details: HostDetails): void;
  setLoading(hostId: string, loading: boolean): void;
  setError(hostId: string, error: ErrorInfo | undefined): void;
}

export const useHostDetailsStore = create<HostDetailsState>()((set) => ({
  byHost: {},
  loading: {},
  errors: {},
  setDetails: (details) =>
    set((state) => ({
      byHost: { ...state.byHost, [details.hostId]: details },
      errors: { ...state.errors, [details.hostId]: undefined },
    })),
  setLoading: (hostId, loading) => set((state) => ({ loading: { ...state.loading, [hostId]: loading } })),
  setError: (hostId, error) => set((state) => ({ errors: { ...state.errors, [hostId]: error } })),
}));
