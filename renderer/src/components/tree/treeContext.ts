/**
 * What tree items share, split by how often it changes, so one host's new inventory re-renders
 * that host alone: the actions never change, the focus changes when the user moves, and each
 * item reads its own expansion from the UI store (a boolean selector re-renders only the items
 * whose answer changed).
 */
import { createContext, useContext } from 'react';
import type { MenuPosition } from '../common/Menu.js';
import { isNodeOpen, normalizeQuery, type TreeNode } from '../../navigation/treeModel.js';
import { useUiStore } from '../../store/uiStore.js';

export interface TreeActions {
  /** `open`: whether the node shows its children now. */
  onRowClick(node: TreeNode, open: boolean): void;
  onToggle(node: TreeNode, open: boolean): void;
  /** Opens a host's menu at a point (right-click, "⋯", or the keyboard's menu key) and selects it. */
  onHostMenu(hostId: string, position: MenuPosition, key: string): void;
  /** Opens a VM's menu (its lifecycle actions) at a point and selects it. */
  onVmMenu(hostId: string, name: string, position: MenuPosition, key: string): void;
}

export interface TreeFocus {
  selectedKey: string | null;
  /** The one item with tabIndex 0 (roving tabindex). */
  tabbableKey: string | null;
}

export const TreeActionsContext = createContext<TreeActions | null>(null);
export const TreeFocusContext = createContext<TreeFocus>({ selectedKey: null, tabbableKey: null });

export function useTreeActions(): TreeActions {
  const value = useContext(TreeActionsContext);
  if (!value) throw new Error('Tree items must be rendered inside <HostTree>');
  return value;
}

export function useTreeFocus(): TreeFocus {
  return useContext(TreeFocusContext);
}

/** Whether a node shows its children (its expansion, or the filter's own expansion). */
export function useNodeOpen(node: TreeNode): boolean {
  return useUiStore((state) => {
    if (node.children.length === 0) return false;
    const filtering = normalizeQuery(state.treeFilter) !== '';
    return isNodeOpen(node, filtering ? state.filterExpanded : state.expanded, filtering);
  });
}
