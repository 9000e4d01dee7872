import { useEffect } from 'react';
import { refreshAllInventories } from '../services/inventoryRefresh.js';
import { runVmShortcut } from '../services/vmShortcuts.js';
import { useUiStore } from '../store/uiStore.js';
import { detectMac } from './formatShortcut.js';
import { matchShortcut, type ShortcutId } from './shortcutMap.js';

function runShortcut(id: ShortcutId): void {
  const ui = useUiStore.getState();
  switch (id) {
    case 'closeTab':
      if (ui.activeTabKey !== null) ui.closeTab(ui.activeTabKey);
      return;
    case 'nextTab':
      ui.cycleTab(1);
      return;
    case 'previousTab':
      ui.cycleTab(-1);
      return;
    case 'toggleSidebar':
      ui.toggleSidebar();
      return;
    case 'refresh':
      void refreshAllInventories();
      return;
    case 'help':
      ui.openDialog('shortcuts');
      return;
    case 'settings':
      ui.openDialog('settings');
      return;
    case 'addHost':
      ui.openDialog('host-editor');
      return;
    case 'vmList':
      ui.openTab({ kind: 'vm-list' });
      return;
    case 'focusFilter':
      if (!ui.sidebarVisible) ui.toggleSidebar();
      // After React has shown the sidebar.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="tree-filter"]')?.focus());
      return;
    case 'vmStart':
    case 'vmShutdown':
    case 'vmReboot':
    case 'vmPause':
    case 'vmForceOff':
    case 'vmSave':
      runVmShortcut(id);
      return;
  }
}

/** Installs the window-wide shortcuts of `shortcutMap` while the shell is mounted. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const isMac = detectMac();
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented) return;
      const id = matchShortcut(event, isMac);
      if (id === null) return;
      // A modal dialog owns the keyboard; it closes with Escape.
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      runShortcut(id);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
