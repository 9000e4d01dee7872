/**
 * Typed failures of the install sources (trees, boot files, PXE, cloud-init seeds).
 *
 * Each is a ContractError (so it crosses the contract like any other, with an English message
 * and the host's own words in `detail`) that also carries a `reason` and `params`: the wizard
 * shows `t('install.sourceError.<reason>', params)` from the catalog (en.ts / zh-CN.ts, block
 * "issue 10 — install sources"), in the user's language. `installSourceErrorOf` reads them back
 * from any error.
 */
import { ContractError, SourceProblemReason, type ErrorCode } from '../../preload/contract.js';

/** The reasons, one list: the contract's (preload/contract/install.ts `SourceProblemReason`). */
export const INSTALL_SOURCE_ERROR_REASONS = SourceProblemReason.options;
export type InstallSourceErrorReason = (typeof INSTALL_SOURCE_ERROR_REASONS)[number];

export type InstallSourceErrorParams = Record<string, string>;

export class InstallSourceError extends ContractError {
  readonly reason: InstallSourceErrorReason;
  readonly params: InstallSourceErrorParams;
  constructor(code: ErrorCode, reason: InstallSourceErrorReason, message: string, params: InstallSourceErrorParams = {}, detail?: string) {
    super(code, message, detail);
    this.name = 'InstallSourceError';
    this.reason = reason;
    this.params = params;
  }
}

/** The reason and params of an install-source failure, or undefined for any other error. */
export function installSourceErrorOf(error: unknown): { reason: InstallSourceErrorReason; params: InstallSourceErrorParams } | undefined {
  return error instanceof InstallSourceError ? { reason: error.reason, params: error.params } : undefined;
}
