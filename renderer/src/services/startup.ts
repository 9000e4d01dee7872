/**
 * Start-up: connect, read app info, settings, hosts and tasks, subscribe to events, then read
 * the inventory of every connected host. Any failure before the window can work shows the
 * full-window error with Retry (which calls this again).
 */
import { toErrorInfo } from '../errors/errorInfo.js';
import { exposeForAutomation } from '../transport/automationHandle.js';
import { connectTransport } from '../transport/index.js';
import { useConnectionStore } from '../store/connectionStore.js';
import { useProfilesStore } from '../store/profilesStore.js';
import { usePromptsStore } from '../store/promptsStore.js';
import { useSettingsStore } from '../store/settingsStore.js';
import { useTasksStore } from '../store/tasksStore.js';
import { applyHostList, subscribeToEvents } from './eventSubscriptions.js';
import { watchTransport } from './transportWatch.js';

let unsubscribe: (() => void) | null = null;
let starting: Promise<void> | null = null;

async function start(): Promise<void> {
  useConnectionStore.getState().setStarting();
  unsubscribe?.();
  unsubscribe = null;
  let watched: ReturnType<typeof watchTransport> | null = null;
  try {
    watched = watchTransport(await connectTransport());
    const client = watched.client;
    // All in one round trip. Tasks, profiles and waiting questions are niceties: a failure
    // there must not keep the window from opening (events bring them in later).
    const [info, settings, hosts, tasks, profiles, prompts] = await Promise.all([
      client.call('app.info', {}),
      client.call('settings.get', {}),
      client.call('hosts.list', {}),
      client.call('tasks.list', {}).catch(() => []),
      client.call('profiles.list', {}).catch(() => []),
      client.call('prompts.list', {}).catch(() => []),
    ]);
    // In web mode the person sits at the browser, whose language may differ from the server's.
    const browserLocale = typeof navigator === 'undefined' ? '' : navigator.language;
    useSettingsStore.getState().setSystemLocale(info.mode === 'web' && browserLocale ? browserLocale : info.systemLocale);
    useSettingsStore.getState().setSettings(settings);
    useTasksStore.getState().setTasks(tasks);
    useProfilesStore.getState().setProfiles(profiles);
    usePromptsStore.getState().setPrompts(prompts);
    useConnectionStore.getState().setReady(client, info);
    exposeForAutomation(client);
    const offEvents = subscribeToEvents(client);
    const offTransport = watched.dispose;
    unsubscribe = () => {
      offEvents();
      offTransport();
    };
    applyHostList(hosts, true);
  } catch (error) {
    watched?.dispose();
    unsubscribe?.();
    unsubscribe = null;
    useConnectionStore.getState().setFailed(toErrorInfo(error));
  }
}

/** Starts (or retries) the connection; concurrent calls share one attempt. */
export function startApp(): Promise<void> {
  starting ??= start().finally(() => {
    starting = null;
  });
  return starting;
}
