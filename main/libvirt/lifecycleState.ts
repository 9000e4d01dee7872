/**
 * What a domain lifecycle event already tells about the domain's state, so the window can show
 * it at once; the re-read the event also triggers confirms it (and adds libvirt's reason).
 */
import type { VmState } from '../../preload/contract.js';

const STATE_AFTER: Readonly<Record<string, VmState>> = {
  Started: 'running',
  Resumed: 'running',
  Suspended: 'paused',
  Stopped: 'shutoff',
  Crashed: 'crashed',
  PMSuspended: 'pm-suspended',
};

/** The state a lifecycle event leaves the domain in, when the event alone says it. */
export function stateAfterLifecycle(event: string): VmState | undefined {
  return STATE_AFTER[event];
}
