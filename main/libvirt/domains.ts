/**
 * Domain verbs: every command that acts on a VM is built here, its arguments passed as argv
 * (quoted by the one function on the way to the host), its failures mapped by libvirtErrors.
 * Quick state changes use the host's shared session; a start, a forced power-off and a managed
 * save run as jobs of their own, since libvirt may wait a long time for QEMU to come up or a
 * saved guest's memory to come back, for a hung QEMU to die or for a guest's memory to reach the
 * disk. A shutdown waits for the guest to be off, with a deadline.
 */
import { ContractError, DEFAULT_SHUTDOWN_TIMEOUT_S, type VmAction } from '../../preload/contract.js';
import { defineXml } from './definitions.js';
import { checkedResult, contractErrorFromStderr } from './libvirtErrors.js';
import { runVirshJob, stateLivesInSession, type LibvirtHost } from './libvirtHost.js';

/** Actions that can block: each gets a channel of its own (and so can be cancelled). */
const BLOCKING_ACTIONS: ReadonlySet<VmAction> = new Set(['destroy', 'save']);
/**
 * A start also runs as a job of its own, though it cannot be cancelled (libvirt finishes a start
 * whatever happens to the virsh that asked): starting a saved guest restores its whole memory
 * from disk, and even a plain start waits for QEMU to come up — neither may hold up the host's
 * shared session, which every other command on that host (lists, reads, other VMs' actions)
 * waits for.
 */
const OWN_CHANNEL_ACTIONS: ReadonlySet<VmAction> = new Set([...BLOCKING_ACTIONS, 'start']);

/** How long a forced power-off may take before it is stopped. */
export const BLOCKING_ACTION_TIMEOUT_MS = 120_000;
/** A managed save writes the guest's whole memory to disk: minutes for a large guest. */
export const SAVE_TIMEOUT_MS = 30 * 60_000;
/** How often a shutdown's wait, and a save's progress, ask the host. */
const POLL_MS = 1_000;

/** Whether an action runs as a job of its own (and so can be cancelled). */
export function isBlockingAction(action: VmAction): boolean {
  return BLOCKING_ACTIONS.has(action) || action === 'shutdown';
}

export function domainActionArgv(name: string, action: VmAction): string[] {
  switch (action) {
    case 'save':
      return ['managedsave', '--domain', name];
    case 'discard-save':
      return ['managedsave-remove', '--domain', name];
    case 'autostart-enable':
      return ['autostart', '--domain', name];
    case 'autostart-disable':
      return ['autostart', '--disable', '--domain', name];
    default:
      return [action, '--domain', name];
  }
}

export interface DomainActionOptions {
  signal?: AbortSignal;
  /** shutdown: how long to wait for the guest to power off (default DEFAULT_SHUTDOWN_TIMEOUT_S). */
  shutdownTimeoutMs?: number;
  /** save: the share of memory written so far, when libvirt reports it. */
  onProgress?: (fraction: number | null) => void;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ContractError('cancelled', 'Cancelled.'));
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted(): void {
      clearTimeout(timer);
      reject(new ContractError('cancelled', 'Cancelled.'));
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** `domstate` prints the state as words ("running", "shut off", "in shutdown"). */
export async function readDomainStateText(host: LibvirtHost, name: string): Promise<string> {
  return checkedResult(await host.session.run(['domstate', '--domain', name]), 'virsh domstate').trim();
}

/**
 * Presses the guest's power button (ACPI) and waits until it is off. A guest that ignores ACPI
 * (no daemon listening, a hung OS) fails with `timeout` after the deadline; it is left running,
 * for the user to decide whether to force it off.
 */
async function shutdownAndWait(host: LibvirtHost, name: string, options: DomainActionOptions): Promise<void> {
  checkedResult(await host.session.run(domainActionArgv(name, 'shutdown')), 'virsh shutdown');
  const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_S * 1000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await host.session.run(['domstate', '--domain', name]);
    // A transient domain is gone once it is off.
    if (!result.ok && contractErrorFromStderr(result.stderr).code === 'not-found') return;
    if (result.ok && result.stdout.trim() === 'shut off') return;
    if (Date.now() >= deadline) {
      throw new ContractError('timeout', `${name} did not shut down within ${Math.round(timeoutMs / 1000)} s; its guest may ignore the ACPI power button. Force it off, or try again.`);
    }
    await pause(POLL_MS, options.signal);
  }
}

