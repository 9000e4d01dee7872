import type { VmAction, VmState } from '../../../preload/contract.js';

/** The order of the action buttons in the VM toolbar. */
export const vmActionOrder: readonly VmAction[] = ['start', 'shutdown', 'reboot', 'suspend', 'resume', 'destroy'];

/** Which actions make sense in which state; the same rules libvirt enforces. */
export function isVmActionAvailable(action: VmAction, state: VmState): boolean {
  switch (action) {
    case 'start':
      // A crashed guest kept for inspection (on_crash=preserve) is still active: force it off first.
      return state === 'shutoff';
    case 'shutdown':
    case 'reboot':
    case 'suspend':
      return state === 'running' || state === 'blocked';
    case 'resume':
      return state === 'paused';
    case 'destroy':
      return state !== 'shutoff';
  }
}
