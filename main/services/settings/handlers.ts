/** `app.*` and `settings.*`: who the app is, and the user's settings. */
import { arch, platform } from 'node:os';
import type { appCalls } from '../../../preload/contract.js';
import { packageInfo } from '../../core/appRoot.js';
import type { HandlersOf } from '../../core/registry.js';
import type { HostService } from '../hosts/hostService.js';
import type { SettingsStore } from './settingsStore.js';

export interface AppIdentity {
  mode: 'electron' | 'web';
  versions: Record<string, string>;
  systemLocale: string;
}

export function appHandlers(identity: AppIdentity, settings: SettingsStore, hosts: HostService): HandlersOf<typeof appCalls> {
  return {
    'app.info': async () => ({
      name: packageInfo.productName,
      version: packageInfo.version,
      mode: identity.mode,
      platform: platform(),
      arch: arch(),
      versions: { ...identity.versions, ...libvirtVersion(hosts.list()) },
      systemLocale: identity.systemLocale,
    }),
    'settings.get': async () => settings.get(),
    'settings.set': async (patch) => settings.set(patch),
  };
}

function libvirtVersion(summaries: { libvirtVersion?: string }[]): Record<string, string> {
  const version = summaries.find((summary) => summary.libvirtVersion)?.libvirtVersion;
  return version ? { libvirt: version } : {};
}
