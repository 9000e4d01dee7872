/**
 * Domain verbs: every command that acts on a VM is built here, its arguments passed as argv
 * (quoted by the one function on the way to the host), its failures mapped by libvirtErrors.
 * Quick state changes use the host's shared session; a forced power-off runs as a job of its
 * own, since libvirt may wait a long time for a hung QEMU to die.
 */
import type { VmAction } from '../../preload/contract.js';
import type { RemoteJobOptions } from '../connection/remoteJob.js';
import { defineXml } from './definitions.js';
import { checkedResult } from './libvirtErrors.js';
import { runVirshJob, type LibvirtHost } from './libvirtHost.js';

const ACTION_COMMANDS: Record<VmAction, string> = {
  start: 'start',
  shutdown: 'shutdown',
  reboot: 'reboot',
  destroy: 'destroy',
  suspend: 'suspend',
  resume: 'resume',
};

/** Actions that can block: each gets a channel of its own. */
const BLOCKING_ACTIONS: ReadonlySet<VmAction> = new Set(['destroy']);

/** How long a blocking action may take before it is stopped. */
export const BLOCKING_ACTION_TIMEOUT_MS = 120_000;

/** Whether an action runs as a job of its own (and so can be cancelled). */
export function isBlockingAction(action: VmAction): boolean {
  return BLOCKING_ACTIONS.has(action);
}

export function domainActionArgv(name: string, action: VmAction): string[] {
  return [ACTION_COMMANDS[action], '--domain', name];
}

export async function runDomainAction(host: LibvirtHost, name: string, action: VmAction, options: Pick<RemoteJobOptions, 'signal'> = {}): Promise<void> {
  const argv = domainActionArgv(name, action);
  if (BLOCKING_ACTIONS.has(action)) {
    await runVirshJob(host, argv, { ...options, timeoutMs: BLOCKING_ACTION_TIMEOUT_MS });
    return;
  }
  checkedResult(await host.session.run(argv), `virsh ${action}`);
}

/** The domain's XML: with `inactive`, the persistent definition (what an edit starts from). */
export async function readDomainXml(host: LibvirtHost, name: string, options: { inactive?: boolean } = {}): Promise<string> {
  return checkedResult(await host.session.run(['dumpxml', ...(options.inactive ? ['--inactive'] : []), '--domain', name]), 'virsh dumpxml');
}

/** Defines a domain, or redefines it (same name and UUID), through the file primitive. */
export function defineDomain(host: LibvirtHost, xml: string): Promise<string> {
  return defineXml(host, 'domain', xml);
}

export interface UndefineOptions {
  /** Also remove the UEFI variable store (libvirt refuses to undefine such a domain otherwise). */
  nvram?: boolean;
  /** Also remove a managed save image. */
  managedSave?: boolean;
}

/** Removes the persistent definition; disks stay (removing storage is the storage module's). */
export async function undefineDomain(host: LibvirtHost, name: string, options: UndefineOptions = {}): Promise<void> {
  const argv = ['undefine', '--domain', name, ...(options.nvram ? ['--nvram'] : []), ...(options.managedSave ? ['--managed-save'] : [])];
  checkedResult(await host.session.run(argv), 'virsh undefine');
}
