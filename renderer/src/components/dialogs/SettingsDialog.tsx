import { useT } from '../../i18n/useT.js';
import { LanguageSelect } from '../statusbar/LanguageSelect.js';
import { ThemeSelect } from '../statusbar/ThemeSelect.js';
import { Dialog } from './Dialog.js';

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  return (
    <Dialog title={t('settings.title')} onClose={onClose} testId="settings-dialog" size="small">
      <div className="form-grid">
        <label htmlFor="settings-language">{t('settings.language')}</label>
        <LanguageSelect id="settings-language" testId="settings-language" allowSystem />
        <p className="form-hint">{t('settings.languageHint')}</p>
        <label htmlFor="settings-theme">{t('settings.theme')}</label>
        <ThemeSelect id="settings-theme" testId="settings-theme" />
      </div>
    </Dialog>
  );
}
