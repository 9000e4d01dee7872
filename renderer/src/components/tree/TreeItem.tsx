/**
 * One node of the ARIA tree. The <li> is the treeitem (and carries the test hooks); its row
 * is the clickable line; children render inside a role="group" list only while expanded.
 */
import type { MouseEvent, ReactNode } from 'react';
import type { TreeNode } from '../../navigation/treeModel.js';
import { Icon } from '../common/Icon.js';
import { useNodeOpen, useTreeActions, useTreeFocus } from './treeContext.js';

const INDENT_PX = 14;
const BASE_PADDING_PX = 6;

interface TreeItemProps {
  node: TreeNode;
  level: number;
  testId: string;
  /** The accessible name; without it a treeitem would be named after its whole subtree. */
  ariaLabel: string;
  /** Extra data-* attributes for tests and styling. */
  data?: Readonly<Record<`data-${string}`, string>>;
  title?: string;
  muted?: boolean;
  children: ReactNode;
  renderChildren?: () => ReactNode;
  onContextMenu?: (event: MouseEvent<HTMLDivElement>) => void;
}

export function TreeItem(props: TreeItemProps) {
  const { node, level, testId, ariaLabel, data, title, muted, children, renderChildren, onContextMenu } = props;
  const { onRowClick, onToggle } = useTreeActions();
  const { selectedKey, tabbableKey } = useTreeFocus();
  const hasChildren = node.children.length > 0;
  const open = useNodeOpen(node);
  const selected = selectedKey === node.key;
  return (
    <li
      role="treeitem"
      className="tree-item"
      data-testid={testId}
      data-node-key={node.key}
      {...data}
      aria-label={ariaLabel}
      aria-level={level}
      aria-expanded={hasChildren ? open : undefined}
      aria-selected={selected}
      tabIndex={tabbableKey === node.key ? 0 : -1}
    >
      <div
        className={`tree-row${selected ? ' selected' : ''}${muted ? ' muted' : ''}`}
        style={{ paddingLeft: BASE_PADDING_PX + (level - 1) * INDENT_PX }}
        title={title}
        data-testid="tree-row"
        onClick={() => onRowClick(node, open)}
        onContextMenu={onContextMenu}
      >
        <span
          className={`tree-twisty${open ? ' open' : ''}`}
          onClick={
            hasChildren
              ? (event) => {
                  event.stopPropagation();
                  onToggle(node, open);
                }
              : undefined
          }
        >
          {hasChildren && <Icon name="chevronRight" size={14} />}
        </span>
        {children}
      </div>
      {open && renderChildren && <ul role="group">{renderChildren()}</ul>}
    </li>
  );
}
