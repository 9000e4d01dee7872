import { useSettingsStore } from '../store/settingsStore.js';
import { translatorFor, type Translator } from './translate.js';
import { resolveLanguage } from './resolveLanguage.js';
import type { Language } from '../../../preload/contract.js';

/** The language the UI is shown in right now. */
export function useLanguage(): Language {
  return useSettingsStore((state) => resolveLanguage(state.settings?.language, state.systemLocale));
}

/** `t(key, params?)` bound to the current language; re-renders the caller when it changes. */
export function useT(): Translator {
  return translatorFor(useLanguage());
}
