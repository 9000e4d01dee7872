import type { VmAction, VmSummary } from '../../../preload/contract.js';

/** What the rules look at: libvirt's state, and the flags that decide save and autostart. */
export type VmActionSubject = Pick<VmSummary, 'state' | 'persistent' | 'autostart' | 'managedSave'>;

/** The power buttons of the VM toolbar, in order. */
export const vmPowerActions: readonly VmAction[] = ['start', 'shutdown', 'reboot', 'suspend', 'resume', 'destroy'];
/** Managed save and autostart: the toolbar's second group and the menus' lower part. */
export const vmStateActions: readonly VmAction[] = ['save', 'discard-save', 'autostart-enable', 'autostart-disable'];
/** Every action, in the order menus list them. */
export const vmActionOrder: readonly VmAction[] = [...vmPowerActions, ...vmStateActions];

/** Which actions make sense in which of libvirt's eight states; the same rules libvirt enforces. */
export function isVmActionAvailable(action: VmAction, vm: VmActionSubject): boolean {
  const { state } = vm;
  const up = state === 'running' || state === 'blocked';
  switch (action) {
    case 'start':
      // A crashed guest kept for inspection (on_crash=preserve) is still active: force it off
      // first. A saved one starts from its image.
      return state === 'shutoff';
    case 'shutdown':
    case 'reboot':
    case 'suspend':
      return up;
    case 'resume':
      return state === 'paused';
    case 'destroy':
      return state !== 'shutoff';
    case 'save':
      // libvirt keeps a managed-save image only for a defined (persistent) domain.
      return (up || state === 'paused') && vm.persistent;
    case 'discard-save':
      return state === 'shutoff' && vm.managedSave === true;
    case 'autostart-enable':
      return vm.persistent && !vm.autostart;
    case 'autostart-disable':
      return vm.autostart;
  }
}

/** Actions that ask first: they lose the guest's running state. */
export function vmActionAsksFirst(action: VmAction): boolean {
  return action === 'destroy' || action === 'discard-save';
}

/** Whether a VM has a managed-save image waiting (libvirt says shut off, reason saved). */
export function isVmSaved(vm: Pick<VmSummary, 'state' | 'managedSave'>): boolean {
  return vm.state === 'shutoff' && vm.managedSave === true;
}
