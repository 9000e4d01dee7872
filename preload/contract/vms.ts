/** Acting on one VM. */
import { z } from 'zod';

export const VmAction = z.enum(['start', 'shutdown', 'reboot', 'destroy', 'suspend', 'resume']);
export type VmAction = z.infer<typeof VmAction>;

export const vmCalls = {
  'vm.action': {
    args: z.object({ hostId: z.string().min(1), name: z.string().min(1), action: VmAction }).strict(),
    result: z.null(),
  },
} as const;
