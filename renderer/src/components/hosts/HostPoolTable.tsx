import type { PoolSummary } from '../../../../preload/contract.js';
import { formatBytes, percentOf } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { sortByName } from '../../model/compareNames.js';
import { useUiStore } from '../../store/uiStore.js';
import { StateBadge } from '../common/StateBadge.js';
import { CapacityBar } from '../pools/CapacityBar.js';

export function HostPoolTable({ hostId, pools }: { hostId: string; pools: readonly PoolSummary[] }) {
  const t = useT();
  const openTab = useUiStore((state) => state.openTab);
  if (pools.length === 0) return <p className="muted">{t('host.noPools')}</p>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>{t('host.column.name')}</th>
          <th>{t('host.column.state')}</th>
          <th>{t('host.column.type')}</th>
          <th className="usage-column">{t('host.column.usage')}</th>
        </tr>
      </thead>
      <tbody>
        {sortByName(pools).map((pool) => (
          <tr key={pool.name}>
            <td>
              <button type="button" className="link-button" onClick={() => openTab({ kind: 'pool', hostId, name: pool.name })}>
                {pool.name}
              </button>
            </td>
            <td>
              <StateBadge tone={pool.active ? 'ok' : 'idle'} label={t(pool.active ? 'pool.active' : 'pool.inactive')} />
            </td>
            <td>{pool.type}</td>
            <td className="usage-column">
              <CapacityBar percent={percentOf(pool.allocationBytes, pool.capacityBytes)} compact />
              <span className="usage-text">
                {t('pool.usage', {
                  used: formatBytes(pool.allocationBytes, t.language),
                  total: formatBytes(pool.capacityBytes, t.language),
                })}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
