/**
 * Typed failures of the install sources (trees, boot files, PXE, cloud-init seeds).
 *
 * Each is a ContractError (so it crosses the contract like any other, with an English message
 * and the host's own words in `detail`) that also carries a `reason` and `params`: the wizard
 * shows `t('install.sourceError.<reason>', params)` from the catalog (en.ts / zh-CN.ts, block
 * "issue 10 — install sources"), in the user's language. `installSourceErrorOf` reads them back
 * from any error.
 */
import { ContractError, type ErrorCode } from '../../preload/contract.js';

export const INSTALL_SOURCE_ERROR_REASONS = [
  /** The URL is not http(s)/ftp, or has characters a URL cannot have. */
  'bad-url',
  /** The host could not fetch a file of the tree: params.url, params.reason (curl's or wget's words). */
  'unreachable',
  /** Nothing at the URL looks like an install tree: params.url, params.looked (the files tried, one per line). */
  'not-a-tree',
  /** Ubuntu after 20.04 (or a live ISO's tree): no network installer; params.url, params.release. */
  'live-only',
  /** The host has neither curl nor wget. */
  'no-fetch-tool',
  /** The host has no xorriso to read the ISO (params.tool), or none of xorrisofs/genisoimage/cloud-localds for a seed. */
  'no-iso-tool',
  /** The ISO at params.path on the host has no file params.file. */
  'iso-file-missing',
  /** The ISO at params.path does not exist or is not an ISO image. */
  'iso-unreadable',
  /** The TFTP folder params.path does not exist on the host. */
  'tftp-root-missing',
  /** Nothing in the TFTP folder boots the firmware params.firmware; params.looked lists what was looked for. */
  'no-boot-file',
  /** No free private IPv4 /24 for a new network. */
  'no-free-subnet',
  /** A seed's input is unusable: params.field. */
  'bad-seed',
] as const;
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
