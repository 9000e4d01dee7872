/** Shown instead of the overview when main knows no hosts at all. */
import { useT } from '../../i18n/useT.js';
import { formatShortcut } from '../../shortcuts/formatShortcut.js';
import { useIsMac } from '../../shortcuts/useIsMac.js';
import { useUiStore } from '../../store/uiStore.js';
import { Icon } from '../common/Icon.js';
import './hosts.css';

export function EmptyState() {
  const t = useT();
  const isMac = useIsMac();
  const openDialog = useUiStore((state) => state.openDialog);
  return (
    <div className="empty-state" data-testid="empty-state">
      <div className="empty-state-icon">
        <Icon name="server" size={36} />
      </div>
      <h1>{t('empty.title')}</h1>
      <p className="empty-state-body">{t('empty.body')}</p>
      <div className="empty-state-actions">
        <button type="button" className="button button-primary" data-testid="empty-add-host" onClick={() => openDialog('host-editor')}>
          <Icon name="plus" size={14} />
          {t('hosts.addEllipsis')}
        </button>
        <button type="button" className="button" data-testid="empty-import" onClick={() => openDialog('import-ssh-config')}>
          <Icon name="download" size={14} />
          {t('import.open')}
        </button>
      </div>
      <p className="empty-state-shortcut">{t('empty.addShortcut', { shortcut: formatShortcut('addHost', isMac) })}</p>
      <div className="empty-state-hints">
        <section className="hint-card">
          <h2>
            <Icon name="laptop" />
            {t('empty.localHeading')}
          </h2>
          <p>{t('empty.localHint')}</p>
        </section>
        <section className="hint-card">
          <h2>
            <Icon name="server" />
            {t('empty.remoteHeading')}
          </h2>
          <p>{t('empty.remoteHint')}</p>
        </section>
      </div>
    </div>
  );
}
