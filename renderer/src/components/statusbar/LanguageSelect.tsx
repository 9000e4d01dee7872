import type { Language } from '../../../../preload/contract.js';
import { useLanguage, useT } from '../../i18n/useT.js';
import { updateSettings } from '../../services/settingsUpdate.js';
import { useSettingsStore } from '../../store/settingsStore.js';

const languages: readonly Language[] = ['en', 'zh-CN'];
const SYSTEM = 'system';

interface LanguageSelectProps {
  testId?: string;
  id?: string;
  /** Offer "Follow the system" (settings.language = null) as well. */
  allowSystem?: boolean;
}

/** Picks the UI language; the choice is saved in settings. Names are in their own language. */
export function LanguageSelect({ testId, id, allowSystem }: LanguageSelectProps) {
  const t = useT();
  const language = useLanguage();
  const chosen = useSettingsStore((state) => state.settings?.language ?? null);
  const value = allowSystem && chosen === null ? SYSTEM : language;
  return (
    <select
      id={id}
      className="select"
      data-testid={testId}
      aria-label={t('statusbar.language')}
      title={t('statusbar.language')}
      value={value}
      onChange={(event) => {
        const next = event.target.value;
        void updateSettings({ language: next === SYSTEM ? null : (next as Language) });
      }}
    >
      {allowSystem && <option value={SYSTEM}>{t('language.system')}</option>}
      {languages.map((option) => (
        <option key={option} value={option}>
          {t(`language.${option}`)}
        </option>
      ))}
    </select>
  );
}
