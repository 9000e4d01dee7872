/**
 * A small popup menu (WAI-ARIA menu pattern): opens at a point or under a button, focuses its
 * first item, Up/Down/Home/End move, Enter/Space choose, Escape/Tab or a click elsewhere
 * close it and give the focus back to where it was.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { Icon, type IconName } from './Icon.js';
import './menu.css';

export interface MenuAction {
  id: string;
  label: string;
  icon?: IconName;
  danger?: boolean;
  disabled?: boolean;
  testId?: string;
  onSelect(): void;
}

export type MenuEntry = MenuAction | 'separator';

export interface MenuPosition {
  x: number;
  y: number;
}

interface MenuProps {
  label: string;
  entries: readonly MenuEntry[];
  position: MenuPosition;
  onClose(): void;
  testId?: string;
}

const MARGIN = 6;

/** The point under a button, for menus opened by "⋯". */
export function belowElement(element: Element): MenuPosition {
  const rect = element.getBoundingClientRect();
  return { x: rect.left, y: rect.bottom + 2 };
}

export function Menu({ label, entries, position, onClose, testId }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [placed, setPlaced] = useState<MenuPosition>(position);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    const { width, height } = menu.getBoundingClientRect();
    setPlaced({
      x: Math.max(MARGIN, Math.min(position.x, window.innerWidth - width - MARGIN)),
      y: Math.max(MARGIN, position.y + height > window.innerHeight - MARGIN ? position.y - height - 4 : position.y),
    });
  }, [position]);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
    const onPointerDown = (event: PointerEvent): void => {
      if (!ref.current?.contains(event.target as Node)) onCloseRef.current();
    };
    const onBlurWindow = (): void => onCloseRef.current();
    document.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('blur', onBlurWindow);
    window.addEventListener('resize', onBlurWindow);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('blur', onBlurWindow);
      window.removeEventListener('resize', onBlurWindow);
      if (previous?.isConnected && !document.querySelector('dialog[open]')) previous.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const focus = (next: number): void => items[(next + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focus(index + 1);
        break;
      case 'ArrowUp':
        focus(index - 1);
        break;
      case 'Home':
        focus(0);
        break;
      case 'End':
        focus(items.length - 1);
        break;
      case 'Escape':
      case 'Tab':
        onClose();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  return createPortal(
    <div
      ref={ref}
      className="menu"
      role="menu"
      aria-label={label}
      data-testid={testId}
      style={{ left: placed.x, top: placed.y }}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => event.preventDefault()}
    >
      {entries.map((entry, index) =>
        entry === 'separator' ? (
          <div key={`separator-${index}`} className="menu-separator" role="separator" />
        ) : (
          <button
            key={entry.id}
            type="button"
            role="menuitem"
            tabIndex={-1}
            className={`menu-item${entry.danger ? ' menu-item-danger' : ''}`}
            data-testid={entry.testId}
            disabled={entry.disabled}
            onClick={() => {
              onClose();
              entry.onSelect();
            }}
          >
            <span className="menu-icon">{entry.icon && <Icon name={entry.icon} size={14} />}</span>
            <span className="menu-label">{entry.label}</span>
          </button>
        ),
      )}
    </div>,
    document.body,
  );
}
