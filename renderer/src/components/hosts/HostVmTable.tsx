import type { VmSummary } from '../../../../preload/contract.js';
import { formatMemoryKiB } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { sortByName } from '../../model/compareNames.js';
import { useUiStore } from '../../store/uiStore.js';
import { StateBadge } from '../common/StateBadge.js';
import { vmTone } from '../common/toneOf.js';
import { vmStateLabel } from '../../model/vmStateText.js';

export function HostVmTable({ hostId, vms }: { hostId: string; vms: readonly VmSummary[] }) {
  const t = useT();
  const openTab = useUiStore((state) => state.openTab);
  if (vms.length === 0) return <p className="muted">{t('host.noVms')}</p>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>{t('host.column.name')}</th>
          <th>{t('host.column.state')}</th>
          <th className="numeric">{t('host.column.vcpus')}</th>
          <th className="numeric">{t('host.column.memory')}</th>
        </tr>
      </thead>
      <tbody>
        {sortByName(vms).map((vm) => (
          <tr key={vm.name}>
            <td>
              <button type="button" className="link-button" onClick={() => openTab({ kind: 'vm', hostId, name: vm.name })}>
                {vm.name}
              </button>
            </td>
            <td>
              <StateBadge tone={vmTone(vm)} label={vmStateLabel(vm, t)} />
            </td>
            <td className="numeric">{vm.vcpus}</td>
            <td className="numeric">{formatMemoryKiB(vm.memoryKiB, t.language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
