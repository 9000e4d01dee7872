import { useT } from '../../i18n/useT.js';
import { formatShortcut } from '../../shortcuts/formatShortcut.js';
import { useIsMac } from '../../shortcuts/useIsMac.js';
import { useConnectionStore } from '../../store/connectionStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { Icon } from '../common/Icon.js';
import { ConnectionSummary } from './ConnectionSummary.js';
import { LanguageSelect } from './LanguageSelect.js';
import { TaskActivity } from './TaskActivity.js';
import { ThemeSelect } from './ThemeSelect.js';
import './statusbar.css';

export function StatusBar() {
  const t = useT();
  const isMac = useIsMac();
  const mode = useConnectionStore((state) => state.appInfo?.mode ?? 'web');
  const openDialog = useUiStore((state) => state.openDialog);
  const shortcutsTitle = `${t('statusbar.shortcuts')} (${formatShortcut('help', isMac)})`;
  const settingsTitle = `${t('settings.title')} (${formatShortcut('settings', isMac)})`;
  return (
    <footer className="status-bar" data-testid="status-bar" aria-label={t('statusbar.label')}>
      <div className="status-group">
        <ConnectionSummary />
        <TaskActivity />
      </div>
      <div className="status-group status-group-end">
        <span className="status-item status-mode" data-testid="transport-mode" title={t(`statusbar.modeTitle.${mode}`)}>
          <Icon name={mode === 'electron' ? 'laptop' : 'globe'} size={13} />
          {t(`statusbar.mode.${mode}`)}
        </span>
        <label className="status-item status-select">
          <Icon name="languages" size={13} />
          <LanguageSelect testId="language-select" />
        </label>
        <label className="status-item status-select">
          <Icon name="contrast" size={13} />
          <ThemeSelect testId="theme-select" />
        </label>
        <button
          type="button"
          className="status-item status-button"
          data-testid="settings-button"
          title={settingsTitle}
          aria-label={settingsTitle}
          onClick={() => openDialog('settings')}
        >
          <Icon name="settings" size={14} />
        </button>
        <button
          type="button"
          className="status-item status-button"
          title={shortcutsTitle}
          aria-label={shortcutsTitle}
          onClick={() => openDialog('shortcuts')}
        >
          <Icon name="keyboard" size={14} />
        </button>
        <button
          type="button"
          className="status-item status-button"
          data-testid="about-button"
          title={t('statusbar.about')}
          aria-label={t('statusbar.about')}
          onClick={() => openDialog('about')}
        >
          <Icon name="help" size={14} />
        </button>
      </div>
    </footer>
  );
}
