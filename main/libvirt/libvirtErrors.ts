/**
 * libvirt's failures → the contract's typed errors, the same way for every object kind. virsh
 * runs with LC_MESSAGES=C, so its messages are English and can be recognised.
 */
import { ContractError } from '../../preload/contract.js';
import { VirshError, VirshSessionClosed, VirshTimeout, virshErrorMessage, type VirshResult } from './virshSession.js';

/** Messages libvirt prints when the named object does not exist (libvirt 9: VIR_ERR_NO_*). */
const NOT_FOUND = [
  /failed to get (domain|network|pool|vol|volume|snapshot|interface|nwfilter|secret)/i,
  /Domain not found/i,
  /Network not found/i,
  /Storage pool not found/i,
  /Storage volume not found/i,
  /Domain snapshot not found/i,
  /no domain with matching (name|uuid)/i,
  /no network with matching/i,
  /no storage pool with matching/i,
  /no storage vol with matching/i,
];

export function contractErrorFromStderr(stderr: string, fallback = 'libvirt reported an error'): ContractError {
  const message = virshErrorMessage(stderr) || fallback;
  const detail = stderr.trim();
  if (NOT_FOUND.some((pattern) => pattern.test(stderr))) return new ContractError('not-found', message, detail);
  return new ContractError('libvirt-error', message, detail);
}

/** Any error from the libvirt layer as a ContractError (others pass through unchanged). */
export function toLibvirtContractError(error: unknown): unknown {
  if (error instanceof ContractError) return error;
  if (error instanceof VirshError) return contractErrorFromStderr(error.stderr, error.message);
  if (error instanceof VirshTimeout) return new ContractError('timeout', `The host did not answer "virsh ${error.command}" within ${Math.round(error.timeoutMs / 1000)} s.`);
  if (error instanceof VirshSessionClosed) return new ContractError('host-unavailable', 'The connection to libvirt on the host was lost.', error.message);
  return error;
}

/** The stdout of a result, or the typed error it stands for. */
export function checkedResult(result: VirshResult | undefined, what = 'virsh'): string {
  if (!result) throw new ContractError('internal', `${what}: no answer`);
  if (!result.ok) throw contractErrorFromStderr(result.stderr, `${what} failed`);
  return result.stdout;
}

/** Runs `work`, turning libvirt-layer errors into typed contract errors. */
export async function withLibvirtErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toLibvirtContractError(error);
  }
}
