/**
 * A VM's consoles: what it offers (`vm.console.info`) before the renderer opens one. The bytes
 * travel as streams (`vm.vnc` for the graphical display, `vm.console` for the text console, in
 * streams.ts): the VNC display is reached through the host's SSH connection, so no VNC port is
 * ever opened on the host's or the workstation's network.
 */
import { z } from 'zod';

export const VmConsoleInfo = z.object({
  running: z.boolean(),
  /**
   * The VNC display: `reachable` when the running guest listens where a tunnel can reach it (a
   * port or a unix socket on the host), `transport` says which. The password from the
   * definition comes along so the viewer never has to ask for it.
   */
  vnc: z
    .object({
      reachable: z.boolean(),
      transport: z.enum(['tcp', 'unix', 'none']),
      password: z.string().optional(),
    })
    .optional(),
  /** The guest has a SPICE display (the in-app viewer speaks VNC only). */
  spice: z.boolean(),
  /** The guest has a serial port or console (`virsh console`). */
  serial: z.boolean(),
});
export type VmConsoleInfo = z.infer<typeof VmConsoleInfo>;

export const consoleCalls = {
  'vm.console.info': {
    args: z.object({ hostId: z.string().min(1), name: z.string().min(1) }).strict(),
    result: VmConsoleInfo,
  },
} as const;
