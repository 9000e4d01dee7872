import type { Language } from '../../../preload/contract.js';

/** Maps a BCP 47 tag to a language we ship: any Chinese → zh-CN, everything else → en. */
export function languageFromLocale(locale: string | undefined | null): Language {
  return locale && locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The language to show: the one chosen in settings, else the system's. */
export function resolveLanguage(chosen: Language | null | undefined, systemLocale: string | undefined): Language {
  return chosen ?? languageFromLocale(systemLocale);
}
