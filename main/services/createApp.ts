/**
 * Wires main's services into one contract registry. Each feature registers its own handlers
 * (services/<feature>/handlers.ts); this file only builds the services they share.
 */
import { join } from 'node:path';
import type { App, AppOptions } from '../app.js';
import { Registry, type CallHandlers } from '../core/registry.js';
import { advisorHandlers } from './advisor/handlers.js';
import { AdvisorService } from './advisor/advisorService.js';
import { diagnosticsHandlers } from './diagnostics/handlers.js';
import { hostHandlers } from './hosts/handlers.js';
import { HostKeyTrust } from './hosts/hostKeyTrust.js';
import { HostService } from './hosts/hostService.js';
import { watchLiveEvents } from './hosts/liveEvents.js';
import { profileHandlers } from './profiles/handlers.js';
import { ImportFiles } from './profiles/importFiles.js';
import { ProfileStore } from './profiles/profileStore.js';
import { promptHandlers } from './prompts/handlers.js';
import { PromptBroker } from './prompts/promptBroker.js';
import { noVault } from './secrets/secretVault.js';
import { appHandlers } from './settings/handlers.js';
import { SettingsStore } from './settings/settingsStore.js';
import { streamHandlers } from './streams/handlers.js';
import { storageHandlers, storageStreamHandlers } from './storage/handlers.js';
import { statsHandlers } from './stats/handlers.js';
import { StatsPoller } from './stats/statsPoller.js';
import { taskHandlers } from './tasks/handlers.js';
import { TaskHistoryFile } from './tasks/taskHistoryFile.js';
import { TaskService } from './tasks/taskService.js';
import { vmHandlers } from './vms/handlers.js';
import { vmManageHandlers } from './vmManage/handlers.js';
import { migrationHandlers } from './migration/handlers.js';
import { networkHandlers } from './networks/handlers.js';
import { vmDetailsHandlers } from './vmDetails/handlers.js';
import { vmSettingsHandlers } from './vmSettings/handlers.js';
import { consoleHandlers } from './consoles/handlers.js';
import { hostInterfacesHandlers } from './hostInterfaces/handlers.js';
import { installHandlers } from './install/handlers.js';
import { InstallWatcher } from '../install/installWatcher.js';
import type { CreateTestHooks } from '../install/createRun.js';

export interface CreateAppOverrides {
  /** Tests limit the embedded hosts and shorten the reconnect schedule. */
  includeLocal?: boolean;
  includeDemo?: boolean;
  virshPath?: string;
  retry?: { baseMs: number; capMs: number };
  /** Integration tests of the new-VM wizard: a change to the final definition (a define that fails). */
  installTestHooks?: CreateTestHooks;
}

export async function createApp(options: AppOptions, overrides: CreateAppOverrides = {}): Promise<App> {
  const settings = new SettingsStore(options.configDir);
  await settings.load();

  // Services emit through the registry, which is built below; nothing emits before then.
  const emit: Registry['emit'] = (name, payload) => registry.emit(name, payload);
  const tasks = new TaskService((task) => emit('task.changed', task), new TaskHistoryFile(options.configDir));
  await tasks.load();
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
    (prompt) => hosts.find(prompt.hostId)?.setStatus('awaiting-user'),
  );
  const trust = new HostKeyTrust({ configDir: options.configDir, userKnownHosts: options.userKnownHosts });

  const { installTestHooks, ...hostOverrides } = overrides;
  // Follows the inventory's changes; reaches the hosts only when an install ends.
  const installWatcher = new InstallWatcher((id) => hosts.get(id).libvirt(), tasks, async (id) => void (await hosts.get(id).refresh()));
  const hosts = new HostService({
    ...hostOverrides,
    demoDir: join(options.configDir, 'demo'),
    ssh: { trust, prompts, vault, sessionSecrets: new Map() },
    onHostChanged: (summary) => {
      emit('host.changed', summary);
      advisor.hostChanged(summary.id);
    },
    onHostsChanged: (summaries) => emit('hosts.changed', summaries),
    onInventory: (change) => {
      emit('inventory.changed', change);
      installWatcher.inventoryChanged(change);
      advisor.hostChanged(change.hostId);
    },
    onConnected: (host, link, _session, owned) => {
      // A test driver (the demo, or a host's test:///file) lives inside one virsh: another
      // process sees none of its events, and would only load the whole node file again.
      const summary = host.getSummary();
      if (summary.kind === 'demo' || summary.uri.startsWith('test:')) return;
      watchLiveEvents(host, link.runner, owned);
    },
  });

  // Recomputes from what the hosts hold as their inventories change; reads each host's facts once.
  const advisor = new AdvisorService(hosts, settings, (payload) => emit('advisor.changed', payload));

  const stats = new StatsPoller(hosts, (hostId, list, sampledAt) => emit('stats.changed', { hostId, stats: list, sampledAt }));

  const profiles = new ProfileStore(options.configDir, (list) => {
    emit('profiles.changed', list);
    hosts.syncProfiles(list);
  });
  await profiles.load();

  const vmSettings = vmSettingsHandlers(hosts, tasks);
  const callHandlers: CallHandlers = {
    ...appHandlers(options, settings, hosts),
    ...hostHandlers(hosts),
    ...vmHandlers(hosts, tasks),
    ...vmManageHandlers(hosts, tasks),
    ...migrationHandlers(hosts, tasks, emit),
    ...networkHandlers(hosts, tasks),
    ...vmDetailsHandlers(hosts),
    ...consoleHandlers(hosts),
    ...storageHandlers(hosts, tasks),
    ...hostInterfacesHandlers(hosts, tasks),
    ...installHandlers(hosts, tasks, installWatcher, installTestHooks),
    ...vmSettings,
    ...advisorHandlers(advisor, hosts, tasks, vmSettings),
    ...taskHandlers(tasks),
    ...profileHandlers(profiles, new ImportFiles(options.sshConfigPath, options.chooseSshConfigFile), { afterRemove: (id) => hosts.forgetSecrets(id) }),
    ...promptHandlers(prompts),
    ...statsHandlers(stats),
    ...diagnosticsHandlers(),
  };

  const registry = new Registry(callHandlers, { ...streamHandlers(hosts), ...storageStreamHandlers(hosts, tasks) }, { validate: process.env.VIRTDECK_VALIDATE_CONTRACT === '1' });
  registry.onClientGone((clientId) => stats.forget(clientId));
  await hosts.start(profiles.list());

  return {
    registry,
    services: { hosts, tasks },
    dispose: async () => {
      // Before the hosts go: a task still running is recorded as running (then: interrupted).
      await tasks.close().catch(() => undefined);
      stats.dispose();
      advisor.dispose();
      hosts.dispose();
    },
  };
}
