/** The overview tab: every host with its status and VM counts, or the empty state. */
import { useT } from '../../i18n/useT.js';
import { formatShortcut } from '../../shortcuts/formatShortcut.js';
import { useIsMac } from '../../shortcuts/useIsMac.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { EmptyState } from './EmptyState.js';
import { HostCard } from './HostCard.js';
import '../common/details.css';

export function WelcomeView() {
  const t = useT();
  const isMac = useIsMac();
  const hosts = useHostsStore((state) => state.hosts);
  const byHost = useInventoryStore((state) => state.byHost);
  if (hosts.length === 0) return <EmptyState />;
  return (
    <div className="page" data-testid="welcome">
      <header className="page-header">
        <h1 className="page-title">{t('welcome.title')}</h1>
        <p className="page-subtitle">{t('welcome.subtitle')}</p>
      </header>
      <section className="page-section">
        <h2 className="section-title">{t('welcome.hostsHeading')}</h2>
        <div className="host-card-grid">
          {hosts.map((host) => (
            <HostCard key={host.id} host={host} inventory={byHost[host.id]} />
          ))}
        </div>
      </section>
      <p className="page-footnote">{t('welcome.shortcutHint', { shortcut: formatShortcut('help', isMac) })}</p>
    </div>
  );
}
