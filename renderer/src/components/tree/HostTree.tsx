/**
 * The host tree: folders → hosts → groups → VMs / networks / pools. Follows the WAI-ARIA tree
 * view pattern: one tab stop (roving tabindex), arrows move, Left/Right collapse and expand,
 * Enter opens, the menu key (or Shift+F10) opens a host's menu. Selection follows focus;
 * opening a node puts it in a tab. The sidebar's filter narrows it to what matches.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useT } from '../../i18n/useT.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';
import { createTreeBuilder, flattenVisible, normalizeQuery, type TreeNode } from '../../navigation/treeModel.js';
import { treeKeyAction } from '../../navigation/treeKeyboard.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { openNode, useUiStore } from '../../store/uiStore.js';
import type { MenuPosition } from '../common/Menu.js';
import { HostMenu } from '../hosts/HostMenu.js';
import { VmMenu } from '../vms/VmMenu.js';
import { TreeChildren } from './TreeChildren.js';
import { TreeActionsContext, TreeFocusContext, type TreeActions, type TreeFocus } from './treeContext.js';
import './tree.css';

function itemElement(root: HTMLElement | null, key: string): HTMLElement | null {
  return root?.querySelector<HTMLElement>(`[data-node-key="${CSS.escape(key)}"]`) ?? null;
}

export function HostTree() {
  const t = useT();
  const hosts = useHostsStore((state) => state.hosts);
  const byHost = useInventoryStore((state) => state.byHost);
  const filter = useUiStore((state) => state.treeFilter);
  const query = normalizeQuery(filter);
  const filtering = query !== '';
  const expanded = useUiStore((state) => (filtering ? state.filterExpanded : state.expanded));
  const selectedKey = useUiStore((state) => state.selectedKey);
  const treeRef = useRef<HTMLUListElement>(null);
  const [menu, setMenu] = useState<{ hostId: string; position: MenuPosition } | null>(null);
  const [vmMenu, setVmMenu] = useState<{ hostId: string; name: string; position: MenuPosition } | null>(null);
  const vmMenuVm = vmMenu ? byHost[vmMenu.hostId]?.vms.find((vm) => vm.name === vmMenu.name) : undefined;

  const [build] = useState(createTreeBuilder);
  const roots = useMemo(() => build(hosts, byHost, { query, hostName: (host) => hostDisplayName(host, t) }), [build, hosts, byHost, query, t]);
  const rows = useMemo(() => flattenVisible(roots, expanded, filtering), [roots, expanded, filtering]);
  const tabbableKey = rows.some((row) => row.key === selectedKey) ? selectedKey : (rows[0]?.key ?? null);

  useEffect(() => {
    if (selectedKey) itemElement(treeRef.current, selectedKey)?.querySelector('.tree-row')?.scrollIntoView({ block: 'nearest' });
  }, [selectedKey]);

  const focus = useMemo<TreeFocus>(() => ({ selectedKey, tabbableKey }), [selectedKey, tabbableKey]);
  // Never changes: items that only need actions are not re-rendered by anything here.
  const actions = useMemo<TreeActions>(
    () => ({
      onRowClick: (node: TreeNode, open: boolean) => openNode(node.ref, open),
      onToggle: (node: TreeNode, open: boolean) => useUiStore.getState().setExpanded(node.key, !open),
      onHostMenu: (hostId: string, position: MenuPosition, key: string) => {
        useUiStore.getState().select(key);
        setMenu({ hostId, position });
      },
      onVmMenu: (hostId: string, name: string, position: MenuPosition, key: string) => {
        useUiStore.getState().select(key);
        setVmMenu({ hostId, name, position });
      },
    }),
    [],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[data-node-key]');
    const currentKey = item?.dataset.nodeKey;
    if (!currentKey || !item) return;
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      const hostId = item.dataset.hostId;
      if (item.dataset.testid === 'tree-host' && hostId) {
        event.preventDefault();
        const rect = item.querySelector('.tree-row')?.getBoundingClientRect() ?? item.getBoundingClientRect();
        setMenu({ hostId, position: { x: rect.left + 24, y: rect.bottom } });
      } else if (item.dataset.testid === 'tree-vm' && hostId && item.dataset.vmName !== undefined) {
        event.preventDefault();
        const rect = item.querySelector('.tree-row')?.getBoundingClientRect() ?? item.getBoundingClientRect();
        setVmMenu({ hostId, name: item.dataset.vmName, position: { x: rect.left + 24, y: rect.bottom } });
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
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
        if (row) openNode(row.ref, row.expanded);
        return;
      }
    }
  };

  if (hosts.length === 0) return <p className="tree-empty">{t('tree.empty')}</p>;
  if (roots.length === 0) {
    return (
      <p className="tree-empty" data-testid="tree-no-match">
        {t('tree.noMatch', { filter: filter.trim() })}
      </p>
    );
  }

  return (
    <TreeActionsContext.Provider value={actions}>
      <TreeFocusContext.Provider value={focus}>
      <ul
        role="tree"
        aria-label={t('tree.label')}
        className="host-tree"
        data-testid="host-tree"
        data-filtered={filtering ? 'true' : 'false'}
        ref={treeRef}
        onKeyDown={onKeyDown}
      >
        <TreeChildren nodes={roots} level={1} />
      </ul>
      {menu && (
        <HostMenu hostId={menu.hostId} position={menu.position} withOpen onClose={() => setMenu(null)} />
      )}
      {vmMenu && vmMenuVm && (
        <VmMenu subjects={[{ hostId: vmMenu.hostId, vm: vmMenuVm }]} position={vmMenu.position} withOpen onClose={() => setVmMenu(null)} />
      )}
      </TreeFocusContext.Provider>
    </TreeActionsContext.Provider>
  );
}
