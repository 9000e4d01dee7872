/** Shown instead of the overview when main knows no hosts at all. */
import { useT } from '../../i18n/useT.js';
import { Icon } from '../common/Icon.js';
import './hosts.css';

export function EmptyState() {
  const t = useT();
  return (
    <div className="empty-state" data-testid="empty-state">
      <div className="empty-state-icon">
        <Icon name="server" size={36} />
      </div>
      <h1>{t('empty.title')}</h1>
      <p className="empty-state-body">{t('empty.body')}</p>
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
            <Icon name="plus" />
            {t('empty.remoteHeading')}
          </h2>
          <p>{t('empty.remoteHint')}</p>
        </section>
      </div>
    </div>
  );
}
