/**
 * Keyboard behaviour of the host tree (WAI-ARIA tree view pattern), as a pure function of
 * the visible rows, the focused row and the key pressed.
 */
import type { VisibleNode } from './treeModel.js';

export type TreeKeyAction =
  | { type: 'focus'; key: string }
  | { type: 'expand'; key: string }
  | { type: 'collapse'; key: string }
  | { type: 'activate'; key: string };

export function treeKeyAction(rows: readonly VisibleNode[], currentKey: string, key: string): TreeKeyAction | null {
  if (rows.length === 0) return null;
  const index = rows.findIndex((row) => row.key === currentKey);
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (index < 0 || !first || !last) return first ? { type: 'focus', key: first.key } : null;
  const current = rows[index];
  if (!current) return null;
  switch (key) {
    case 'ArrowDown': {
      const next = rows[index + 1];
      return next ? { type: 'focus', key: next.key } : null;
    }
    case 'ArrowUp': {
      const previous = rows[index - 1];
      return previous ? { type: 'focus', key: previous.key } : null;
    }
    case 'Home':
      return { type: 'focus', key: first.key };
    case 'End':
      return { type: 'focus', key: last.key };
    case 'ArrowRight': {
      if (!current.hasChildren) return null;
      if (!current.expanded) return { type: 'expand', key: current.key };
      const child = rows[index + 1];
      return child ? { type: 'focus', key: child.key } : null;
    }
    case 'ArrowLeft':
      if (current.hasChildren && current.expanded) return { type: 'collapse', key: current.key };
      return current.parentKey ? { type: 'focus', key: current.parentKey } : null;
    case 'Enter':
    case ' ':
      return { type: 'activate', key: current.key };
    default:
      return null;
  }
}
