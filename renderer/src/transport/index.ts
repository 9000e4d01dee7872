/**
 * Picks the transport at start-up: the Electron preload bridge when it is there, otherwise
 * web mode's WebSocket on the page's own origin (the token travels as an HttpOnly cookie).
 */
import type { ContractClient } from '../../../preload/contract';
import { ElectronClient, preloadApi } from './electronClient';
import { WebClient } from './webClient';

export async function connectTransport(): Promise<ContractClient> {
  const api = preloadApi();
  if (api) return new ElectronClient(api);
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return WebClient.connect(`${scheme}//${window.location.host}/ws`);
}

export { WebClient } from './webClient';
