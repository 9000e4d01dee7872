import type { HostSummary } from '../../../../preload/contract.js';
import type { TreeNode } from '../../navigation/treeModel.js';
import { useT } from '../../i18n/useT.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { StatusDot } from '../common/StatusDot.js';
import { hostStatusTone } from '../common/toneOf.js';
import { HostKindIcon } from '../hosts/HostKindIcon.js';
import { GroupTreeNode } from './GroupTreeNode.js';
import { TreeItem } from './TreeItem.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';

export function HostTreeNode({ node, host }: { node: TreeNode; host: HostSummary }) {
  const t = useT();
  const loading = useInventoryStore((state) => state.loading[host.id] ?? false);
  const failed = useInventoryStore((state) => state.errors[host.id] !== undefined);
  const statusLabel = t(`hostStatus.${host.status}`);
  const connected = host.status === 'connected';
  const name = hostDisplayName(host, t);
  const title = [`${name} — ${statusLabel}`, host.kind === 'ssh' ? t('hostKind.ssh') : '', host.uri]
    .filter((line) => line !== '')
    .join('\n');
  return (
    <TreeItem
      node={node}
      level={1}
      testId="tree-host"
      ariaLabel={`${name}, ${statusLabel}`}
      data={{ 'data-host-id': host.id, 'data-status': host.status }}
      title={title}
      renderChildren={() =>
        node.children.map((group) => (
          <GroupTreeNode key={group.key} node={group} stale={!connected} />
        ))
      }
    >
      <HostKindIcon kind={host.kind} />
      <span className="tree-label tree-label-host">{name}</span>
      {!connected && <span className="tree-meta">{statusLabel}</span>}
      {failed && connected && (
        <span className="tree-meta tree-meta-danger" title={t('tree.inventoryFailed')}>
          <Icon name="alert" size={13} />
        </span>
      )}
      <span className="tree-end">
        {loading || host.status === 'connecting' ? (
          <Spinner size="small" />
        ) : (
          <StatusDot tone={hostStatusTone(host.status)} title={statusLabel} />
        )}
      </span>
    </TreeItem>
  );
}
