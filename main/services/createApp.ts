/** Wires main's services into one contract registry. */
import { arch, platform } from 'node:os';
import type { App, AppOptions } from '../app.js';
import { packageInfo as packageJson } from '../core/appRoot.js';
import { Registry, type CallHandlers, type StreamHandlers } from '../core/registry.js';
import { localRunner } from '../connection/localRunner.js';
import { HostService } from './hostService.js';
import { SettingsStore } from './settingsStore.js';
import { TaskService } from './taskService.js';
import { openVirshShell } from './virshShellStream.js';


export interface CreateAppOverrides {
  /** Tests point these at fakes or limit the embedded hosts. */
  includeLocal?: boolean;
  includeDemo?: boolean;
  virshPath?: string;
}

export async function createApp(options: AppOptions, overrides: CreateAppOverrides = {}): Promise<App> {
  const settings = new SettingsStore(options.configDir);
  await settings.load();

  // Services emit through the registry, which is built below; nothing emits before then.
  const emit: Registry['emit'] = (name, payload) => registry.emit(name, payload);
  const tasks = new TaskService((task) => emit('task.changed', task));
  const hosts = new HostService(
    {
      ...overrides,
      onHostChanged: (summary) => emit('host.changed', summary),
      onHostsChanged: (summaries) => emit('hosts.changed', summaries),
      onInventory: (inventory) => emit('inventory.changed', inventory),
    },
    tasks,
  );

  const callHandlers: CallHandlers = {
    'app.info': async () => ({
      name: packageJson.productName,
      version: packageJson.version,
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
  };

  const streamHandlers: StreamHandlers = {
    'host.virshShell': async ({ hostId }) => {
      const host = hosts.get(hostId);
      host.requireSession();
      return openVirshShell(localRunner, host.getSummary().uri, overrides.virshPath);
    },
  };

  const registry = new Registry(callHandlers, streamHandlers);
  await hosts.start();

  return {
    registry,
    dispose: async () => {
      hosts.dispose();
    },
  };
}

function libvirtVersion(summaries: { libvirtVersion?: string }[]): Record<string, string> {
  const version = summaries.find((summary) => summary.libvirtVersion)?.libvirtVersion;
  return version ? { libvirt: version } : {};
}
