/** Wires main's services into one contract registry. */
import { arch, platform } from 'node:os';
import type { App, AppOptions } from '../app.js';
import { packageInfo } from '../core/appRoot.js';
import { Registry, type CallHandlers, type StreamHandlers } from '../core/registry.js';
import { HostKeyTrust } from './hostKeyTrust.js';
import { HostService } from './hostService.js';
import { ProfileStore } from './profileStore.js';
import { PromptBroker } from './promptBroker.js';
import { noVault } from './secretVault.js';
import { SettingsStore } from './settingsStore.js';
import { TaskService } from './taskService.js';
import { openVirshShell } from './virshShellStream.js';
import { readHostDetails } from '../libvirt/hostDetails.js';
import { previewSshConfigImport } from './sshConfigImport.js';
import { StatsPoller } from './statsPoller.js';
import { watchLiveEvents } from './liveEvents.js';

export interface CreateAppOverrides {
  /** Tests limit the embedded hosts and shorten the reconnect schedule. */
  includeLocal?: boolean;
  includeDemo?: boolean;
  virshPath?: string;
  retry?: { baseMs: number; capMs: number };
}

export async function createApp(options: AppOptions, overrides: CreateAppOverrides = {}): Promise<App> {
  const settings = new SettingsStore(options.configDir);
  await settings.load();

  // Services emit through the registry, which is built below; nothing emits before then.
  const emit: Registry['emit'] = (name, payload) => registry.emit(name, payload);
  const tasks = new TaskService((task) => emit('task.changed', task));
  const vault = options.secretVault ?? noVault;

  const prompts = new PromptBroker(
    (prompt) => {
      hosts.find(prompt.hostId)?.setStatus('awaiting-user');
      emit('prompt.opened', prompt);
    },
    (prompt) => {
      emit('prompt.closed', { promptId: prompt.promptId });
      const host = hosts.find(prompt.hostId);
      if (host?.getSummary().status === 'awaiting-user') host.setStatus('connecting');
    },
  );
  const trust = new HostKeyTrust({ configDir: options.configDir, userKnownHosts: options.userKnownHosts });

  const hosts = new HostService(
    {
      ...overrides,
      ssh: { trust, prompts, vault, sessionSecrets: new Map() },
      onHostChanged: (summary) => emit('host.changed', summary),
      onHostsChanged: (summaries) => emit('hosts.changed', summaries),
      onInventory: (inventory) => emit('inventory.changed', inventory),
      onConnected: (host, link, _session, owned) => {
        // The demo's test driver lives inside one virsh: another process sees none of its events.
        if (host.getSummary().kind === 'demo') return;
        watchLiveEvents(host, link.runner, owned);
      },
    },
    tasks,
  );

  const stats = new StatsPoller(hosts, (hostId, list, sampledAt) => emit('stats.changed', { hostId, stats: list, sampledAt }));

  const profiles = new ProfileStore(options.configDir, (list) => {
    emit('profiles.changed', list);
    hosts.syncProfiles(list);
  });
  await profiles.load();

  const callHandlers: CallHandlers = {
    'app.info': async () => ({
      name: packageInfo.productName,
      version: packageInfo.version,
      mode: options.mode,
      platform: platform(),
      arch: arch(),
      versions: { ...options.versions, ...libvirtVersion(hosts.list()) },
      systemLocale: options.systemLocale,
    }),
    'settings.get': async () => settings.get(),
    'settings.set': async (patch) => settings.set(patch),
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
    'vm.action': async ({ hostId, name, action }) => {
      await hosts.vmAction(hostId, name, action);
      return null;
    },
    'tasks.list': async () => tasks.list(),
    'tasks.cancel': async ({ taskId }) => {
      tasks.cancel(taskId);
      return null;
    },
    'profiles.list': async () => profiles.list(),
    'profiles.create': async ({ fields }) => profiles.create(fields),
    'profiles.update': async ({ id, fields }) => profiles.update(id, fields),
    'profiles.duplicate': async ({ id, label }) => profiles.duplicate(id, label),
    'profiles.remove': async ({ id }) => {
      await profiles.remove(id);
      return null;
    },
    'profiles.importPreview': async ({ path }) =>
      previewSshConfigImport({ path: path ?? options.sshConfigPath, existing: profiles.list() }),
    'profiles.importApply': async ({ candidates }) => profiles.createMany(candidates),
    'prompts.list': async () => prompts.list(),
    'prompts.answer': async ({ promptId, answer }) => {
      prompts.answer(promptId, answer);
      return null;
    },
    'stats.watch': async ({ hostIds }, { clientId }) => {
      stats.watch(clientId, hostIds);
      return null;
    },
  };

  const streamHandlers: StreamHandlers = {
    'host.virshShell': async ({ hostId }) => {
      const host = hosts.get(hostId);
      host.requireSession();
      return openVirshShell(host.runner, host.getSummary().uri, host.virsh);
    },
  };

  const registry = new Registry(callHandlers, streamHandlers);
  registry.onClientGone((clientId) => stats.forget(clientId));
  await hosts.start(profiles.list());

  return {
    registry,
    dispose: async () => {
      stats.dispose();
      hosts.dispose();
    },
  };
}

function libvirtVersion(summaries: { libvirtVersion?: string }[]): Record<string, string> {
  const version = summaries.find((summary) => summary.libvirtVersion)?.libvirtVersion;
  return version ? { libvirt: version } : {};
}
