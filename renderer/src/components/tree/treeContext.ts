import { createContext, useContext } from 'react';
import type { MenuPosition } from '../common/Menu.js';
import type { TreeNode } from '../../navigation/treeModel.js';

export interface TreeContextValue {
  selectedKey: string | null;
  /** The one item with tabIndex 0 (roving tabindex). */
  tabbableKey: string | null;
  /** Whether a node shows its children (expansion, or the filter's own expansion). */
  isOpen(node: TreeNode): boolean;
  onRowClick(node: TreeNode): void;
  onToggle(node: TreeNode): void;
  /** Opens a host's menu at a point (right-click, "⋯", or the keyboard's menu key) and selects it. */
  onHostMenu(hostId: string, position: MenuPosition, key: string): void;
}

export const TreeContext = createContext<TreeContextValue | null>(null);

export function useTreeContext(): TreeContextValue {
  const value = useContext(TreeContext);
  if (!value) throw new Error('Tree items must be rendered inside <HostTree>');
  return value;
}
