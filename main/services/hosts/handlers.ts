/** `hosts.*` and `inventory.*`: the hosts in the tree and what they hold. */
import type { hostCalls, inventoryCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { readHostDetails } from '../../libvirt/hostDetails.js';
import type { HostService } from './hostService.js';

export function hostHandlers(hosts: HostService): HandlersOf<typeof hostCalls & typeof inventoryCalls> {
  return {
    'hosts.list': async () => hosts.list(),
    'hosts.reconnect': async ({ hostId }) => {
      await hosts.reconnect(hostId);
      return null;
    },
    'hosts.forgetHostKey': async ({ hostId }) => {
      await hosts.forgetHostKey(hostId);
      return null;
    },
    'hosts.details': async ({ hostId }) => readHostDetails(hosts.get(hostId).requireSession(), hostId),
    'inventory.get': async ({ hostId }) => hosts.inventory(hostId),
  };
}
