/**
 * How a host is reached: a process runner (local spawn, or an SSH connection) and a signal
 * when it goes away. HostConnection knows only this, never SSH itself.
 */
import type { HostStatus } from '../../../preload/contract.js';
import { toDisposable, type Disposable } from '../../core/disposable.js';
import type { HostRunner } from '../../connection/hostProcess.js';
import { localRunner } from '../../connection/localRunner.js';

export interface HostLink extends Disposable {
  readonly runner: HostRunner;
  onClose(listener: () => void): Disposable;
}

export type LinkOpener = () => Promise<HostLink>;

/** Why a host could not be reached, already in the terms the tree shows. */
export class LinkFailure extends Error {
  constructor(
    readonly status: HostStatus,
    message: string,
    /** Whether trying again later by itself can help (it cannot for a wrong password). */
    readonly retry: boolean,
    readonly presentedKey?: { keyType: string; fingerprint: string },
  ) {
    super(message);
    this.name = 'LinkFailure';
  }
}

/** This computer: processes are spawned locally and the link never drops. */
export const openLocalLink: LinkOpener = async () => ({
  runner: localRunner,
  onClose: () => toDisposable(() => undefined),
  dispose: () => undefined,
});
