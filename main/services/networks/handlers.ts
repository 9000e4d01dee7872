/** `networks.*`: a host's virtual networks — read one as a draft, create, edit, start, stop, delete. */
import { ContractError, networkDraftProblems, type NetworkDraft, type NetworkNamesInUse, type networkCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import type { LibvirtHost } from '../../libvirt/libvirtHost.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import { applyNetworkDraft, newNetworkXml, planLiveNetworkUpdate, readNetworkDraft } from '../../libvirt/networkDraft.js';
import {
  createNetwork,
  defineNetwork,
  deleteNetwork,
  guestsUsingNetwork,
  hostDeviceNames,
  readNetworkState,
  readNetworkXml,
  setNetworkAutostart,
  startNetwork,
  stopNetwork,
  updateRunningNetwork,
} from '../../libvirt/networks.js';
import { NETWORK, NetworkDocument } from '../../libvirt/xml/networkDocument.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskService } from '../tasks/taskService.js';

async function namesInUse(libvirt: LibvirtHost, networks: readonly { name: string; bridge?: string }[]): Promise<NetworkNamesInUse> {
  return { networks: networks.map((network) => ({ name: network.name, ...(network.bridge ? { bridge: network.bridge } : {}) })), devices: await hostDeviceNames(libvirt) };
}

/** The same checks as the form, so a draft the form would refuse never reaches libvirt. */
function refuseProblems(draft: NetworkDraft, inUse: NetworkNamesInUse, editing?: string): void {
  const problems = networkDraftProblems(draft, inUse, editing);
  if (problems.length > 0) {
    throw new ContractError('bad-arguments', `The network cannot be saved: ${problems.map((problem) => `${problem.field} (${problem.code})`).join(', ')}.`);
  }
}

export function networkHandlers(hosts: HostService, tasks: TaskService): HandlersOf<typeof networkCalls> {
  const hostOf = (hostId: string) => {
    const host = hosts.get(hostId);
    return { host, libvirt: host.libvirt(), label: host.getSummary().label };
  };
  /** Work as a task whose end shows the host as it now is. */
  const asTask = <T>(hostId: string, titleKey: string, name: string, work: () => Promise<T>) => {
    const { host, label } = hostOf(hostId);
    return tasks.run({ titleKey, titleParams: { name, host: label }, hostId, cancellable: false }, async () => {
      try {
        return await withLibvirtErrors(work);
      } finally {
        await host.refresh().catch(() => undefined);
      }
    });
  };
  const inventoryNetworks = async (hostId: string) => (await hostOf(hostId).host.getInventory()).networks;

  return {
    'networks.config': ({ hostId, name }) =>
      withLibvirtErrors(async () => {
        const { libvirt } = hostOf(hostId);
        const [state, xml, guests] = await Promise.all([readNetworkState(libvirt, name), readNetworkXml(libvirt, name, { inactive: true }), guestsUsingNetwork(libvirt, name)]);
        const document = NetworkDocument.parse(xml);
        const draft = readNetworkDraft(document, state.autostart);
        return {
          name,
          uuid: document.get(NETWORK.uuid) ?? '',
          active: state.active,
          autostart: state.autostart,
          persistent: state.persistent,
          ...(draft ? { draft } : {}),
          forwardMode: draft?.kind ?? document.get(NETWORK.forwardMode) ?? 'nat',
          ...(state.bridge ? { bridge: state.bridge } : {}),
          guests,
        };
      }),

    'networks.namesInUse': ({ hostId }) => withLibvirtErrors(async () => namesInUse(hostOf(hostId).libvirt, await inventoryNetworks(hostId))),

    'networks.create': async ({ hostId, draft, start }) => {
      const { libvirt } = hostOf(hostId);
      refuseProblems(draft, await withLibvirtErrors(async () => namesInUse(libvirt, await inventoryNetworks(hostId))));
      await asTask(hostId, 'task.network.create', draft.name, () => createNetwork(libvirt, draft.name, newNetworkXml(draft), { start, autostart: draft.autostart }));
      return null;
    },

    'networks.update': async ({ hostId, name, draft }) => {
      const { libvirt } = hostOf(hostId);
      if (draft.name !== name) throw new ContractError('bad-arguments', 'A network cannot be renamed.');
      refuseProblems(draft, await withLibvirtErrors(async () => namesInUse(libvirt, await inventoryNetworks(hostId))), name);
      return asTask(hostId, 'task.network.update', name, async () => {
        const [state, xml] = await Promise.all([readNetworkState(libvirt, name), readNetworkXml(libvirt, name, { inactive: true })]);
        const before = NetworkDocument.parse(xml);
        if (!readNetworkDraft(before, state.autostart)) throw new ContractError('bad-arguments', `The network ${name} is of a kind VirtDeck does not edit; use the XML editor.`);
        const after = NetworkDocument.parse(xml);
        applyNetworkDraft(after, draft);
        await defineNetwork(libvirt, after.toXml());
        if (draft.autostart !== state.autostart) {
          try {
            await setNetworkAutostart(libvirt, name, draft.autostart);
          } catch (error) {
            await defineNetwork(libvirt, xml).catch(() => undefined);
            throw error;
          }
        }
        if (!state.active) return { restartNeeded: false };
        // The running network: its DHCP ranges and fixed leases change now; the rest at its next start.
        const plan = planLiveNetworkUpdate(NetworkDocument.parse(await readNetworkXml(libvirt, name)), after);
        let restartNeeded = plan.restartNeeded;
        for (const update of plan.updates) {
          try {
            await updateRunningNetwork(libvirt, name, update);
          } catch {
            restartNeeded = true;
          }
        }
        return { restartNeeded };
      });
    },

    'networks.start': async ({ hostId, name }) => {
      await asTask(hostId, 'task.network.start', name, () => startNetwork(hostOf(hostId).libvirt, name));
      return null;
    },

    'networks.stop': async ({ hostId, name }) => {
      await asTask(hostId, 'task.network.stop', name, () => stopNetwork(hostOf(hostId).libvirt, name));
      return null;
    },

    'networks.setAutostart': async ({ hostId, name, autostart }) => {
      await withLibvirtErrors(() => setNetworkAutostart(hostOf(hostId).libvirt, name, autostart));
      await hostOf(hostId).host.refresh().catch(() => undefined);
      return null;
    },

    'networks.delete': async ({ hostId, name }) => {
      await asTask(hostId, 'task.network.delete', name, () => deleteNetwork(hostOf(hostId).libvirt, name));
      return null;
    },
  };
}
