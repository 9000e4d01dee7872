/** `vm.*`: acting on one VM. */
import type { vmCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { isBlockingAction, runDomainAction } from '../../libvirt/domains.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskService } from '../tasks/taskService.js';

export function vmHandlers(hosts: HostService, tasks: TaskService): HandlersOf<typeof vmCalls> {
  return {
    'vm.action': async ({ hostId, name, action }) => {
      const host = hosts.get(hostId);
      const libvirt = host.libvirt();
      await tasks.run({ titleKey: `task.vm.${action}`, titleParams: { name, host: host.getSummary().label }, hostId, cancellable: isBlockingAction(action) }, async ({ signal }) => {
        try {
          await runDomainAction(libvirt, name, action, { signal });
        } finally {
          // Whatever happened, show the host as it now is.
          await host.refresh().catch(() => undefined);
        }
      });
      return null;
    },
  };
}
