/**
 * What the tree and the tabs point at: a host, one of its groups, or one object on it.
 * Keys are strings so they can live in records, DOM attributes and tab lists.
 */
export type GroupKind = 'vms' | 'networks' | 'pools';
export type ObjectKind = 'vm' | 'network' | 'pool';

export type NodeRef =
  | { kind: 'host'; hostId: string }
  | { kind: 'group'; hostId: string; group: GroupKind }
  | { kind: ObjectKind; hostId: string; name: string };

/** What a tab can show: any node but a group, or the welcome overview. */
export type TabRef = Exclude<NodeRef, { kind: 'group' }> | { kind: 'welcome' };

export const WELCOME_TAB_KEY = 'welcome';

export function nodeKey(ref: NodeRef | TabRef): string {
  switch (ref.kind) {
    case 'welcome':
      return WELCOME_TAB_KEY;
    case 'host':
      return `host/${encodeURIComponent(ref.hostId)}`;
    case 'group':
      return `group/${encodeURIComponent(ref.hostId)}/${ref.group}`;
    default:
      return `${ref.kind}/${encodeURIComponent(ref.hostId)}/${encodeURIComponent(ref.name)}`;
  }
}

export function groupOf(kind: ObjectKind): GroupKind {
  return kind === 'vm' ? 'vms' : kind === 'network' ? 'networks' : 'pools';
}