const SIZE_UNITS: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 };

function jobInfoBytes(stdout: string, label: string): number | undefined {
  const match = new RegExp(`^${label}:\\s+([0-9.]+)\\s*(B|KiB|MiB|GiB|TiB)\\s*$`, 'm').exec(stdout);
  if (!match) return undefined;
  return Number(match[1]) * (SIZE_UNITS[match[2]!] ?? 1);
}

/** A save's progress from `virsh domjobinfo`: memory processed of total, or null if unknown. */
export function jobProgress(stdout: string): number | null {
  const total = jobInfoBytes(stdout, 'Memory total') ?? jobInfoBytes(stdout, 'Data total');
  const processed = jobInfoBytes(stdout, 'Memory processed') ?? jobInfoBytes(stdout, 'Data processed');
  if (total === undefined || processed === undefined || total <= 0) return null;
  return Math.max(0, Math.min(1, processed / total));
}

/**
 * Managed save as a job of its own. Killing the virsh that waits for it does not stop libvirt's
 * job, so a cancel also aborts that (`domjobabort`): the guest then runs on as before.
 */
async function managedSave(host: LibvirtHost, name: string, options: DomainActionOptions): Promise<void> {
  const abort = (): void => void host.session.run(['domjobabort', '--domain', name]).catch(() => undefined);
  options.signal?.addEventListener('abort', abort, { once: true });
  let done = false;
  const watch = async (): Promise<void> => {
    while (!done && options.onProgress) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (done) return;
      const info = await host.session.run(['domjobinfo', '--domain', name]).catch(() => undefined);
      if (!done && info?.ok) options.onProgress(jobProgress(info.stdout));
    }
  };
  const watching = stateLivesInSession(host.uri) ? Promise.resolve() : watch();
  try {
    await runVirshJob(host, domainActionArgv(name, 'save'), { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: SAVE_TIMEOUT_MS });
  } finally {
    done = true;
    options.signal?.removeEventListener('abort', abort);
    await watching;
  }
}

export async function runDomainAction(host: LibvirtHost, name: string, action: VmAction, options: DomainActionOptions = {}): Promise<void> {
  if (action === 'shutdown') return shutdownAndWait(host, name, options);
  if (action === 'save') return managedSave(host, name, options);
  const argv = domainActionArgv(name, action);
  if (OWN_CHANNEL_ACTIONS.has(action)) {
    // A restore reads back as much as a save wrote: it gets the same deadline.
    const timeoutMs = action === 'start' ? SAVE_TIMEOUT_MS : BLOCKING_ACTION_TIMEOUT_MS;
    await runVirshJob(host, argv, { ...(options.signal && BLOCKING_ACTIONS.has(action) ? { signal: options.signal } : {}), timeoutMs });
    return;
  }
  checkedResult(await host.session.run(argv), `virsh ${argv[0] ?? action}`);
}

/** The domain's XML: with `inactive`, the persistent definition (what an edit starts from). */
export async function readDomainXml(host: LibvirtHost, name: string, options: { inactive?: boolean; securityInfo?: boolean } = {}): Promise<string> {
  // securityInfo: with secrets such as a VNC password, as `virsh edit` reads it — a definition
  // read without them and defined back would drop them.
  const argv = ['dumpxml', ...(options.inactive ? ['--inactive'] : []), ...(options.securityInfo ? ['--security-info'] : []), '--domain', name];
  return checkedResult(await host.session.run(argv), 'virsh dumpxml');
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
