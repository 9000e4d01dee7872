/** Byte streams of the contract and what opens each. */
import type { StreamHandlers } from '../../core/registry.js';
import type { HostService } from '../hosts/hostService.js';
import { openVirshShell } from './virshShellStream.js';

export function streamHandlers(hosts: HostService): StreamHandlers {
  return {
    'host.virshShell': async ({ hostId }) => {
      const host = hosts.get(hostId);
      host.requireSession();
      return openVirshShell(host.runner, host.getSummary().uri, host.virsh);
    },
  };
}
