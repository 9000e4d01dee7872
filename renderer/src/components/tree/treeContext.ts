import { createContext, useContext } from 'react';
import type { TreeNode } from '../../navigation/treeModel.js';

export interface TreeContextValue {
  selectedKey: string | null;
  /** The one item with tabIndex 0 (roving tabindex). */
  tabbableKey: string | null;
  expanded: Readonly<Record<string, boolean>>;
  onRowClick(node: TreeNode): void;
  onToggle(node: TreeNode): void;
}

export const TreeContext = createContext<TreeContextValue | null>(null);

export function useTreeContext(): TreeContextValue {
  const value = useContext(TreeContext);
  if (!value) throw new Error('Tree items must be rendered inside <HostTree>');
  return value;
}
