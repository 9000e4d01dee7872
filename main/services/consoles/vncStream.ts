/**
 * `vm.vnc`: a VM's VNC display as a byte stream. The running guest's live definition says
 * where QEMU listens on the host; the tunnel goes there through the host's SSH connection
 * (direct-tcpip to a port, stream-local or the helper fallback to a unix socket).
 */
import { ContractError } from '../../../preload/contract.js';
import type { ServerStream } from '../../core/registry.js';
import { readDomainConsoles } from '../../libvirt/domainConsoles.js';
import type { LibvirtHost } from '../../libvirt/libvirtHost.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import { channelStream } from '../streams/serverStreams.js';

export async function openVncStream(host: LibvirtHost, name: string): Promise<ServerStream> {
  const consoles = await withLibvirtErrors(() => readDomainConsoles(host, name));
  if (!consoles.vnc) throw new ContractError('bad-arguments', `The domain ${name} has no VNC display.`);
  if (!consoles.running) throw new ContractError('libvirt-error', `The domain ${name} is not running.`);
  const endpoint = consoles.vnc.endpoint;
  if (!endpoint) throw new ContractError('bad-arguments', `The VNC display of ${name} listens nowhere a tunnel can reach.`);
  try {
    return channelStream(await host.runner.openTunnel(endpoint));
  } catch (error) {
    if (error instanceof ContractError) throw error;
    throw new ContractError('host-unavailable', `Could not reach the VNC display of ${name} on the host.`, error instanceof Error ? error.message : String(error));
  }
}
