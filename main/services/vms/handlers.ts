/** `vm.*`: acting on one VM. */
import type { vmCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { runDomainAction } from '../../libvirt/domains.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskService } from '../tasks/taskService.js';

export function vmHandlers(hosts: HostService, tasks: TaskService): HandlersOf<typeof vmCalls> {
  return {
    'vm.action': async ({ hostId, name, action }) => {
      const host = hosts.get(hostId);
      const session = host.requireSession();
      await tasks.run({ titleKey: `task.vm.${action}`, titleParams: { name, host: host.getSummary().label }, hostId }, async () => {
        try {
          await runDomainAction(session, name, action);
        } finally {
          // Whatever happened, show the host as it now is.
          await host.refresh().catch(() => undefined);
        }
      });
      return null;
    },
  };
}
