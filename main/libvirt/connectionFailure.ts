/** Turns why a virsh session could not start into the host status shown in the tree. */
import type { HostStatus } from '../../preload/contract.js';
import type { VirshSessionClosed } from './virshSession.js';

export function statusForFailure(closed: VirshSessionClosed): HostStatus {
  if (closed.exit.spawnError?.code === 'ENOENT') return 'virsh-missing';
  const text = closed.stderr;
  // sudo -n refused (no rule, or it wants a password): the user may not use libvirt this way.
  if (/sudo: a (password|terminal) is required|is not in the sudoers|not allowed to execute|sudo: sorry/i.test(text)) return 'permission-denied';
  if (/command not found|virsh: not found|No such file or directory.*virsh/i.test(text)) return 'virsh-missing';
  if (/Failed to connect socket to '[^']*': (No such file or directory|Connection refused)/i.test(text)) {
    return 'libvirt-not-running';
  }
  if (/Permission denied|authentication unavailable|access denied|not authorized/i.test(text)) {
    return 'permission-denied';
  }
  return 'error';
}
