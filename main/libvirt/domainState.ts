/**
 * libvirt's domain states and their reasons, from the numbers `virsh domstats --state` prints
 * (virDomainState and the virDomain*Reason enums of libvirt-domain.h). Reasons become short keys
 * the renderer translates; 'unknown' is left out.
 */
import type { VmState } from '../../preload/contract.js';

const STATES: readonly VmState[] = ['no-state', 'running', 'blocked', 'paused', 'shutting-down', 'shutoff', 'crashed', 'pm-suspended'];

/** Reason keys by state code, index = reason code (0 is always unknown). */
const REASONS: Readonly<Partial<Record<VmState, readonly string[]>>> = {
  running: ['unknown', 'booted', 'migrated', 'restored', 'from-snapshot', 'unpaused', 'migration-canceled', 'save-canceled', 'wakeup', 'crashed', 'post-copy', 'post-copy-failed'],
  paused: ['unknown', 'user', 'migration', 'save', 'dump', 'io-error', 'watchdog', 'from-snapshot', 'shutting-down', 'snapshot', 'crashed', 'starting-up', 'post-copy', 'post-copy-failed', 'api-error'],
  'shutting-down': ['unknown', 'user'],
  shutoff: ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from-snapshot', 'daemon'],
  crashed: ['unknown', 'panicked'],
};

/** Every reason key the renderer must be able to translate, by state. */
export const STATE_REASONS = REASONS;

export function vmStateFromCode(code: number | null | undefined): VmState | undefined {
  if (code === null || code === undefined) return undefined;
  return STATES[code];
}

export function stateReasonFromCode(state: VmState, code: number | null | undefined): string | undefined {
  if (code === null || code === undefined || code === 0) return undefined;
  return REASONS[state]?.[code];
}
