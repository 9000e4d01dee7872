import type { TreeNode } from '../../navigation/treeModel.js';
import { FolderTreeNode } from './FolderTreeNode.js';
import { HostTreeNode } from './HostTreeNode.js';

/** Folders and hosts at one level of the tree. */
export function TreeChildren({ nodes, level }: { nodes: readonly TreeNode[]; level: number }) {
  return (
    <>
      {nodes.map((child) =>
        child.folder ? (
          <FolderTreeNode key={child.key} node={child} level={level} />
        ) : child.host ? (
          <HostTreeNode key={child.key} node={child} host={child.host} level={level} />
        ) : null,
      )}
    </>
  );
}
