/** What a tab shows in the strip: an icon (a state dot for VMs) and a name. */
import type { TabRef } from '../../navigation/nodeRef.js';
import { useT } from '../../i18n/useT.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { Icon } from '../common/Icon.js';
import { StatusDot } from '../common/StatusDot.js';
import { vmStateTone } from '../common/toneOf.js';
import { HostKindIcon } from '../hosts/HostKindIcon.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';

export function TabLabel({ tab }: { tab: TabRef }) {
  const t = useT();
  const host = useHostsStore((state) => (tab.kind === 'welcome' || tab.kind === 'vm-list' ? undefined : findHost(state.hosts, tab.hostId)));
  const vm = useInventoryStore((state) =>
    tab.kind === 'vm' ? state.byHost[tab.hostId]?.vms.find((candidate) => candidate.name === tab.name) : undefined,
  );
  switch (tab.kind) {
    case 'welcome':
      return (
        <>
          <Icon name="home" size={14} />
          <span className="tab-title">{t('tabs.welcome')}</span>
        </>
      );
    case 'vm-list':
      return (
        <>
          <Icon name="list" size={14} />
          <span className="tab-title">{t('vmList.tab')}</span>
        </>
      );
    case 'host':
      return (
        <>
          {host ? <HostKindIcon kind={host.kind} size={14} /> : <Icon name="server" size={14} />}
          <span className="tab-title">{host ? hostDisplayName(host, t) : tab.hostId}</span>
        </>
      );
    case 'vm':
      return (
        <>
          {vm ? <StatusDot tone={vmStateTone(vm.state)} /> : <Icon name="monitor" size={14} />}
          <span className="tab-title">{tab.name}</span>
        </>
      );
    case 'network':
    case 'pool':
      return (
        <>
          <Icon name={tab.kind === 'network' ? 'network' : 'database'} size={14} />
          <span className="tab-title">{tab.name}</span>
        </>
      );
  }
}
