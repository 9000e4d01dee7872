/** The overview tab: every host with its status and VM counts, or the empty state. */
import { useMemo } from 'react';
import { useT } from '../../i18n/useT.js';
import { formatShortcut } from '../../shortcuts/formatShortcut.js';
import { useIsMac } from '../../shortcuts/useIsMac.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { Icon } from '../common/Icon.js';
import { EmptyState } from './EmptyState.js';
import { HostCard } from './HostCard.js';
import '../common/details.css';

export function WelcomeView() {
  const t = useT();
  const isMac = useIsMac();
  const hosts = useHostsStore((state) => state.hosts);
  const byHost = useInventoryStore((state) => state.byHost);
  const openTab = useUiStore((state) => state.openTab);
  const openDialog = useUiStore((state) => state.openDialog);
  const vmTotal = useMemo(() => hosts.reduce((sum, host) => sum + (byHost[host.id]?.vms.length ?? 0), 0), [hosts, byHost]);
  if (hosts.length === 0) return <EmptyState />;
  const vmListTitle = `${t('vmList.title')} (${formatShortcut('vmList', isMac)})`;
  return (
    <div className="page" data-testid="welcome">
      <header className="page-header">
        <div className="page-title-row">
          <h1 className="page-title">{t('welcome.title')}</h1>
          <div className="page-actions">
            <button type="button" className="button" data-testid="open-vm-list" title={vmListTitle} onClick={() => openTab({ kind: 'vm-list' })}>
              <Icon name="list" size={14} />
              {t('vmList.openWithCount', { count: vmTotal })}
            </button>
            <button type="button" className="button button-primary" data-testid="welcome-add-host" onClick={() => openDialog('host-editor')}>
              <Icon name="plus" size={14} />
              {t('hosts.addEllipsis')}
            </button>
          </div>
        </div>
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
