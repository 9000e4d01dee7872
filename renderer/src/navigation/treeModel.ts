/**
 * The host tree as data: folders → hosts → groups → objects, built from hosts and inventories,
 * optionally filtered, and flattened to the rows that are visible under the current
 * expansion. Keyboard navigation works on the flat list.
 */
import type {
  HostInventory,
  HostSummary,
  NetworkSummary,
  PoolSummary,
  VmSummary,
} from '../../../preload/contract.js';
import { sortByName } from '../model/compareNames.js';
import { groupByFolder, normalizeFolder, type FolderGroup } from './folderGrouping.js';
import { nodeKey, type GroupKind, type NodeRef } from './nodeRef.js';

export interface FolderInfo {
  path: string;
  name: string;
  /** Hosts in this folder and all folders below it (after filtering). */
  hostCount: number;
}

export interface TreeNode {
  key: string;
  ref: NodeRef;
  children: TreeNode[];
  /** The object behind the node, for rendering (at most one is set; none for groups). */
  folder?: FolderInfo;
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

export interface TreeOptions {
  /** Filter text: hosts (by name, address, folder or tag) and VMs, networks, pools by name. */
  query?: string;
  /** The name shown for a host (built-in hosts are named in the reader's language). */
  hostName?: (host: HostSummary) => string;
}

/** Hosts with more VMs than this start with their groups collapsed (and so do big filter hits). */
export const GROUP_AUTO_EXPAND_LIMIT = 50;

export const groupKinds: readonly GroupKind[] = ['vms', 'networks', 'pools'];

function node(ref: NodeRef, children: TreeNode[], data: Partial<TreeNode> = {}): TreeNode {
  return { key: nodeKey(ref), ref, children, ...data };
}

/**
 * A host's groups, built once per inventory object: inventories are replaced, never
 * mutated, so an unchanged host costs nothing when another host's inventory arrives.
 */
const groupCache = new WeakMap<HostInventory, TreeNode[]>();

function hostGroups(inventory: HostInventory): TreeNode[] {
  const cached = groupCache.get(inventory);
  if (cached) return cached;
  const hostId = inventory.hostId;
  const groups = [
    node(
      { kind: 'group', hostId, group: 'vms' },
      sortByName(inventory.vms).map((vm) => node({ kind: 'vm', hostId, name: vm.name }, [], { vm })),
    ),
    node(
      { kind: 'group', hostId, group: 'networks' },
      sortByName(inventory.networks).map((network) => node({ kind: 'network', hostId, name: network.name }, [], { network })),
    ),
    node(
      { kind: 'group', hostId, group: 'pools' },
      sortByName(inventory.pools).map((pool) => node({ kind: 'pool', hostId, name: pool.name }, [], { pool })),
    ),
  ];
  groupCache.set(inventory, groups);
  return groups;
}

function objectName(item: TreeNode): string {
  return item.vm?.name ?? item.network?.name ?? item.pool?.name ?? '';
}

/** Whether the filter text names the host itself (then its whole subtree shows). */
export function hostMatchesQuery(host: HostSummary, name: string, query: string): boolean {
  if (query === '') return true;
  if (name.toLowerCase().includes(query)) return true;
  if (host.address?.toLowerCase().includes(query)) return true;
  if (normalizeFolder(host.folder).toLowerCase().includes(query)) return true;
  return (host.tags ?? []).some((tag) => tag.toLowerCase().includes(query));
}

/** The filter text as it is compared: trimmed, lower case. */
export function normalizeQuery(query: string | undefined): string {
  return (query ?? '').trim().toLowerCase();
}

function hostNode(host: HostSummary, inventory: HostInventory | undefined, query: string, name: string): TreeNode | null {
  const groups = inventory ? hostGroups(inventory) : [];
  if (hostMatchesQuery(host, name, query)) return node({ kind: 'host', hostId: host.id }, groups, { host });
  const filtered = groups
    .map((group) => ({ ...group, children: group.children.filter((child) => objectName(child).toLowerCase().includes(query)) }))
    .filter((group) => group.children.length > 0);
  return filtered.length > 0 ? node({ kind: 'host', hostId: host.id }, filtered, { host }) : null;
}

/** Node objects kept from the last build, so unchanged hosts and folders keep their identity. */
interface TreeReuse {
  hosts: Map<string, { host: HostSummary; inventory: HostInventory | undefined; query: string; name: string; node: TreeNode | null }>;
  folders: Map<string, TreeNode>;
}

function sameChildren(a: readonly TreeNode[], b: readonly TreeNode[]): boolean {
  return a.length === b.length && a.every((child, index) => child === b[index]);
}

function folderNodes(group: FolderGroup<TreeNode>, reuse?: TreeReuse): { nodes: TreeNode[]; hostCount: number } {
  const nodes: TreeNode[] = [];
  let hostCount = group.items.length;
  for (const folder of group.folders) {
    const inner = folderNodes(folder, reuse);
    if (inner.hostCount === 0) continue;
    hostCount += inner.hostCount;
    const previous = reuse?.folders.get(folder.path);
    if (previous && previous.folder?.hostCount === inner.hostCount && previous.folder.name === folder.name && sameChildren(previous.children, inner.nodes)) {
      nodes.push(previous);
      continue;
    }
    const created = node({ kind: 'folder', path: folder.path }, inner.nodes, {
      folder: { path: folder.path, name: folder.name, hostCount: inner.hostCount },
    });
    reuse?.folders.set(folder.path, created);
    nodes.push(created);
  }
  // Folders first, then the hosts at this level in main's order.
  return { nodes: [...nodes, ...group.items], hostCount };
}

function build(
  hosts: readonly HostSummary[],
  inventories: Readonly<Record<string, HostInventory | undefined>>,
  options: TreeOptions,
  reuse?: TreeReuse,
): TreeNode[] {
  const query = normalizeQuery(options.query);
  const nameOf = options.hostName ?? ((host: HostSummary) => host.label);
  const hostNodes: TreeNode[] = [];
  for (const host of hosts) {
    const inventory = inventories[host.id];
    const name = nameOf(host);
    const previous = reuse?.hosts.get(host.id);
    let item: TreeNode | null;
    if (previous && previous.host === host && previous.inventory === inventory && previous.query === query && previous.name === name) {
      item = previous.node;
    } else {
      item = hostNode(host, inventory, query, name);
      reuse?.hosts.set(host.id, { host, inventory, query, name, node: item });
    }
    if (item) hostNodes.push(item);
  }
  if (reuse && reuse.hosts.size > hosts.length) {
    const ids = new Set(hosts.map((host) => host.id));
    for (const id of reuse.hosts.keys()) if (!ids.has(id)) reuse.hosts.delete(id);
  }
  if (!hostNodes.some((item) => normalizeFolder(item.host?.folder) !== '')) return hostNodes;
  return folderNodes(groupByFolder(hostNodes, (item) => item.host?.folder), reuse).nodes;
}

export function buildTree(
  hosts: readonly HostSummary[],
  inventories: Readonly<Record<string, HostInventory | undefined>>,
  options: TreeOptions = {},
): TreeNode[] {
  return build(hosts, inventories, options);
}

/**
 * buildTree that keeps node objects of hosts and folders that did not change since its last
 * call: with fifty hosts arriving one by one, each arrival builds (and re-renders) one host.
 */
export function createTreeBuilder(): typeof buildTree {
  const reuse: TreeReuse = { hosts: new Map(), folders: new Map() };
  return (hosts, inventories, options = {}) => build(hosts, inventories, options, reuse);
}

/**
 * Whether a node shows its children. Normally everything is open until closed (the UI store
 * records what the user, or the >50 rule, closed). While filtering, a separate record is
 * used and big groups of hits start closed, so a broad filter never renders thousands of rows.
 */
export function isNodeOpen(node: TreeNode, expanded: Readonly<Record<string, boolean>>, filtering = false): boolean {
  if (node.children.length === 0) return false;
  const explicit = expanded[node.key];
  if (explicit !== undefined) return explicit;
  if (filtering && node.ref.kind === 'group') return node.children.length <= GROUP_AUTO_EXPAND_LIMIT;
  return true;
}

/** Expansion by key alone (no filter): open unless closed. */
export function isExpanded(expanded: Readonly<Record<string, boolean>>, key: string): boolean {
  return expanded[key] ?? true;
}

export function flattenVisible(
  roots: readonly TreeNode[],
  expanded: Readonly<Record<string, boolean>>,
  filtering = false,
): VisibleNode[] {
  const rows: VisibleNode[] = [];
  const walk = (nodes: readonly TreeNode[], parentKey: string | null, level: number): void => {
    for (const item of nodes) {
      const hasChildren = item.children.length > 0;
      const open = isNodeOpen(item, expanded, filtering);
      rows.push({ key: item.key, ref: item.ref, parentKey, level, hasChildren, expanded: open });
      if (open) walk(item.children, item.key, level + 1);
    }
  };
  walk(roots, null, 1);
  return rows;
}
