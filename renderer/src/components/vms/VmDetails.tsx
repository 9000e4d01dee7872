/** A VM's tab: its name, state and power actions, then its sections (overview first). */
import { useState } from 'react';
import { useT } from '../../i18n/useT.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { Icon } from '../common/Icon.js';
import { SectionSwitcher } from '../common/SectionSwitcher.js';
import { StateBadge } from '../common/StateBadge.js';
import { vmTone } from '../common/toneOf.js';
import { vmStateLabel } from '../../model/vmStateText.js';
import { VmActionBar } from './VmActionBar.js';
import { VmManageMenu } from './VmManageMenu.js';
import { vmSections } from './vmSections.js';
import { takeVmSection } from '../install/requestedSection.js';
import '../common/details.css';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';

export function VmDetails({ hostId, name }: { hostId: string; name: string }) {
  const t = useT();
  const host = useHostsStore((state) => findHost(state.hosts, hostId));
  const vm = useInventoryStore((state) => state.byHost[hostId]?.vms.find((candidate) => candidate.name === name));
  const hostLabel = host ? hostDisplayName(host, t) : hostId;
  const [sectionId, setSectionId] = useState(() => takeVmSection(hostId, name) ?? vmSections[0]!.id);
  if (!vm) {
    return (
      <div className="page">
        <p className="muted">{t('vm.missing', { name, host: hostLabel })}</p>
      </div>
    );
  }
  const connected = host?.status === 'connected';
  const section = vmSections.find((candidate) => candidate.id === sectionId) ?? vmSections[0]!;
  const Section = section.component;
  return (
    <div className="page" data-testid="vm-details" data-vm-name={vm.name} data-state={vm.state}>
      <header className="page-header">
        <div className="page-title-row">
          <Icon name="monitor" size={22} />
          <h1 className="page-title">{vm.name}</h1>
          <StateBadge tone={vmTone(vm)} label={vmStateLabel(vm, t)} />
        </div>
        <p className="page-subtitle">
          {t('vm.kindLabel')} · {hostLabel}
        </p>
        <VmActionBar hostId={hostId} vm={vm} hostConnected={connected} />
        <VmManageMenu hostId={hostId} vm={vm} hostConnected={connected} />
      </header>
      {!connected && (
        <div className="callout callout-info" role="status">
          <Icon name="info" className="callout-icon" />
          <div className="callout-body">
            <p>{t('vm.stale')}</p>
          </div>
        </div>
      )}
      <SectionSwitcher
        sections={vmSections}
        activeId={section.id}
        onSelect={setSectionId}
        labelKey="vm.sectionsLabel"
        testIdPrefix="vm-section"
      >
        <Section hostId={hostId} vm={vm} hostConnected={connected} />
      </SectionSwitcher>
    </div>
  );
}
