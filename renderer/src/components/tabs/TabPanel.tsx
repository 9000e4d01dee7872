/** The content of the active tab; with no tab open, the welcome overview. */
import type { TabRef } from '../../navigation/nodeRef.js';
import { useUiStore } from '../../store/uiStore.js';
import { HostOverview } from '../hosts/HostOverview.js';
import { WelcomeView } from '../hosts/WelcomeView.js';
import { NetworkDetails } from '../networks/NetworkDetails.js';
import { PoolDetails } from '../pools/PoolDetails.js';
import { VmDetails } from '../vms/VmDetails.js';
import { lazy, Suspense } from 'react';
import { Spinner } from '../common/Spinner.js';

// Loaded on first use: the list brings the virtualizer with it.
const VmListView = lazy(() => import('../vmlist/VmListView.js').then((module) => ({ default: module.VmListView })));
import { tabElementId, tabPanelId } from './tabIds.js';

function renderContent(tab: TabRef) {
  switch (tab.kind) {
    case 'welcome':
      return <WelcomeView />;
    case 'vm-list':
      return (
        <Suspense
          fallback={
            <div className="page">
              <Spinner />
            </div>
          }
        >
          <VmListView />
        </Suspense>
      );
    case 'host':
      return <HostOverview hostId={tab.hostId} />;
    case 'vm':
      return <VmDetails hostId={tab.hostId} name={tab.name} />;
    case 'network':
      return <NetworkDetails hostId={tab.hostId} name={tab.name} />;
    case 'pool':
      return <PoolDetails hostId={tab.hostId} name={tab.name} />;
  }
}

export function TabPanel() {
  const tab = useUiStore((state) => state.tabs.find((candidate) => candidate.key === state.activeTabKey));
  if (!tab) {
    return (
      <div className="tab-panel">
        <WelcomeView />
      </div>
    );
  }
  return (
    <div className={`tab-panel${tab.ref.kind === 'vm-list' ? ' tab-panel-fill' : ''}`} role="tabpanel" id={tabPanelId(tab.key)} aria-labelledby={tabElementId(tab.key)} key={tab.key}>
      {renderContent(tab.ref)}
    </div>
  );
}
