import type { HostStatus, VmState } from '../../../../preload/contract.js';
import type { DotTone } from './StatusDot.js';

export function vmStateTone(state: VmState): DotTone {
  switch (state) {
    case 'running':
      return 'ok';
    case 'paused':
      return 'warn';
    case 'shutoff':
      return 'idle';
    case 'other':
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
    case 'virsh-missing':
    case 'libvirt-not-running':
    case 'permission-denied':
      return 'warn';
    case 'error':
      return 'danger';
  }
}
