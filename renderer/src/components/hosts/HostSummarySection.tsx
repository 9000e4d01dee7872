/** A host's summary section: facts, hardware, counts, and lists of its objects. */
import type { HostSummary } from '../../../../preload/contract.js';
import { formatDateTime } from '../../format/formatDateTime.js';
import type { Translator } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { useHostDetailsStore } from '../../store/hostDetailsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { PropertyList, type Property } from '../common/PropertyList.js';
import { Spinner } from '../common/Spinner.js';
import { HostDetailsSection } from './HostDetailsSection.js';
import { HostNetworkTable } from './HostNetworkTable.js';
import { HostPoolTable } from './HostPoolTable.js';
import { HostStats } from './HostStats.js';
import { HostVmTable } from './HostVmTable.js';
import type { HostSectionProps } from './hostSections.js';

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

export function HostSummarySection({ host, connected }: HostSectionProps) {
  const t = useT();
  const inventory = useInventoryStore((state) => state.byHost[host.id]);
  const loading = useInventoryStore((state) => state.loading[host.id] ?? false);
  // With hardware details on screen, the versions show there, not twice.
  const hasDetails = useHostDetailsStore((state) => state.byHost[host.id] !== undefined);
  const none = t('common.notAvailable');
  return (
    <>
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
    </>
  );
}
