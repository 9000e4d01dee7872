/** `vm.*`: acting on one VM, or on many (across hosts) as one task with a log line per VM. */
import { ContractError, DEFAULT_SHUTDOWN_TIMEOUT_S, type VmAction, type VmActionOutcome, type vmCalls, type VmTarget } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { toErrorShape } from '../../core/registry.js';
import { domainActionArgv, isBlockingAction, runDomainAction } from '../../libvirt/domains.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskContext, TaskService } from '../tasks/taskService.js';

/** VMs acted on at once in a bulk action (each host's session runs its commands in order anyway). */
const BULK_PARALLEL = 6;

/**
 * How long a shutdown waits when the caller does not say: DEFAULT_SHUTDOWN_TIMEOUT_S, or
 * VIRTDECK_SHUTDOWN_TIMEOUT_S (whole seconds) where it is set — tests use a short one.
 */
function defaultShutdownTimeoutS(): number {
  const fromEnv = Number(process.env.VIRTDECK_SHUTDOWN_TIMEOUT_S);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_SHUTDOWN_TIMEOUT_S;
}

/** The command line a log shows for an action (argv joined; the name in quotes). */
function commandText(name: string, action: VmAction): string {
  return `virsh ${domainActionArgv(name, action)
    .map((arg) => (arg === name ? JSON.stringify(name) : arg))
    .join(' ')}`;
}

export function vmHandlers(hosts: HostService, tasks: TaskService): HandlersOf<typeof vmCalls> {
  async function act(target: VmTarget, action: VmAction, context: Pick<TaskContext, 'signal' | 'progress'>, shutdownTimeoutS: number): Promise<void> {
    const host = hosts.get(target.hostId);
    try {
      await withLibvirtErrors(() =>
        runDomainAction(host.libvirt(), target.name, action, { signal: context.signal, shutdownTimeoutMs: shutdownTimeoutS * 1000, onProgress: context.progress }),
      );
    } finally {
      // Whatever happened, show the host as it now is.
      await host.refresh().catch(() => undefined);
    }
  }

  return {
    'vm.action': async ({ hostId, name, action, shutdownTimeoutS }) => {
      const host = hosts.get(hostId);
      const timeoutS = shutdownTimeoutS ?? defaultShutdownTimeoutS();
      // Starting a saved VM restores it: the task says so.
      const restores = action === 'start' && (await host.getInventory().catch(() => undefined))?.vms.find((vm) => vm.name === name)?.managedSave === true;
      await tasks.run(
        { titleKey: restores ? 'task.vm.restore' : `task.vm.${action}`, titleParams: { name, host: host.getSummary().label }, hostId, cancellable: isBlockingAction(action) },
        async (context) => {
          context.log(commandText(name, action));
          try {
            await act({ hostId, name }, action, context, timeoutS);
          } catch (error) {
            context.log(error instanceof Error ? error.message : String(error), 'error');
            throw error;
          }
          context.log({ key: 'taskLog.done', level: 'ok' });
        },
      );
      return null;
    },

    'vm.bulkAction': async ({ targets, action, shutdownTimeoutS }) => {
      const timeoutS = shutdownTimeoutS ?? defaultShutdownTimeoutS();
      const outcomes: VmActionOutcome[] = targets.map((target) => ({ ...target, ok: false }));
      const hostLabel = (hostId: string): string => hosts.find(hostId)?.getSummary().label ?? hostId;
      const hostCount = new Set(targets.map((target) => target.hostId)).size;
      await tasks
        .run({ titleKey: `task.bulk.${action}`, titleParams: { count: String(targets.length), hosts: String(hostCount) }, cancellable: true }, async (context) => {
          let next = 0;
          let finished = 0;
          context.progress(0);
          const worker = async (): Promise<void> => {
            while (next < targets.length && !context.signal.aborted) {
              const index = next++;
              const target = targets[index]!;
              const params = { name: target.name, host: hostLabel(target.hostId) };
              try {
                // Each VM's own progress is not the bulk task's: only whole VMs count.
                await act(target, action, { signal: context.signal, progress: () => undefined }, timeoutS);
                outcomes[index] = { ...target, ok: true };
                context.log({ key: 'taskLog.vmDone', params, level: 'ok' });
              } catch (error) {
                const shape = context.signal.aborted ? new ContractError('cancelled', 'Cancelled.').toShape() : toErrorShape(error);
                outcomes[index] = { ...target, ok: false, error: shape };
                context.log({ key: 'taskLog.vmFailed', params: { ...params, message: shape.message }, level: 'error' });
              }
              finished += 1;
              context.progress(finished / targets.length);
            }
          };
          await Promise.all(Array.from({ length: Math.min(BULK_PARALLEL, targets.length) }, worker));
          for (const [index, outcome] of outcomes.entries()) {
            if (!outcome.ok && !outcome.error) outcomes[index] = { ...outcome, error: new ContractError('cancelled', 'Cancelled before it was reached.').toShape() };
          }
          if (context.signal.aborted) throw new ContractError('cancelled', 'Cancelled.');
          const failed = outcomes.filter((outcome) => !outcome.ok).length;
          if (failed > 0) throw new ContractError('libvirt-error', `${failed} of ${targets.length} failed.`);
        })
        // The outcome per VM is the answer; the task itself records the failure.
        .catch(() => undefined);
      return outcomes;
    },
  };
}
