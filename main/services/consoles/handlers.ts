/** `vm.console.info`: which consoles a VM offers, before the renderer opens one. */
import type { consoleCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { readDomainConsoles } from '../../libvirt/domainConsoles.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import type { HostService } from '../hosts/hostService.js';

export function consoleHandlers(hosts: HostService): HandlersOf<typeof consoleCalls> {
  return {
    'vm.console.info': async ({ hostId, name }) => {
      const consoles = await withLibvirtErrors(() => readDomainConsoles(hosts.get(hostId).libvirt(), name));
      const vnc = consoles.vnc;
      return {
        running: consoles.running,
        ...(vnc
          ? {
              vnc: {
                reachable: consoles.running && vnc.endpoint !== undefined,
                transport: vnc.endpoint?.kind ?? 'none',
                ...(vnc.password === undefined ? {} : { password: vnc.password }),
              },
            }
          : {}),
        spice: consoles.spice,
        serial: consoles.serial,
      };
    },
  };
}
