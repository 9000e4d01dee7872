/** Acting on one VM, or on many at once (across hosts). */
import { z } from 'zod';
import { ContractErrorShape } from './errors.js';

export const VmAction = z.enum([
  'start',
  /** ACPI power button, then wait until the guest is off (see `shutdownTimeoutS`). */
  'shutdown',
  'reboot',
  /** Force off (`virsh destroy`). */
  'destroy',
  'suspend',
  'resume',
  /** Managed save (`virsh managedsave`): memory to disk, guest off; the next start restores it. */
  'save',
  /** Drops a managed-save image (`virsh managedsave-remove`): the next start boots afresh. */
  'discard-save',
  'autostart-enable',
  'autostart-disable',
]);
export type VmAction = z.infer<typeof VmAction>;

/** How long a shutdown waits for the guest to power off before it fails with `timeout`. */
export const DEFAULT_SHUTDOWN_TIMEOUT_S = 60;

const VmTarget = z.object({ hostId: z.string().min(1), name: z.string().min(1) }).strict();
export type VmTarget = z.infer<typeof VmTarget>;

export const VmActionOutcome = z.object({
  hostId: z.string(),
  name: z.string(),
  ok: z.boolean(),
  /** Why it failed (absent when it worked). */
  error: ContractErrorShape.optional(),
});
export type VmActionOutcome = z.infer<typeof VmActionOutcome>;

const shutdownTimeoutS = z.number().int().min(1).max(3600).optional();

export const vmCalls = {
  'vm.action': {
    args: z.object({ hostId: z.string().min(1), name: z.string().min(1), action: VmAction, shutdownTimeoutS }).strict(),
    result: z.null(),
  },
  /**
   * One action on many VMs, as one task (progress, cancel, a log line per VM). Resolves with
   * every VM's outcome; a cancelled run reports the VMs it did not reach as cancelled.
   */
  'vm.bulkAction': {
    args: z.object({ targets: z.array(VmTarget).min(1).max(10_000), action: VmAction, shutdownTimeoutS }).strict(),
    result: z.array(VmActionOutcome),
  },
} as const;
