/**
 * Builds every main-process service and the contract registry that serves them. Both the
 * Electron entry (main/electron) and web mode (main/web) call this and only add a transport.
 */
import type { Registry } from './core/registry.js';
import type { HostService } from './services/hosts/hostService.js';
import type { SecretVault } from './services/secrets/secretVault.js';
import type { TaskService } from './services/tasks/taskService.js';

export interface AppOptions {
  mode: 'electron' | 'web';
  /** Directory for settings and host profiles (Electron: app.getPath('userData')). */
  configDir: string;
  /** Versions to show in the About dialog (Electron adds electron/chrome). */
  versions: Record<string, string>;
  /** System locale as BCP 47, e.g. "en-US" or "zh-CN". */
  systemLocale: string;
  /** Where remembered secrets go; web mode has none (nothing is stored). */
  secretVault?: SecretVault;
  /** The user's known_hosts (default ~/.ssh/known_hosts); tests point it elsewhere. */
  userKnownHosts?: string;
  /** The ssh config to import from (default ~/.ssh/config). */
  sshConfigPath?: string;
  /** Desktop only: a native file dialog for importing from another ssh config file. */
  chooseSshConfigFile?: () => Promise<string | undefined>;
}

export interface App {
  registry: Registry;
  /** The services behind the registry, for the desktop shell and for tests that drive them directly. */
  services: AppServices;
  dispose(): Promise<void>;
}

export interface AppServices {
  hosts: HostService;
  tasks: TaskService;
}

export { createApp } from './services/createApp.js';
