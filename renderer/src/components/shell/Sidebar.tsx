import { useT } from '../../i18n/useT.js';
import { refreshAllInventories } from '../../services/inventoryRefresh.js';
import { formatShortcut } from '../../shortcuts/formatShortcut.js';
import { useIsMac } from '../../shortcuts/useIsMac.js';
import { defaultSettings, useSettingsStore } from '../../store/settingsStore.js';
import { Icon } from '../common/Icon.js';
import { HostTree } from '../tree/HostTree.js';
import { SidebarResizer } from './SidebarResizer.js';

export function Sidebar() {
  const t = useT();
  const isMac = useIsMac();
  const width = useSettingsStore((state) => state.settings?.sidebarWidth ?? defaultSettings.sidebarWidth);
  const refreshTitle = `${t('shortcut.refresh')} (${formatShortcut('refresh', isMac)})`;
  return (
    <aside className="sidebar" aria-label={t('sidebar.label')} style={{ width }}>
      <div className="sidebar-header">
        <h2 className="sidebar-title">{t('tree.heading')}</h2>
        <button type="button" className="icon-button" title={refreshTitle} aria-label={refreshTitle} onClick={() => void refreshAllInventories()}>
          <Icon name="refresh" size={15} />
        </button>
      </div>
      <div className="sidebar-body">
        <HostTree />
      </div>
      <SidebarResizer width={width} />
    </aside>
  );
}
