import { useSettingsStore } from '../store/settingsStore.js';
import { resolveLanguage } from './resolveLanguage.js';
import { translatorFor, type Translator } from './translate.js';

/** The translator for the current language, for code outside React components. */
export function currentTranslator(): Translator {
  const { settings, systemLocale } = useSettingsStore.getState();
  return translatorFor(resolveLanguage(settings?.language, systemLocale));
}
