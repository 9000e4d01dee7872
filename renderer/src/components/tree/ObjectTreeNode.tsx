import type { TreeNode } from '../../navigation/treeModel.js';
import { useT } from '../../i18n/useT.js';
import { Icon } from '../common/Icon.js';
import { StatusDot } from '../common/StatusDot.js';
import { vmTone } from '../common/toneOf.js';
import { isVmSaved } from '../../model/vmActionAvailability.js';
import { vmStateText } from '../../model/vmStateText.js';
import { TreeItem } from './TreeItem.js';
import { useTreeActions } from './treeContext.js';

/** A leaf: one VM (state dot), network or storage pool. */
export function ObjectTreeNode({ node, stale, level }: { node: TreeNode; stale: boolean; level: number }) {
  const t = useT();
  const { onVmMenu } = useTreeActions();
  if (node.vm) {
    const { vm } = node;
    const stateLabel = vmStateText(vm, t);
    return (
      <TreeItem
        node={node}
        level={level}
        testId="tree-vm"
        ariaLabel={`${vm.name}, ${stateLabel}`}
        data={{ 'data-vm-name': vm.name, 'data-host-id': vm.hostId, 'data-state': vm.state, 'data-saved': String(isVmSaved(vm)) }}
        title={`${vm.name} — ${stateLabel}`}
        muted={stale}
        onContextMenu={(event) => {
          event.preventDefault();
          onVmMenu(vm.hostId, vm.name, { x: event.clientX, y: event.clientY }, node.key);
        }}
      >
        <StatusDot tone={vmTone(vm)} />
        <span className="tree-label">{vm.name}</span>
        {isVmSaved(vm) && (
          <span className="tree-meta" data-testid="tree-vm-saved">
            {t('vmState.saved')}
          </span>
        )}
      </TreeItem>
    );
  }
  const item = node.network ?? node.pool;
  if (!item) return null;
  const isNetwork = node.network !== undefined;
  const stateLabel = t(isNetwork ? (item.active ? 'network.active' : 'network.inactive') : item.active ? 'pool.active' : 'pool.inactive');
  return (
    <TreeItem
      node={node}
      level={level}
      testId={isNetwork ? 'tree-network' : 'tree-pool'}
      ariaLabel={`${item.name}, ${stateLabel}`}
      data={{ 'data-name': item.name, 'data-active': String(item.active) }}
      title={`${item.name} — ${stateLabel}`}
      muted={stale || !item.active}
    >
      <Icon name={isNetwork ? 'network' : 'database'} size={14} className="tree-item-icon" />
      <span className="tree-label">{item.name}</span>
    </TreeItem>
  );
}
