import type { ThemePreference } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { updateSettings } from '../../services/settingsUpdate.js';
import { useSettingsStore } from '../../store/settingsStore.js';

const themes: readonly ThemePreference[] = ['system', 'light', 'dark'];

export function ThemeSelect({ testId, id }: { testId?: string; id?: string }) {
  const t = useT();
  const theme = useSettingsStore((state) => state.settings?.theme ?? 'system');
  return (
    <select
      id={id}
      className="select"
      data-testid={testId}
      aria-label={t('statusbar.theme')}
      title={t('statusbar.theme')}
      value={theme}
      onChange={(event) => void updateSettings({ theme: event.target.value as ThemePreference })}
    >
      {themes.map((value) => (
        <option key={value} value={value}>
          {t(`theme.${value}`)}
        </option>
      ))}
    </select>
  );
}
