import { useT } from '../../i18n/useT.js';
import type { TreeNode } from '../../navigation/treeModel.js';
import { Icon } from '../common/Icon.js';
import { TreeChildren } from './TreeChildren.js';
import { TreeItem } from './TreeItem.js';
import { useNodeOpen } from './treeContext.js';

/** A folder of hosts ("Lab", "Lab/Rack 2"): collapsible, with how many hosts it holds. */
export function FolderTreeNode({ node, level }: { node: TreeNode; level: number }) {
  const t = useT();
  const open = useNodeOpen(node);
  const folder = node.folder;
  if (!folder) return null;
  const count = t.count('tree.folderHosts', folder.hostCount);
  return (
    <TreeItem
      node={node}
      level={level}
      testId="tree-folder"
      ariaLabel={`${folder.name}, ${count}`}
      data={{ 'data-folder': folder.path }}
      title={`${folder.path} — ${count}`}
      renderChildren={() => <TreeChildren nodes={node.children} level={level + 1} />}
    >
      <Icon name={open ? 'folderOpen' : 'folder'} size={15} className="tree-folder-icon" />
      <span className="tree-label tree-label-folder">{folder.name}</span>
      <span className="tree-count">{folder.hostCount}</span>
    </TreeItem>
  );
}
