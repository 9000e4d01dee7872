import { useEffect } from 'react';
import { useT } from './useT.js';

/** Keeps <html lang> and the window title in the current language. */
export function useDocumentLanguage(): void {
  const t = useT();
  useEffect(() => {
    document.documentElement.lang = t.language;
    document.title = t('app.name');
  }, [t]);
}
