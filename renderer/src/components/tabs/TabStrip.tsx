/**
 * The open tabs. Click to show, middle-click or × to close, Left/Right to move between them
 * when the strip has focus; Ctrl/Cmd+W and Ctrl/Cmd+Tab work everywhere (shortcutMap).
 */
import { useEffect, type KeyboardEvent } from 'react';
import { useT } from '../../i18n/useT.js';
import { formatShortcut } from '../../shortcuts/formatShortcut.js';
import { useIsMac } from '../../shortcuts/useIsMac.js';
import { useUiStore } from '../../store/uiStore.js';
import { Icon } from '../common/Icon.js';
import { TabLabel } from './TabLabel.js';
import { tabElementId, tabPanelId } from './tabIds.js';
import './tabs.css';

export function TabStrip() {
  const t = useT();
  const isMac = useIsMac();
  const tabs = useUiStore((state) => state.tabs);
  const activeKey = useUiStore((state) => state.activeTabKey);
  const activate = useUiStore((state) => state.activateTab);
  const close = useUiStore((state) => state.closeTab);
  const closeTitle = t('tabs.closeWithShortcut', { shortcut: formatShortcut('closeTab', isMac) });

  useEffect(() => {
    if (activeKey === null) return;
    document.getElementById(tabElementId(activeKey))?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [activeKey, tabs.length]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    useUiStore.getState().cycleTab(event.key === 'ArrowRight' ? 1 : -1);
    const next = useUiStore.getState().activeTabKey;
    if (next !== null) document.getElementById(tabElementId(next))?.focus();
  };

  return (
    <div className="tab-strip" role="tablist" aria-label={t('tabs.label')} onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const active = tab.key === activeKey;
        return (
          <div
            key={tab.key}
            id={tabElementId(tab.key)}
            role="tab"
            className={`tab${active ? ' active' : ''}`}
            data-testid="tab"
            data-tab-key={tab.key}
            data-active={active ? 'true' : 'false'}
            aria-selected={active}
            aria-controls={tabPanelId(tab.key)}
            tabIndex={active ? 0 : -1}
            onClick={() => activate(tab.key)}
            onMouseDown={(event) => {
              if (event.button === 1) event.preventDefault();
            }}
            onAuxClick={(event) => {
              if (event.button === 1) close(tab.key);
            }}
          >
            <TabLabel tab={tab.ref} />
            <button
              type="button"
              className="tab-close"
              tabIndex={-1}
              title={closeTitle}
              aria-label={t('tabs.close')}
              onClick={(event) => {
                event.stopPropagation();
                close(tab.key);
              }}
            >
              <Icon name="close" size={13} />
            </button>
          </div>
        );
      })}
    </div>
  );
}
