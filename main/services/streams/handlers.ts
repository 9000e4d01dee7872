/** Byte streams of the contract and what opens each; every one runs over the host's own link. */
import { ContractError, type storageStreams } from '../../../preload/contract.js';
import type { StreamHandlers } from '../../core/registry.js';
import { putFile, readFile } from '../../connection/hostFiles.js';
import type { HostConnection } from '../hosts/hostConnection.js';
import type { HostService } from '../hosts/hostService.js';
import { openSerialConsole } from '../consoles/serialConsole.js';
import { openVncStream } from '../consoles/vncStream.js';
import { channelStream, downloadStream, uploadStream } from './serverStreams.js';
import { openVirshShell } from './virshShellStream.js';

function connectedHost(hosts: HostService, hostId: string): HostConnection {
  const host = hosts.get(hostId);
  host.requireSession();
  return host;
}

function checkElevation(host: HostConnection, asRoot: boolean | undefined): boolean {
  if (asRoot && !host.runsThroughSudo) {
    throw new ContractError('bad-arguments', `Host ${host.getSummary().label} does not use sudo; files there are written as the SSH user.`);
  }
  return asRoot ?? false;
}

export function streamHandlers(hosts: HostService): Omit<StreamHandlers, keyof typeof storageStreams> {
  return {
    'host.virshShell': async ({ hostId }) => {
      const host = connectedHost(hosts, hostId);
      return openVirshShell(host.runner, host.getSummary().uri, host.virsh);
    },
    'file.download': async ({ hostId, path }) => downloadStream(await readFile(connectedHost(hosts, hostId).runner, path)),
    'file.upload': async ({ hostId, path, size, mode, overwrite, asRoot }) => {
      const host = connectedHost(hosts, hostId);
      const elevate = checkElevation(host, asRoot);
      return uploadStream((source, signal) =>
        putFile(host.runner, path, source, { size, signal, asRoot: elevate, ...(mode === undefined ? {} : { mode }), ...(overwrite === undefined ? {} : { overwrite }) }),
      );
    },
    'host.tunnel': async ({ hostId, target }) => channelStream(await connectedHost(hosts, hostId).runner.openTunnel(target)),
    'vm.vnc': async ({ hostId, name }) => openVncStream(connectedHost(hosts, hostId).libvirt(), name),
    'vm.console': async ({ hostId, name, size, force }) => openSerialConsole(connectedHost(hosts, hostId).libvirt(), name, size, force ?? false),
  };
}
