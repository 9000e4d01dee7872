import { useT } from '../../i18n/useT.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { Icon } from '../common/Icon.js';
import { PropertyList } from '../common/PropertyList.js';
import { StateBadge } from '../common/StateBadge.js';
import '../common/details.css';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';

export function NetworkDetails({ hostId, name }: { hostId: string; name: string }) {
  const t = useT();
  const host = useHostsStore((state) => findHost(state.hosts, hostId));
  const network = useInventoryStore((state) =>
    state.byHost[hostId]?.networks.find((candidate) => candidate.name === name),
  );
  const hostLabel = host ? hostDisplayName(host, t) : hostId;
  if (!network) {
    return (
      <div className="page">
        <p className="muted">{t('network.missing', { name, host: hostLabel })}</p>
      </div>
    );
  }
  const none = t('common.notAvailable');
  const yesNo = (value: boolean): string => t(value ? 'common.yes' : 'common.no');
  return (
    <div className="page" data-testid="network-details" data-name={network.name}>
      <header className="page-header">
        <div className="page-title-row">
          <Icon name="network" size={22} />
          <h1 className="page-title">{network.name}</h1>
          <StateBadge
            tone={network.active ? 'ok' : 'idle'}
            label={t(network.active ? 'network.active' : 'network.inactive')}
          />
        </div>
        <p className="page-subtitle">
          {t('network.kindLabel')} · {hostLabel}
        </p>
      </header>
      <section className="page-section">
        <PropertyList
          items={[
            { label: t('network.field.bridge'), value: network.bridge ?? none, mono: network.bridge !== undefined },
            { label: t('network.field.forwardMode'), value: network.forwardMode ?? t('network.isolated') },
            { label: t('network.field.ipv4'), value: network.ipv4 ?? none, mono: network.ipv4 !== undefined },
            { label: t('vnet.column.dhcp'), value: network.dhcpRange ?? t('vnet.noDhcp'), mono: network.dhcpRange !== undefined },
            { label: t('network.field.autostart'), value: yesNo(network.autostart) },
            { label: t('network.field.persistent'), value: yesNo(network.persistent) },
            { label: t('network.field.uuid'), value: network.uuid, mono: true },
          ]}
        />
      </section>
    </div>
  );
}
