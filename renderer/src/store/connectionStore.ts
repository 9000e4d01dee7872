/** The link to main: the client once connected, AppInfo, and how start-up went. */
import { create } from 'zustand';
import type { AppInfo, ContractClient } from '../../../preload/contract.js';
import type { ErrorInfo } from '../errors/errorInfo.js';

export type StartupPhase = 'starting' | 'ready' | 'failed';

interface ConnectionState {
  phase: StartupPhase;
  /** The last start-up failure; kept while a retry runs so the error screen stays put. */
  startupError: ErrorInfo | null;
  client: ContractClient | null;
  appInfo: AppInfo | null;
  /** The link to the VirtDeck service dropped after start-up (web mode: the WebSocket closed). */
  transportLost: boolean;
  setStarting(): void;
  setReady(client: ContractClient, appInfo: AppInfo): void;
  setFailed(error: ErrorInfo): void;
  setTransportLost(): void;
}

export const useConnectionStore = create<ConnectionState>()((set) => ({
  phase: 'starting',
  startupError: null,
  client: null,
  appInfo: null,
  transportLost: false,
  setStarting: () => set({ phase: 'starting' }),
  setReady: (client, appInfo) => set({ phase: 'ready', client, appInfo, startupError: null, transportLost: false }),
  setFailed: (error) => set({ phase: 'failed', startupError: error, client: null }),
  setTransportLost: () => set((state) => (state.phase === 'ready' && !state.transportLost ? { transportLost: true } : {})),
}));

/** The client for service code; throws if called before start-up finished. */
export function requireClient(): ContractClient {
  const client = useConnectionStore.getState().client;
  if (!client) throw new Error('VirtDeck is not connected yet');
  return client;
}
