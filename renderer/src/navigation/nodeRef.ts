/**
 * What the tree and the tabs point at: a folder of hosts, a host, one of its groups, or one
 * object on it. Keys are strings so they can live in records, DOM attributes and tab lists.
 */
export type GroupKind = 'vms' | 'networks' | 'pools';
export type ObjectKind = 'vm' | 'network' | 'pool';

export type NodeRef =
  | { kind: 'folder'; path: string }
  | { kind: 'host'; hostId: string }
  | { kind: 'group'; hostId: string; group: GroupKind }
  | { kind: ObjectKind; hostId: string; name: string };

/** What a tab can show: a host or an object, the welcome overview, or the list of all VMs. */
export type TabRef = Exclude<NodeRef, { kind: 'group' } | { kind: 'folder' }> | { kind: 'welcome' } | { kind: 'vm-list' };

export const WELCOME_TAB_KEY = 'welcome';
export const VM_LIST_TAB_KEY = 'vm-list';

export function nodeKey(ref: NodeRef | TabRef): string {
  switch (ref.kind) {
    case 'welcome':
      return WELCOME_TAB_KEY;
    case 'vm-list':
      return VM_LIST_TAB_KEY;
    case 'folder':
      return `folder/${encodeURIComponent(ref.path)}`;
    case 'host':
      return `host/${encodeURIComponent(ref.hostId)}`;
    case 'group':
      return `group/${encodeURIComponent(ref.hostId)}/${ref.group}`;
    default:
      return `${ref.kind}/${encodeURIComponent(ref.hostId)}/${encodeURIComponent(ref.name)}`;
  }
}

/** Whether a tab has a node in the tree (the overview and the VM list do not). */
export function isTreeTab(key: string): boolean {
  return key !== WELCOME_TAB_KEY && key !== VM_LIST_TAB_KEY;
}

export function groupOf(kind: ObjectKind): GroupKind {
  return kind === 'vm' ? 'vms' : kind === 'network' ? 'networks' : 'pools';
}
