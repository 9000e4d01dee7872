/** The content of the active tab; with no tab open, the welcome overview. */
import type { TabRef } from '../../navigation/nodeRef.js';
import { useUiStore } from '../../store/uiStore.js';
import { HostOverview } from '../hosts/HostOverview.js';
import { WelcomeView } from '../hosts/WelcomeView.js';
import { NetworkDetails } from '../networks/NetworkDetails.js';
import { PoolDetails } from '../pools/PoolDetails.js';
import { lazy, Suspense, type ReactNode } from 'react';
import { Spinner } from '../common/Spinner.js';
import { tabElementId, tabPanelId } from './tabIds.js';

// Loaded on first use, so the window paints its tree before this code arrives: the list brings
// the virtualizer with it, a VM's tab its charts, snapshots and power prompts.
const VmListView = lazy(() => import('../vmlist/VmListView.js').then((module) => ({ default: module.VmListView })));
const VmDetails = lazy(() => import('../vms/VmDetails.js').then((module) => ({ default: module.VmDetails })));

function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <div className="page">
          <Spinner />
        </div>
      }
    >
      {children}
    </Suspense>
  );
}

function renderContent(tab: TabRef) {
  switch (tab.kind) {
    case 'welcome':
      return <WelcomeView />;
    case 'vm-list':
      return (
        <Loading>
          <VmListView />
        </Loading>
      );
    case 'host':
      return <HostOverview hostId={tab.hostId} />;
    case 'vm':
      return (
        <Loading>
          <VmDetails hostId={tab.hostId} name={tab.name} />
        </Loading>
      );
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
