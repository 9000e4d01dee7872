/** A VM's tab: state, resources, identity, and the power actions. */
import { formatMemoryKiB } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { Icon } from '../common/Icon.js';
import { PropertyList } from '../common/PropertyList.js';
import { StateBadge } from '../common/StateBadge.js';
import { vmStateTone } from '../common/toneOf.js';
import { vmStateText } from '../../model/vmStateText.js';
import { VmActionBar } from './VmActionBar.js';
import '../common/details.css';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';

export function VmDetails({ hostId, name }: { hostId: string; name: string }) {
  const t = useT();
  const host = useHostsStore((state) => findHost(state.hosts, hostId));
  const vm = useInventoryStore((state) => state.byHost[hostId]?.vms.find((candidate) => candidate.name === name));
  const hostLabel = host ? hostDisplayName(host, t) : hostId;
  if (!vm) {
    return (
      <div className="page">
        <p className="muted">{t('vm.missing', { name, host: hostLabel })}</p>
      </div>
    );
  }
  const none = t('common.notAvailable');
  const yesNo = (value: boolean): string => t(value ? 'common.yes' : 'common.no');
  const connected = host?.status === 'connected';
  return (
    <div className="page" data-testid="vm-details" data-vm-name={vm.name} data-state={vm.state}>
      <header className="page-header">
        <div className="page-title-row">
          <Icon name="monitor" size={22} />
          <h1 className="page-title">{vm.name}</h1>
          <StateBadge tone={vmStateTone(vm.state)} label={t(`vmState.${vm.state}`)} />
        </div>
        <p className="page-subtitle">
          {t('vm.kindLabel')} · {hostLabel}
        </p>
        <VmActionBar hostId={hostId} vm={vm} hostConnected={connected} />
      </header>
      {!connected && (
        <div className="callout callout-info" role="status">
          <Icon name="info" className="callout-icon" />
          <div className="callout-body">
            <p>{t('vm.stale')}</p>
          </div>
        </div>
      )}
      <section className="page-section">
        <PropertyList
          items={[
            { label: t('vm.field.state'), value: vmStateText(vm, t) },
            { label: t('vm.field.vcpus'), value: String(vm.vcpus) },
            { label: t('vm.field.memory'), value: formatMemoryKiB(vm.memoryKiB, t.language) },
            { label: t('vm.field.osType'), value: vm.osType ?? none },
            { label: t('vm.field.arch'), value: vm.arch ?? none },
            { label: t('vm.field.autostart'), value: yesNo(vm.autostart) },
            { label: t('vm.field.persistent'), value: yesNo(vm.persistent) },
            { label: t('vm.field.uuid'), value: vm.uuid, mono: true },
          ]}
        />
      </section>
    </div>
  );
}
