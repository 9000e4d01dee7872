/**
 * Notices when the link to the VirtDeck service itself is gone (not a host: the service).
 * The web transport reports a closed WebSocket through onDisconnect, and any call can fail
 * with `transport-closed`; either way the window shows the "lost the connection" banner.
 */
import { ContractError, type ContractClient } from '../../../preload/contract.js';
import { useConnectionStore } from '../store/connectionStore.js';

interface DisconnectAware {
  onDisconnect(listener: () => void): () => void;
}

function isDisconnectAware(client: object): client is DisconnectAware {
  return typeof (client as Partial<DisconnectAware>).onDisconnect === 'function';
}

export function isTransportClosed(error: unknown): boolean {
  return error instanceof ContractError ? error.code === 'transport-closed' : (error as { code?: unknown } | null)?.code === 'transport-closed';
}

/** The same client, reporting a lost transport to the connection store. */
export function watchTransport(client: ContractClient): { client: ContractClient; dispose(): void } {
  const lost = (): void => useConnectionStore.getState().setTransportLost();
  const off = isDisconnectAware(client) ? client.onDisconnect(lost) : () => undefined;
  const watched: ContractClient = {
    mode: client.mode,
    call: async (name, args) => {
      try {
        return await client.call(name, args);
      } catch (error) {
        if (isTransportClosed(error)) lost();
        throw error;
      }
    },
    on: (name, listener) => client.on(name, listener),
    openStream: (name, args) => client.openStream(name, args),
  };
  return { client: watched, dispose: off };
}
