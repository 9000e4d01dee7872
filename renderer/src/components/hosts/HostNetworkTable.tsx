import type { NetworkSummary } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { sortByName } from '../../model/compareNames.js';
import { useUiStore } from '../../store/uiStore.js';
import { StateBadge } from '../common/StateBadge.js';

export function HostNetworkTable({ hostId, networks }: { hostId: string; networks: readonly NetworkSummary[] }) {
  const t = useT();
  const openTab = useUiStore((state) => state.openTab);
  if (networks.length === 0) return <p className="muted">{t('host.noNetworks')}</p>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>{t('host.column.name')}</th>
          <th>{t('host.column.state')}</th>
          <th>{t('host.column.bridge')}</th>
          <th>{t('host.column.forward')}</th>
        </tr>
      </thead>
      <tbody>
        {sortByName(networks).map((network) => (
          <tr key={network.name}>
            <td>
              <button type="button" className="link-button" onClick={() => openTab({ kind: 'network', hostId, name: network.name })}>
                {network.name}
              </button>
            </td>
            <td>
              <StateBadge
                tone={network.active ? 'ok' : 'idle'}
                label={t(network.active ? 'network.active' : 'network.inactive')}
              />
            </td>
            <td className="mono">{network.bridge ?? t('common.notAvailable')}</td>
            <td>{network.forwardMode ?? t('network.isolated')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
