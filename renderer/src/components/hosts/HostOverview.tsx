/** A host's tab: status (with remedy), facts, hardware, counts, and lists of its objects. */
import { useState } from 'react';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';
import { useT } from '../../i18n/useT.js';
import { refreshInventory } from '../../services/inventoryRefresh.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { useInstallAvailable } from '../install/installClient.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { belowElement, type MenuPosition } from '../common/Menu.js';
import { Spinner } from '../common/Spinner.js';
import { SectionSwitcher } from '../common/SectionSwitcher.js';
import { StateBadge } from '../common/StateBadge.js';
import { TagChips } from '../common/TagChips.js';
import { hostStatusTone } from '../common/toneOf.js';
import { HostKindIcon } from './HostKindIcon.js';
import { HostMenu } from './HostMenu.js';
import { HostStatusCallout } from './HostStatusCallout.js';
import { hostSections } from './hostSections.js';
import { ReconnectButton } from './ReconnectButton.js';
import '../common/details.css';

export function HostOverview({ hostId }: { hostId: string }) {
  const t = useT();
  const host = useHostsStore((state) => findHost(state.hosts, hostId));
  const loading = useInventoryStore((state) => state.loading[hostId] ?? false);
  const error = useInventoryStore((state) => state.errors[hostId]);
  const [menu, setMenu] = useState<MenuPosition | null>(null);
  const [sectionId, setSectionId] = useState(hostSections[0]!.id);
  const canCreate = useInstallAvailable();

  if (!host) {
    return (
      <div className="page">
        <p className="muted">{t('host.missing')}</p>
      </div>
    );
  }
  const section = hostSections.find((candidate) => candidate.id === sectionId) ?? hostSections[0]!;
  const Section = section.component;
  const connected = host.status === 'connected';
  // Built-in hosts are already named by their kind; say the kind only for added hosts.
  const subtitle = [host.kind === 'ssh' ? t('hostKind.ssh') : '', host.hostname ?? ''].filter(Boolean).join(' · ');
  const name = hostDisplayName(host, t);

  return (
    <div className="page" data-testid="host-overview" data-host-id={host.id} data-status={host.status}>
      <header className="page-header">
        <div className="page-title-row">
          <HostKindIcon kind={host.kind} size={22} />
          <h1 className="page-title">{name}</h1>
          <StateBadge tone={hostStatusTone(host.status)} label={t(`hostStatus.${host.status}`)} />
          {host.tags && host.tags.length > 0 && <TagChips tags={host.tags} />}
          <div className="page-actions">
            {connected && (
              <button type="button" className="button" disabled={loading} onClick={() => void refreshInventory(host.id)}>
                {loading ? <Spinner size="small" /> : <Icon name="refresh" size={14} />}
                {t('host.refresh')}
              </button>
            )}
            {connected && canCreate && (
              <button type="button" className="button" data-testid="host-new-vm" onClick={() => useUiStore.getState().openDialog('new-vm', host.id)}>
                <Icon name="plus" size={14} />
                {t('install.wizard.open')}
              </button>
            )}
            {connected && <ReconnectButton hostId={host.id} />}
            <button
              type="button"
              className="button button-icon-only"
              data-testid="host-menu-button"
              aria-label={t('hostMenu.button', { host: name })}
              title={t('hostMenu.button', { host: name })}
              aria-haspopup="menu"
              aria-expanded={menu !== null}
              onClick={(event) => setMenu(belowElement(event.currentTarget))}
            >
              <Icon name="more" size={16} />
            </button>
          </div>
        </div>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </header>
      {menu && <HostMenu hostId={host.id} position={menu} onClose={() => setMenu(null)} />}

      <HostStatusCallout host={host} />
      {error && <ErrorNotice title={t('host.inventoryFailed')} error={error} />}

      <SectionSwitcher
        sections={hostSections}
        activeId={section.id}
        onSelect={setSectionId}
        labelKey="host.sectionsLabel"
        testIdPrefix="host-section"
      >
        <Section host={host} connected={connected} />
      </SectionSwitcher>
    </div>
  );
}
