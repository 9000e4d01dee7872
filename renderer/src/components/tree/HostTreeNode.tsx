import { memo } from 'react';
import type { HostSummary } from '../../../../preload/contract.js';
import type { TreeNode } from '../../navigation/treeModel.js';
import { useT } from '../../i18n/useT.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { Icon } from '../common/Icon.js';
import { belowElement } from '../common/Menu.js';
import { StatusDot } from '../common/StatusDot.js';
import { TagChips } from '../common/TagChips.js';
import { hostStatusTone } from '../common/toneOf.js';
import { HostKindIcon } from '../hosts/HostKindIcon.js';
import { GroupTreeNode } from './GroupTreeNode.js';
import { TreeItem } from './TreeItem.js';
import { useTreeActions } from './treeContext.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';

function sshTarget(host: HostSummary): string {
  if (!host.address) return '';
  const user = host.user ? `${host.user}@` : '';
  const port = host.port && host.port !== 22 ? `:${host.port}` : '';
  return `${user}${host.address}${port}`;
}

/** Memoised: a host re-renders when its own node (summary, inventory) or its own flags change. */
export const HostTreeNode = memo(function HostTreeNode({ node, host, level = 1 }: { node: TreeNode; host: HostSummary; level?: number }) {
  const t = useT();
  const { onHostMenu } = useTreeActions();
  const loading = useInventoryStore((state) => state.loading[host.id] ?? false);
  const failed = useInventoryStore((state) => state.errors[host.id] !== undefined);
  const statusLabel = t(`hostStatus.${host.status}`);
  const connected = host.status === 'connected';
  const busy = loading || host.status === 'connecting';
  const name = hostDisplayName(host, t);
  const tags = host.tags ?? [];
  const title = [
    `${name} — ${statusLabel}`,
    host.kind === 'ssh' ? `${t('hostKind.ssh')} ${sshTarget(host)}`.trim() : '',
    host.uri,
    tags.length > 0 ? tags.map((tag) => `#${tag}`).join(' ') : '',
  ]
    .filter((line) => line !== '')
    .join('\n');
  return (
    <TreeItem
      node={node}
      level={level}
      testId="tree-host"
      ariaLabel={`${name}, ${statusLabel}`}
      data={{ 'data-host-id': host.id, 'data-status': host.status }}
      title={title}
      onContextMenu={(event) => {
        event.preventDefault();
        onHostMenu(host.id, { x: event.clientX, y: event.clientY }, node.key);
      }}
      renderChildren={() =>
        node.children.map((group) => <GroupTreeNode key={group.key} node={group} stale={!connected} level={level + 1} />)
      }
    >
      <HostKindIcon kind={host.kind} />
      <span className="tree-label tree-label-host">{name}</span>
      {!connected && <span className={`tree-meta tree-status-${hostStatusTone(host.status)}`}>{statusLabel}</span>}
      {failed && connected && (
        <span className="tree-meta tree-meta-danger" title={t('tree.inventoryFailed')}>
          <Icon name="alert" size={13} />
        </span>
      )}
      {tags.length > 0 && <TagChips tags={tags} max={2} className="tree-tags" />}
      <span className="tree-end">
        <button
          type="button"
          className="tree-action"
          tabIndex={-1}
          data-testid="host-menu-button"
          aria-label={t('hostMenu.button', { host: name })}
          title={t('hostMenu.button', { host: name })}
          onClick={(event) => {
            event.stopPropagation();
            onHostMenu(host.id, belowElement(event.currentTarget), node.key);
          }}
        >
          <Icon name="more" size={14} />
        </button>
        {/* A still dot, not a spinner: fifty hosts connecting at once must not animate fifty rows. */}
        <StatusDot tone={busy ? 'busy' : hostStatusTone(host.status)} title={statusLabel} />
      </span>
    </TreeItem>
  );
});
