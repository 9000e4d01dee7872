import type { HostStatus, VmState } from '../../../../preload/contract.js';
import type { DotTone } from './StatusDot.js';

export function vmStateTone(state: VmState): DotTone {
  switch (state) {
    case 'running':
    case 'blocked':
      return 'ok';
    case 'paused':
    case 'pm-suspended':
    case 'no-state':
      return 'warn';
    case 'shutting-down':
      return 'busy';
    case 'shutoff':
      return 'idle';
    case 'crashed':
      return 'danger';
  }
}

export function hostStatusTone(status: HostStatus): DotTone {
  switch (status) {
    case 'connected':
      return 'ok';
    case 'connecting':
      return 'busy';
    case 'disconnected':
      return 'idle';
    case 'awaiting-user':
    case 'unreachable':
    case 'host-key-rejected':
    case 'virsh-missing':
    case 'libvirt-not-running':
    case 'permission-denied':
      return 'warn';
    case 'auth-failed':
    case 'host-key-changed':
    case 'host-key-revoked':
    case 'error':
      return 'danger';
  }
}

/** The callout's colour on a host overview: danger for what may be an attack or a refusal. */
export type CalloutTone = 'info' | 'warn' | 'danger';

export function hostCalloutTone(status: HostStatus): CalloutTone {
  switch (status) {
    case 'connecting':
    case 'awaiting-user':
      return 'info';
    case 'auth-failed':
    case 'host-key-changed':
    case 'host-key-revoked':
    case 'error':
      return 'danger';
    default:
      return 'warn';
  }
}

/** A VM's tone: a saved one (managed-save image waiting) is not simply off. */
export function vmTone(vm: { state: VmState; managedSave?: boolean | undefined }): DotTone {
  return vm.state === 'shutoff' && vm.managedSave === true ? 'warn' : vmStateTone(vm.state);
}
