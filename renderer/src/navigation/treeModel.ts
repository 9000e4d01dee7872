/**
 * The host tree as data: built from hosts and inventories, flattened to the rows that are
 * visible under the current expansion. Keyboard navigation works on the flat list.
 */
import type {
  HostInventory,
  HostSummary,
  NetworkSummary,
  PoolSummary,
  VmSummary,
} from '../../../preload/contract.js';
import { sortByName } from '../model/compareNames.js';
import { nodeKey, type GroupKind, type NodeRef } from './nodeRef.js';

export interface TreeNode {
  key: string;
  ref: NodeRef;
  children: TreeNode[];
  /** The object behind the node, for rendering (exactly one is set, none for groups). */
  host?: HostSummary;
  vm?: VmSummary;
  network?: NetworkSummary;
  pool?: PoolSummary;
}

export interface VisibleNode {
  key: string;
  ref: NodeRef;
  parentKey: string | null;
  level: number;
  hasChildren: boolean;
  expanded: boolean;
}

/** Hosts with more VMs than this start with their groups collapsed. */
export const GROUP_AUTO_EXPAND_LIMIT = 50;

export const groupKinds: readonly GroupKind[] = ['vms', 'networks', 'pools'];

function node(ref: NodeRef, children: TreeNode[], data: Partial<TreeNode> = {}): TreeNode {
  return { key: nodeKey(ref), ref, children, ...data };
}

export function buildTree(
  hosts: readonly HostSummary[],
  inventories: Readonly<Record<string, HostInventory | undefined>>,
): TreeNode[] {
  return hosts.map((host) => {
    const inventory = inventories[host.id];
    const hostId = host.id;
    const children = inventory
      ? [
          node(
            { kind: 'group', hostId, group: 'vms' },
            sortByName(inventory.vms).map((vm) => node({ kind: 'vm', hostId, name: vm.name }, [], { vm })),
          ),
          node(
            { kind: 'group', hostId, group: 'networks' },
            sortByName(inventory.networks).map((network) =>
              node({ kind: 'network', hostId, name: network.name }, [], { network }),
            ),
          ),
          node(
            { kind: 'group', hostId, group: 'pools' },
            sortByName(inventory.pools).map((pool) => node({ kind: 'pool', hostId, name: pool.name }, [], { pool })),
          ),
        ]
      : [];
    return node({ kind: 'host', hostId }, children, { host });
  });
}

/** Expansion defaults to open; the UI store records what the user (or the >50 rule) closed. */
export function isExpanded(expanded: Readonly<Record<string, boolean>>, key: string): boolean {
  return expanded[key] ?? true;
}

export function flattenVisible(
  roots: readonly TreeNode[],
  expanded: Readonly<Record<string, boolean>>,
): VisibleNode[] {
  const rows: VisibleNode[] = [];
  const walk = (nodes: readonly TreeNode[], parentKey: string | null, level: number): void => {
    for (const item of nodes) {
      const hasChildren = item.children.length > 0;
      const open = hasChildren && isExpanded(expanded, item.key);
      rows.push({ key: item.key, ref: item.ref, parentKey, level, hasChildren, expanded: open });
      if (open) walk(item.children, item.key, level + 1);
    }
  };
  walk(roots, null, 1);
  return rows;
}
