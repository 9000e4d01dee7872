/**
 * `hostnet.*`: the host's interfaces and the bridge assistant. Applying and removing a bridge
 * run as tasks (they take up to the rollback window and reconnect the host).
 */
import { ContractError, type hostInterfacesCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { applyBridge, attachGuest, previewPlan, readHostNet, removeBridge, type BridgeHost } from '../../hostnet/bridgeService.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import type { HostConnection } from '../hosts/hostConnection.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskService } from '../tasks/taskService.js';

export function bridgeHostOf(connection: HostConnection): BridgeHost {
  // The demo hypervisor runs on this computer's own process runner: its "host" is not a machine.
  if (connection.getSummary().kind === 'demo') throw new ContractError('bad-arguments', 'The demo hypervisor has no network interfaces of its own.');
  return {
    runner: () => connection.runner,
    libvirt: () => connection.libvirt(),
    usesSudo: connection.runsThroughSudo,
    reconnect: async () => {
      await connection.connect();
      const status = connection.getSummary().status;
      if (status !== 'connected') throw new ContractError('host-unavailable', `The host is ${status}.`);
    },
  };
}

export function hostInterfacesHandlers(hosts: HostService, tasks: TaskService): HandlersOf<typeof hostInterfacesCalls> {
  const asTask = <T>(hostId: string, titleKey: string, params: Record<string, string>, work: (host: BridgeHost) => Promise<T>) => {
    const connection = hosts.get(hostId);
    const label = connection.getSummary().label;
    return tasks.run({ titleKey, titleParams: { ...params, host: label }, hostId }, async () => {
      try {
        return await work(bridgeHostOf(connection));
      } finally {
        await connection.refresh().catch(() => undefined);
      }
    });
  };
  return {
    'hostnet.interfaces': async ({ hostId }) => (await readHostNet(bridgeHostOf(hosts.get(hostId)))).info,
    'hostnet.bridge.preview': async ({ hostId, plan }) => previewPlan(await readHostNet(bridgeHostOf(hosts.get(hostId))), plan),
    'hostnet.bridge.apply': ({ hostId, plan }) => asTask(hostId, 'hostnet.task.create', { bridge: plan.bridge, iface: plan.iface }, (host) => applyBridge(host, plan)),
    'hostnet.bridge.remove': ({ hostId, bridge, rollbackSeconds }) => asTask(hostId, 'hostnet.task.remove', { bridge }, (host) => removeBridge(host, bridge, rollbackSeconds)),
    'hostnet.guest.attach': async ({ hostId, name, mac, bridge }) => {
      const connection = hosts.get(hostId);
      try {
        return await withLibvirtErrors(() => attachGuest(bridgeHostOf(connection), name, mac, bridge));
      } finally {
        connection.domainRedefined(name);
        await connection.refresh().catch(() => undefined);
      }
    },
  };
}
