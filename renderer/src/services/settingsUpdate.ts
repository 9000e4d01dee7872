import type { Settings } from '../../../preload/contract.js';
import { toErrorInfo } from '../errors/errorInfo.js';
import { useConnectionStore } from '../store/connectionStore.js';
import { useSettingsStore } from '../store/settingsStore.js';
import { useToastStore } from '../store/toastStore.js';

/** Applies a settings change at once and persists it through main. */
export async function updateSettings(patch: Partial<Settings>): Promise<void> {
  useSettingsStore.getState().patchSettings(patch);
  const client = useConnectionStore.getState().client;
  if (!client) return;
  try {
    useSettingsStore.getState().setSettings(await client.call('settings.set', patch));
  } catch (error) {
    useToastStore.getState().showError('settings.saveFailed', toErrorInfo(error));
  }
}
