/**
 * Domain verbs: every command that acts on a VM is built here, its arguments passed as argv
 * (quoted by the one function on the way to the host), its failures mapped by libvirtErrors.
 */
import type { VmAction } from '../../preload/contract.js';
import { checkedResult } from './libvirtErrors.js';
import type { VirshSession } from './virshSession.js';

const ACTION_COMMANDS: Record<VmAction, string> = {
  start: 'start',
  shutdown: 'shutdown',
  reboot: 'reboot',
  destroy: 'destroy',
  suspend: 'suspend',
  resume: 'resume',
};

export function domainActionArgv(name: string, action: VmAction): string[] {
  return [ACTION_COMMANDS[action], '--domain', name];
}

/** A quick state change through the host's shared session. */
export async function runDomainAction(session: VirshSession, name: string, action: VmAction): Promise<void> {
  checkedResult(await session.run(domainActionArgv(name, action)), `virsh ${action}`);
}
