/**
 * A VM's menu (right-click or the menu key on it in the tree or the VM list): open, then every
 * lifecycle action, enabled by the state libvirt reports. On a selection of several VMs in the
 * list it acts on all of them (as one bulk task), offering what any of them can do.
 */
import type { VmAction, VmSummary, VmTarget } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { isVmActionAvailable, isVmSaved, vmActionOrder } from '../../model/vmActionAvailability.js';
import { requestVmAction } from '../../services/vmActions.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { useVmActionsStore, vmActionKey } from '../../store/vmActionsStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { useVmManageStore } from '../../store/vmManageStore.js';
import { canCloneVm } from './VmManageDialogs.js';
import { Menu, type MenuEntry, type MenuPosition } from '../common/Menu.js';
import { vmActionIcon } from './VmActionBar.js';

export interface VmMenuSubject {
  hostId: string;
  vm: VmSummary;
}

interface VmMenuProps {
  subjects: readonly VmMenuSubject[];
  position: MenuPosition;
  onClose(): void;
  /** Offer "Open" (one VM only). */
  withOpen?: boolean;
}

export function VmMenu({ subjects, position, onClose, withOpen }: VmMenuProps) {
  const t = useT();
  const hosts = useHostsStore((state) => state.hosts);
  const pending = useVmActionsStore((state) => state.pending);
  const connected = new Set(hosts.filter((host) => host.status === 'connected').map((host) => host.id));
  const one = subjects.length === 1 ? subjects[0] : undefined;

  const targetsFor = (action: VmAction): VmTarget[] =>
    subjects
      .filter(({ hostId, vm }) => connected.has(hostId) && isVmActionAvailable(action, vm))
      .filter(({ hostId, vm }) => {
        const busy = pending[vmActionKey(hostId, vm.name)];
        return busy === undefined || (busy === 'shutdown' && action === 'destroy');
      })
      .map(({ hostId, vm }) => ({ hostId, name: vm.name }));

  const entries: MenuEntry[] = [];
  if (withOpen && one) {
    entries.push({ id: 'open', label: t('vmMenu.open'), icon: 'monitor', testId: 'vm-menu-open', onSelect: () => useUiStore.getState().openTab({ kind: 'vm', hostId: one.hostId, name: one.vm.name }) }, 'separator');
  }
  for (const action of vmActionOrder) {
    const targets = targetsFor(action);
    // Of each pair only the one that applies is listed: discard only for saved VMs, one autostart.
    if (action === 'discard-save' && !subjects.some(({ vm }) => isVmSaved(vm))) continue;
    if ((action === 'autostart-enable' || action === 'autostart-disable') && targets.length === 0 && one) continue;
    if (action === 'save') entries.push('separator');
    const label = one && action === 'start' && isVmSaved(one.vm) ? t('vmAction.restore') : t(`vmAction.${action}`);
    entries.push({
      id: action,
      label: one || targets.length === 0 ? label : t('vmMenu.withCount', { action: label, count: targets.length }),
      icon: vmActionIcon[action],
      danger: action === 'destroy' || action === 'discard-save',
      disabled: targets.length === 0,
      testId: `vm-menu-${action}`,
      onSelect: () => requestVmAction(targets, action),
    });
  }
  if (one) {
    // Clone and delete are for one VM at a time: each has a dialog of its own.
    const connectedHost = connected.has(one.hostId);
    const open = useVmManageStore.getState().open;
    entries.push(
      'separator',
      { id: 'clone', label: t('vmManage.clone'), icon: 'copy', disabled: !connectedHost || !canCloneVm(one.vm), testId: 'vm-menu-clone', onSelect: () => open({ kind: 'clone', hostId: one.hostId, name: one.vm.name }) },
      { id: 'delete', label: t('vmManage.delete'), icon: 'trash', danger: true, disabled: !connectedHost, testId: 'vm-menu-delete', onSelect: () => open({ kind: 'delete', hostId: one.hostId, name: one.vm.name }) },
    );
  }
  const label = one ? t('vmMenu.label', { name: one.vm.name }) : t.count('vmMenu.labelMany', subjects.length);
  return <Menu label={label} entries={entries} position={position} onClose={onClose} testId="vm-menu" />;
}
