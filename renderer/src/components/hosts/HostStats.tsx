/** Three small number cards: VMs (with how many run), networks and pools (active of total). */
import type { HostInventory } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { countVmStates } from '../../model/vmStateCounts.js';
import { Icon } from '../common/Icon.js';
import { VmCountsLine } from './VmCountsLine.js';
import './hosts.css';

export function HostStats({ inventory }: { inventory: HostInventory }) {
  const t = useT();
  const counts = countVmStates(inventory.vms);
  const activeNetworks = inventory.networks.filter((network) => network.active).length;
  const activePools = inventory.pools.filter((pool) => pool.active).length;
  return (
    <div className="stat-row">
      <div className="stat-card">
        <span className="stat-label">
          <Icon name="monitor" size={14} />
          {t('host.stat.vms')}
        </span>
        <span className="stat-value">{inventory.vms.length}</span>
        <span className="stat-note">
          <VmCountsLine counts={counts} />
        </span>
      </div>
      <div className="stat-card">
        <span className="stat-label">
          <Icon name="network" size={14} />
          {t('host.stat.networks')}
        </span>
        <span className="stat-value">{inventory.networks.length}</span>
        <span className="stat-note">{t('host.stat.activeOf', { active: activeNetworks, total: inventory.networks.length })}</span>
      </div>
      <div className="stat-card">
        <span className="stat-label">
          <Icon name="database" size={14} />
          {t('host.stat.pools')}
        </span>
        <span className="stat-value">{inventory.pools.length}</span>
        <span className="stat-note">{t('host.stat.activeOf', { active: activePools, total: inventory.pools.length })}</span>
      </div>
    </div>
  );
}
