import { useEffect } from 'react';
import { useSettingsStore } from '../store/settingsStore.js';
import { resolveTheme } from './resolveTheme.js';

/** Puts data-theme on <html>; with "system" it follows prefers-color-scheme live. */
export function useThemeEffect(): void {
  const preference = useSettingsStore((state) => state.settings?.theme ?? 'system');
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => {
      document.documentElement.dataset.theme = resolveTheme(preference, media.matches);
    };
    apply();
    if (preference !== 'system') return undefined;
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [preference]);
}
