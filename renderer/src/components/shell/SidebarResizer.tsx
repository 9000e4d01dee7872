/**
 * The sidebar's right edge: drag with the pointer, or focus it and use the arrow keys
 * (Shift for bigger steps, Home/End for the limits). The width is saved when a change ends.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { useT } from '../../i18n/useT.js';
import { updateSettings } from '../../services/settingsUpdate.js';
import {
  clampSidebarWidth,
  DEFAULT_SIDEBAR_WIDTH,
  MAX_SIDEBAR_WIDTH,
  MIN_SIDEBAR_WIDTH,
  useSettingsStore,
} from '../../store/settingsStore.js';

const STEP = 10;
const BIG_STEP = 50;
const RESIZE_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'Home', 'End']);

export function SidebarResizer({ width }: { width: number }) {
  const t = useT();
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);

  const preview = (next: number): void => useSettingsStore.getState().patchSettings({ sidebarWidth: clampSidebarWidth(next) });
  const persist = (): void => {
    const current = useSettingsStore.getState().settings?.sidebarWidth;
    if (current !== undefined) void updateSettings({ sidebarWidth: current });
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startX: event.clientX, startWidth: width };
    document.body.classList.add('resizing');
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    if (drag.current) preview(drag.current.startWidth + event.clientX - drag.current.startX);
  };
  const onPointerEnd = (): void => {
    if (!drag.current) return;
    drag.current = null;
    document.body.classList.remove('resizing');
    persist();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = event.shiftKey ? BIG_STEP : STEP;
    const next =
      event.key === 'ArrowLeft'
        ? width - step
        : event.key === 'ArrowRight'
          ? width + step
          : event.key === 'Home'
            ? MIN_SIDEBAR_WIDTH
            : event.key === 'End'
              ? MAX_SIDEBAR_WIDTH
              : null;
    if (next === null) return;
    event.preventDefault();
    preview(next);
  };

  return (
    <div
      className="sidebar-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={t('sidebar.resize')}
      aria-valuemin={MIN_SIDEBAR_WIDTH}
      aria-valuemax={MAX_SIDEBAR_WIDTH}
      aria-valuenow={width}
      tabIndex={0}
      title={t('sidebar.resize')}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
      onKeyDown={onKeyDown}
      onKeyUp={(event) => {
        if (RESIZE_KEYS.has(event.key)) persist();
      }}
      onDoubleClick={() => void updateSettings({ sidebarWidth: DEFAULT_SIDEBAR_WIDTH })}
    />
  );
}
