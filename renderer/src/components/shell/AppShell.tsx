/** The working window: sidebar with the host tree, tabbed main pane, status bar. */
import { useGlobalShortcuts } from '../../shortcuts/useGlobalShortcuts.js';
import { useUiStore } from '../../store/uiStore.js';
import { PromptDialog } from '../prompts/PromptDialog.js';
import { StatusBar } from '../statusbar/StatusBar.js';
import { DialogHost } from './DialogHost.js';
import { MainPane } from './MainPane.js';
import { Sidebar } from './Sidebar.js';
import { Toasts } from './Toasts.js';
import { TransportLostBanner } from './TransportLostBanner.js';
import { VmActionPrompts } from '../vms/VmActionPrompts.js';
import { VmManageDialogs } from '../vms/VmManageDialogs.js';

export function AppShell() {
  useGlobalShortcuts();
  const sidebarVisible = useUiStore((state) => state.sidebarVisible);
  return (
    <div className="shell">
      <TransportLostBanner />
      <div className="shell-body">
        {sidebarVisible && <Sidebar />}
        <MainPane />
      </div>
      <StatusBar />
      <Toasts />
      <DialogHost />
      <VmActionPrompts />
      <VmManageDialogs />
      <PromptDialog />
    </div>
  );
}
