/**
 * The VM shortcuts act on "the selected VMs": the VM of the active tab, the VMs selected in the
 * VM list when that tab is active, else the VM selected in the tree. Each action goes to the
 * VMs it applies to (Pause resumes a paused VM); Force off asks first, as everywhere.
 */
import type { VmAction, VmSummary, VmTarget } from '../../../preload/contract.js';
import { VM_LIST_TAB_KEY } from '../navigation/nodeRef.js';
import { isVmActionAvailable } from '../model/vmActionAvailability.js';
import { buildVmRows } from '../model/vmRows.js';
import { useHostsStore } from '../store/hostsStore.js';
import { useInventoryStore } from '../store/inventoryStore.js';
import { useUiStore } from '../store/uiStore.js';
import { useVmListStore } from '../store/vmListStore.js';
import type { ShortcutId } from '../shortcuts/shortcutMap.js';
import { requestVmAction } from './vmActions.js';

export type VmShortcutId = Extract<ShortcutId, 'vmStart' | 'vmShutdown' | 'vmReboot' | 'vmPause' | 'vmForceOff' | 'vmSave'>;

interface Subject {
  hostId: string;
  vm: VmSummary;
}

/** A tree or tab key of a VM (`vm/<host>/<name>`, both parts URI-encoded), parsed. */
export function vmOfKey(key: string | null): VmTarget | undefined {
  const match = key ? /^vm\/([^/]+)\/([^/]+)$/.exec(key) : null;
  if (!match) return undefined;
  return { hostId: decodeURIComponent(match[1]!), name: decodeURIComponent(match[2]!) };
}

function selectedVms(): Subject[] {
  const ui = useUiStore.getState();
  const byHost = useInventoryStore.getState().byHost;
  const find = (target: VmTarget | undefined): Subject[] => {
    const vm = target ? byHost[target.hostId]?.vms.find((candidate) => candidate.name === target.name) : undefined;
    return target && vm ? [{ hostId: target.hostId, vm }] : [];
  };
  if (ui.activeTabKey === VM_LIST_TAB_KEY) {
    const { selected } = useVmListStore.getState().selection;
    return buildVmRows(useHostsStore.getState().hosts, byHost, (host) => host.label)
      .filter((row) => selected.has(row.key))
      .map((row) => ({ hostId: row.hostId, vm: row.vm }));
  }
  const ofTab = find(vmOfKey(ui.activeTabKey));
  return ofTab.length > 0 ? ofTab : find(vmOfKey(ui.selectedKey));
}

/** Which action a shortcut means for one VM (Pause toggles). */
export function shortcutAction(id: VmShortcutId, vm: Pick<VmSummary, 'state'>): VmAction {
  switch (id) {
    case 'vmStart':
      return 'start';
    case 'vmShutdown':
      return 'shutdown';
    case 'vmReboot':
      return 'reboot';
    case 'vmPause':
      return vm.state === 'paused' ? 'resume' : 'suspend';
    case 'vmForceOff':
      return 'destroy';
    case 'vmSave':
      return 'save';
  }
}

export function runVmShortcut(id: VmShortcutId): void {
  const connected = new Set(useHostsStore.getState().hosts.filter((host) => host.status === 'connected').map((host) => host.id));
  const byAction = new Map<VmAction, VmTarget[]>();
  for (const { hostId, vm } of selectedVms()) {
    const action = shortcutAction(id, vm);
    if (!connected.has(hostId) || !isVmActionAvailable(action, vm)) continue;
    byAction.set(action, [...(byAction.get(action) ?? []), { hostId, name: vm.name }]);
  }
  for (const [action, targets] of byAction) requestVmAction(targets, action);
}
