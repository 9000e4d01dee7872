/** A host's tab: status (with remedy), facts, hardware, counts, and lists of its objects. */
import { useState } from 'react';
import type { HostSummary } from '../../../../preload/contract.js';
import { formatDateTime } from '../../format/formatDateTime.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';
import type { Translator } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { refreshInventory } from '../../services/inventoryRefresh.js';
import { useHostDetailsStore } from '../../store/hostDetailsStore.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { belowElement, type MenuPosition } from '../common/Menu.js';
import { PropertyList, type Property } from '../common/PropertyList.js';
import { Spinner } from '../common/Spinner.js';
import { StateBadge } from '../common/StateBadge.js';
import { TagChips } from '../common/TagChips.js';
import { hostStatusTone } from '../common/toneOf.js';
import { HostDetailsSection } from './HostDetailsSection.js';
import { HostKindIcon } from './HostKindIcon.js';
import { HostMenu } from './HostMenu.js';
import { HostNetworkTable } from './HostNetworkTable.js';
import { HostPoolTable } from './HostPoolTable.js';
import { HostStats } from './HostStats.js';
import { HostStatusCallout } from './HostStatusCallout.js';
import { HostVmTable } from './HostVmTable.js';
import { ReconnectButton } from './ReconnectButton.js';
import '../common/details.css';

function sshFacts(host: HostSummary, t: Translator): Property[] {
  if (host.kind !== 'ssh') return [];
  const none = t('common.notAvailable');
  const facts: Property[] = [];
  if (host.address) facts.push({ label: t('host.field.address'), value: host.address, mono: true });
  facts.push({ label: t('host.field.user'), value: host.user ?? none, mono: host.user !== undefined });
  facts.push({ label: t('host.field.port'), value: host.port === undefined ? none : String(host.port) });
  facts.push({ label: t('host.field.folder'), value: host.folder ? host.folder : t('host.topLevel') });
  return facts;
}

export function HostOverview({ hostId }: { hostId: string }) {
  const t = useT();
  const host = useHostsStore((state) => findHost(state.hosts, hostId));
  const inventory = useInventoryStore((state) => state.byHost[hostId]);
  const loading = useInventoryStore((state) => state.loading[hostId] ?? false);
  const error = useInventoryStore((state) => state.errors[hostId]);
  const [menu, setMenu] = useState<MenuPosition | null>(null);
  // With hardware details on screen, the versions show there, not twice.
  const hasDetails = useHostDetailsStore((state) => state.byHost[hostId] !== undefined);

  if (!host) {
    return (
      <div className="page">
        <p className="muted">{t('host.missing')}</p>
      </div>
    );
  }
  const none = t('common.notAvailable');
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

      <section className="page-section">
        <PropertyList
          items={[
            ...sshFacts(host, t),
            { label: t('host.field.uri'), value: host.uri, mono: true },
            { label: t('host.field.hostname'), value: host.hostname ?? none },
            ...(hasDetails
              ? []
              : [
                  { label: t('host.field.libvirtVersion'), value: host.libvirtVersion ?? none },
                  { label: t('host.field.hypervisorVersion'), value: host.hypervisorVersion ?? none },
                ]),
            {
              label: t('host.field.fetchedAt'),
              value: inventory ? formatDateTime(inventory.fetchedAt, t.language) : none,
            },
          ]}
        />
      </section>

      <HostDetailsSection hostId={host.id} connected={connected} />

      {inventory ? (
        <>
          <HostStats inventory={inventory} />
          <section className="page-section">
            <h2 className="section-title">{t('host.section.vms')}</h2>
            <HostVmTable hostId={host.id} vms={inventory.vms} />
          </section>
          <section className="page-section">
            <h2 className="section-title">{t('host.section.networks')}</h2>
            <HostNetworkTable hostId={host.id} networks={inventory.networks} />
          </section>
          <section className="page-section">
            <h2 className="section-title">{t('host.section.pools')}</h2>
            <HostPoolTable hostId={host.id} pools={inventory.pools} />
          </section>
        </>
      ) : (
        connected && (
          <p className="muted loading-line">
            {loading && <Spinner size="small" />}
            {loading ? t('tree.loadingInventory') : t('host.notReadYet')}
          </p>
        )
      )}
    </div>
  );
}
