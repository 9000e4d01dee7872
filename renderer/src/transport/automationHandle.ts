/**
 * Web mode hands the page's own contract client to automation (Playwright tests and
 * benchmarks drive streams and calls through exactly the code the UI uses) as
 * `window.virtdeckClient`. It gives a script nothing the page does not already have, and the
 * strict CSP lets no foreign script run in the page. Electron has no such handle.
 */
import type { ContractClient } from '../../../preload/contract.js';

export function exposeForAutomation(client: ContractClient): void {
  if (client.mode !== 'web') return;
  Object.defineProperty(window, 'virtdeckClient', { value: client, configurable: true, enumerable: false, writable: false });
}
