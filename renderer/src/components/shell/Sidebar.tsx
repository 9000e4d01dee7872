import { useState } from 'react';
import { useT } from '../../i18n/useT.js';
import { refreshAllInventories } from '../../services/inventoryRefresh.js';
import { formatShortcut } from '../../shortcuts/formatShortcut.js';
import { useIsMac } from '../../shortcuts/useIsMac.js';
import { defaultSettings, useSettingsStore } from '../../store/settingsStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { Icon } from '../common/Icon.js';
import { belowElement, Menu, type MenuPosition } from '../common/Menu.js';
import { HostTree } from '../tree/HostTree.js';
import { TreeFilter } from '../tree/TreeFilter.js';
import { SidebarResizer } from './SidebarResizer.js';
import { useInstallAvailable } from '../install/installClient.js';
import { hostOfNodeKey } from '../install/requestedSection.js';

export function Sidebar() {
  const t = useT();
  const isMac = useIsMac();
  const width = useSettingsStore((state) => state.settings?.sidebarWidth ?? defaultSettings.sidebarWidth);
  const openDialog = useUiStore((state) => state.openDialog);
  const [menu, setMenu] = useState<MenuPosition | null>(null);
  const canCreate = useInstallAvailable();
  const refreshTitle = `${t('shortcut.refresh')} (${formatShortcut('refresh', isMac)})`;
  const addTitle = `${t('hosts.add')} (${formatShortcut('addHost', isMac)})`;
  return (
    <aside className="sidebar" aria-label={t('sidebar.label')} style={{ width }}>
      <div className="sidebar-header">
        <h2 className="sidebar-title">{t('tree.heading')}</h2>
        <div className="sidebar-actions">
          <button type="button" className="icon-button" data-testid="add-host-button" title={addTitle} aria-label={addTitle} onClick={() => openDialog('host-editor')}>
            <Icon name="plus" size={16} />
          </button>
          <button type="button" className="icon-button" title={refreshTitle} aria-label={refreshTitle} onClick={() => void refreshAllInventories()}>
            <Icon name="refresh" size={15} />
          </button>
          <button
            type="button"
            className="icon-button"
            data-testid="sidebar-menu-button"
            title={t('sidebar.more')}
            aria-label={t('sidebar.more')}
            aria-haspopup="menu"
            aria-expanded={menu !== null}
            onClick={(event) => setMenu(belowElement(event.currentTarget))}
          >
            <Icon name="more" size={16} />
          </button>
        </div>
      </div>
      <TreeFilter />
      <div className="sidebar-body">
        <HostTree />
      </div>
      <SidebarResizer width={width} />
      {menu && (
        <Menu
          label={t('sidebar.more')}
          position={menu}
          onClose={() => setMenu(null)}
          testId="sidebar-menu"
          entries={[
            { id: 'add', label: t('hosts.addEllipsis'), icon: 'plus', onSelect: () => openDialog('host-editor') },
            { id: 'import', label: t('import.open'), icon: 'download', testId: 'import-button', onSelect: () => openDialog('import-ssh-config') },
            ...(canCreate ? [{ id: 'new-vm', label: t('install.wizard.open'), icon: 'monitor' as const, testId: 'sidebar-new-vm', onSelect: () => openDialog('new-vm', hostOfNodeKey(useUiStore.getState().selectedKey)) }] : []),
            'separator',
            { id: 'vms', label: t('vmList.title'), icon: 'list', onSelect: () => useUiStore.getState().openTab({ kind: 'vm-list' }) },
            { id: 'refresh', label: t('shortcut.refresh'), icon: 'refresh', onSelect: () => void refreshAllInventories() },
          ]}
        />
      )}
    </aside>
  );
}
