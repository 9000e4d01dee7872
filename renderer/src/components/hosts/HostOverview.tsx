/** A host's tab: status (with remedy), facts, counts, and lists of its objects. */
import { formatDateTime } from '../../format/formatDateTime.js';
import { useT } from '../../i18n/useT.js';
import { refreshInventory } from '../../services/inventoryRefresh.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { PropertyList } from '../common/PropertyList.js';
import { Spinner } from '../common/Spinner.js';
import { StateBadge } from '../common/StateBadge.js';
import { hostStatusTone } from '../common/toneOf.js';
import { HostKindIcon } from './HostKindIcon.js';
import { HostNetworkTable } from './HostNetworkTable.js';
import { HostPoolTable } from './HostPoolTable.js';
import { HostStats } from './HostStats.js';
import { HostStatusCallout } from './HostStatusCallout.js';
import { HostVmTable } from './HostVmTable.js';
import { ReconnectButton } from './ReconnectButton.js';
import '../common/details.css';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';

export function HostOverview({ hostId }: { hostId: string }) {
  const t = useT();
  const host = useHostsStore((state) => findHost(state.hosts, hostId));
  const inventory = useInventoryStore((state) => state.byHost[hostId]);
  const loading = useInventoryStore((state) => state.loading[hostId] ?? false);
  const error = useInventoryStore((state) => state.errors[hostId]);

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

  return (
    <div className="page" data-testid="host-overview" data-host-id={host.id} data-status={host.status}>
      <header className="page-header">
        <div className="page-title-row">
          <HostKindIcon kind={host.kind} size={22} />
          <h1 className="page-title">{hostDisplayName(host, t)}</h1>
          <StateBadge tone={hostStatusTone(host.status)} label={t(`hostStatus.${host.status}`)} />
          <div className="page-actions">
            {connected && (
              <button type="button" className="button" disabled={loading} onClick={() => void refreshInventory(host.id)}>
                {loading ? <Spinner size="small" /> : <Icon name="refresh" size={14} />}
                {t('host.refresh')}
              </button>
            )}
            {connected && <ReconnectButton hostId={host.id} />}
          </div>
        </div>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </header>

      <HostStatusCallout host={host} />
      {error && <ErrorNotice title={t('host.inventoryFailed')} error={error} />}

      <section className="page-section">
        <PropertyList
          items={[
            { label: t('host.field.uri'), value: host.uri, mono: true },
            { label: t('host.field.hostname'), value: host.hostname ?? none },
            { label: t('host.field.libvirtVersion'), value: host.libvirtVersion ?? none },
            { label: t('host.field.hypervisorVersion'), value: host.hypervisorVersion ?? none },
            {
              label: t('host.field.fetchedAt'),
              value: inventory ? formatDateTime(inventory.fetchedAt, t.language) : none,
            },
          ]}
        />
      </section>

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
