import type { TreeNode } from '../../navigation/treeModel.js';
import { useT } from '../../i18n/useT.js';
import { Icon, type IconName } from '../common/Icon.js';
import { ObjectTreeNode } from './ObjectTreeNode.js';
import { TreeItem } from './TreeItem.js';

const groupIcon: Record<'vms' | 'networks' | 'pools', IconName> = {
  vms: 'monitor',
  networks: 'network',
  pools: 'database',
};

/** A "Virtual machines (n)" / "Networks (n)" / "Storage pools (n)" node and its items. */
export function GroupTreeNode({ node, stale, level }: { node: TreeNode; stale: boolean; level: number }) {
  const t = useT();
  if (node.ref.kind !== 'group') return null;
  const group = node.ref.group;
  const label = t(`tree.group.${group}`, { count: node.children.length });
  return (
    <TreeItem
      node={node}
      level={level}
      testId={`tree-group-${group}`}
      data={{ 'data-count': String(node.children.length) }}
      ariaLabel={label}
      muted={stale}
      renderChildren={() => node.children.map((child) => <ObjectTreeNode key={child.key} node={child} stale={stale} level={level + 1} />)}
    >
      <Icon name={groupIcon[group]} />
      <span className="tree-label">{label}</span>
    </TreeItem>
  );
}
