import { useUiStore } from '../../store/uiStore.js';
import { TabPanel } from '../tabs/TabPanel.js';
import { TabStrip } from '../tabs/TabStrip.js';

export function MainPane() {
  const hasTabs = useUiStore((state) => state.tabs.length > 0);
  return (
    <main className="main-pane">
      {hasTabs && <TabStrip />}
      <TabPanel />
    </main>
  );
}
