/** Typed errors: every failure that crosses the contract has one of these codes. */
import { z } from 'zod';

/** Codes of typed errors; the renderer maps each to a catalog entry (`error.<code>`). */
export const ErrorCode = z.enum([
  'unknown-call',
  'bad-arguments',
  'unknown-host',
  'host-unavailable',
  /** Every channel the host allows us is in use and none came free in time. */
  'host-busy',
  /** A command on the host did not answer in time (it was stopped). */
  'timeout',
  /** The connection between the window and VirtDeck's own service is gone. */
  'transport-closed',
  'invalid-profile',
  'import-failed',
  /** The import preview was asked for a file the user did not choose (see importFiles.ts). */
  'import-file-not-chosen',
  'secret-storage-unavailable',
  'libvirt-error',
  /** Reading or writing a file on a host failed (permission, space, missing directory). */
  'file-error',
  'not-found',
  /** Another client holds the VM's text console (`virsh console` refuses a second one). */
  'console-busy',
  'cancelled',
  /** A migration's pre-flight check failed (or warned, without the user's override): nothing moved. */
  'migration-refused',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ContractErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  detail: z.string().optional(),
});
export type ContractErrorShape = z.infer<typeof ContractErrorShape>;

export class ContractError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;
  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'ContractError';
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
  toShape(): ContractErrorShape {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
  static from(shape: ContractErrorShape): ContractError {
    return new ContractError(shape.code, shape.message, shape.detail);
  }
}
