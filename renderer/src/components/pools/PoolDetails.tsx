import { formatBytes, percentOf } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { Icon } from '../common/Icon.js';
import { PropertyList } from '../common/PropertyList.js';
import { StateBadge } from '../common/StateBadge.js';
import { CapacityBar } from './CapacityBar.js';
import { PoolActions } from '../storage/PoolActions.js';
import { PoolVolumes } from '../storage/PoolVolumes.js';
import '../common/details.css';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';

export function PoolDetails({ hostId, name }: { hostId: string; name: string }) {
  const t = useT();
  const host = useHostsStore((state) => findHost(state.hosts, hostId));
  const pool = useInventoryStore((state) => state.byHost[hostId]?.pools.find((candidate) => candidate.name === name));
  const hostLabel = host ? hostDisplayName(host, t) : hostId;
  if (!pool) {
    return (
      <div className="page">
        <p className="muted">{t('pool.missing', { name, host: hostLabel })}</p>
      </div>
    );
  }
  const lang = t.language;
  const percent = percentOf(pool.allocationBytes, pool.capacityBytes);
  const yesNo = (value: boolean): string => t(value ? 'common.yes' : 'common.no');
  return (
    <div className="page" data-testid="pool-details" data-name={pool.name}>
      <header className="page-header">
        <div className="page-title-row">
          <Icon name="database" size={22} />
          <h1 className="page-title">{pool.name}</h1>
          <StateBadge tone={pool.active ? 'ok' : 'idle'} label={t(pool.active ? 'pool.active' : 'pool.inactive')} />
        </div>
        <p className="page-subtitle">
          {t('pool.kindLabel')} · {hostLabel}
        </p>
        <PoolActions hostId={hostId} pool={pool} />
      </header>
      <section className="page-section capacity-section">
        <div className="capacity-head">
          <span>
            {t('pool.usage', { used: formatBytes(pool.allocationBytes, lang), total: formatBytes(pool.capacityBytes, lang) })}
          </span>
          <span className="muted">{t('pool.usagePercent', { percent })}</span>
        </div>
        <CapacityBar percent={percent} label={t('pool.usagePercent', { percent })} />
      </section>
      <section className="page-section">
        <PropertyList
          items={[
            { label: t('pool.field.type'), value: pool.type },
            { label: t('pool.field.path'), value: pool.path ?? t('common.notAvailable'), mono: pool.path !== undefined },
            { label: t('pool.field.capacity'), value: formatBytes(pool.capacityBytes, lang) },
            { label: t('pool.field.allocation'), value: formatBytes(pool.allocationBytes, lang) },
            { label: t('pool.field.available'), value: formatBytes(pool.availableBytes, lang) },
            { label: t('pool.field.autostart'), value: yesNo(pool.autostart) },
            { label: t('pool.field.uuid'), value: pool.uuid, mono: true },
          ]}
        />
      </section>
      <section className="page-section">
        <h2 className="section-title">{t('storage.volumes.title')}</h2>
        <PoolVolumes hostId={hostId} pool={pool} />
      </section>
    </div>
  );
}
