/**
 * The host tree: hosts → groups → VMs / networks / pools. Follows the WAI-ARIA tree view
 * pattern: one tab stop (roving tabindex), arrows move, Left/Right collapse and expand,
 * Enter opens. Selection follows focus; opening a node puts it in a tab.
 */
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { useT } from '../../i18n/useT.js';
import { buildTree, flattenVisible, isExpanded, type TreeNode } from '../../navigation/treeModel.js';
import { treeKeyAction } from '../../navigation/treeKeyboard.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { openNode, useUiStore } from '../../store/uiStore.js';
import { HostTreeNode } from './HostTreeNode.js';
import { TreeContext, type TreeContextValue } from './treeContext.js';
import './tree.css';

function itemElement(root: HTMLElement | null, key: string): HTMLElement | null {
  return root?.querySelector<HTMLElement>(`[data-node-key="${CSS.escape(key)}"]`) ?? null;
}

export function HostTree() {
  const t = useT();
  const hosts = useHostsStore((state) => state.hosts);
  const byHost = useInventoryStore((state) => state.byHost);
  const expanded = useUiStore((state) => state.expanded);
  const selectedKey = useUiStore((state) => state.selectedKey);
  const treeRef = useRef<HTMLUListElement>(null);

  const roots = useMemo(() => buildTree(hosts, byHost), [hosts, byHost]);
  const rows = useMemo(() => flattenVisible(roots, expanded), [roots, expanded]);
  const tabbableKey = rows.some((row) => row.key === selectedKey) ? selectedKey : (rows[0]?.key ?? null);

  useEffect(() => {
    if (selectedKey) itemElement(treeRef.current, selectedKey)?.querySelector('.tree-row')?.scrollIntoView({ block: 'nearest' });
  }, [selectedKey]);

  const context = useMemo<TreeContextValue>(
    () => ({
      selectedKey,
      tabbableKey,
      expanded,
      onRowClick: (node: TreeNode) => openNode(node.ref),
      onToggle: (node: TreeNode) => useUiStore.getState().setExpanded(node.key, !isExpanded(expanded, node.key)),
    }),
    [selectedKey, tabbableKey, expanded],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const item = (event.target as HTMLElement).closest<HTMLElement>('[data-node-key]');
    const currentKey = item?.dataset.nodeKey;
    if (!currentKey) return;
    const action = treeKeyAction(rows, currentKey, event.key);
    if (!action) return;
    event.preventDefault();
    const ui = useUiStore.getState();
    switch (action.type) {
      case 'focus':
        ui.select(action.key);
        itemElement(treeRef.current, action.key)?.focus();
        return;
      case 'expand':
        ui.setExpanded(action.key, true);
        return;
      case 'collapse':
        ui.setExpanded(action.key, false);
        return;
      case 'activate': {
        const row = rows.find((candidate) => candidate.key === action.key);
        if (row) openNode(row.ref);
        return;
      }
    }
  };

  if (hosts.length === 0) return <p className="tree-empty">{t('tree.empty')}</p>;

  return (
    <TreeContext.Provider value={context}>
      <ul role="tree" aria-label={t('tree.label')} className="host-tree" data-testid="host-tree" ref={treeRef} onKeyDown={onKeyDown}>
        {roots.map((node) => (node.host ? <HostTreeNode key={node.key} node={node} host={node.host} /> : null))}
      </ul>
    </TreeContext.Provider>
  );
}
