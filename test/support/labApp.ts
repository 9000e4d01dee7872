/**
 * An app (main's services, as web mode and Electron build them) with lab hosts added as SSH
 * profiles the way a user would add them, their keys trusted through the lab's known_hosts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../main/app.js';
import type { CreateAppOverrides } from '../../main/services/createApp.js';
import type { HostProfile, HostProfileFields } from '../../preload/contract.js';
import { labKnownHostsPath, readLabHost } from '../lab/index.js';
import { AppWatcher } from './appEvents.js';

export async function labProfileFields(hostName: string, overrides: Partial<HostProfileFields> = {}): Promise<HostProfileFields> {
  const host = await readLabHost(hostName);
  const jump = host.jumpHost ? await readLabHost(host.jumpHost) : undefined;
  return {
    label: hostName,
    address: host.address,
    port: host.port,
    user: host.user,
    auth: host.auth === 'key' ? 'key' : host.auth,
    keyFile: host.keyFile ?? undefined,
    jumpHosts: jump ? [{ address: jump.address, port: jump.port, user: jump.user, auth: 'key', keyFile: jump.keyFile ?? '' }] : [],
    uri: host.libvirtUri,
    sudo: false,
    folder: '',
    tags: [],
    rememberSecret: false,
    ...overrides,
  };
}

export interface LabApp {
  app: App;
  watch: AppWatcher;
  /** Adds a lab host as a profile and waits until it is connected; returns its host id. */
  addHost(hostName: string, overrides?: Partial<HostProfileFields>): Promise<string>;
  close(): Promise<void>;
}

export interface LabAppOptions {
  /** The user's known_hosts (default: the lab's, so every lab key is trusted). */
  userKnownHosts?: string;
  /** The reconnect schedule (tests shorten it so whatever a retry does happens in the test). */
  retry?: { baseMs: number; capMs: number };
  /** The new-VM wizard's test hook (a define step made to fail). */
  installTestHooks?: CreateAppOverrides['installTestHooks'];
}

export async function startLabApp(options: LabAppOptions = {}): Promise<LabApp> {
  const dir = await mkdtemp(join(tmpdir(), 'vd-labapp-'));
  const app = await createApp(
    { mode: 'web', configDir: dir, versions: {}, systemLocale: 'en', userKnownHosts: options.userKnownHosts ?? labKnownHostsPath() },
    { includeLocal: false, includeDemo: false, ...(options.retry ? { retry: options.retry } : {}), ...(options.installTestHooks ? { installTestHooks: options.installTestHooks } : {}) },
  );
  const watch = new AppWatcher(app);
  return {
    app,
    watch,
    addHost: async (hostName, overrides = {}) => {
      const profile = (await app.registry.call('profiles.create', { fields: await labProfileFields(hostName, overrides) })) as HostProfile;
      await watch.waitForStatus(profile.id, 'connected', 60_000);
      return profile.id;
    },
    close: async () => {
      watch.dispose();
      await app.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
