/**
 * VirtDeck's own SSH connection to a lab host (through its jump host when it has one), trusting
 * exactly the lab's known_hosts, for tests of the connection layer.
 */
import { SshConnection, type SshEndpoint, type SshHooks } from '../../main/connection/sshConnection.js';
import { HostKeyTrust } from '../../main/services/hosts/hostKeyTrust.js';
import { labKnownHostsPath, readLabHost, type LabHost } from '../lab/index.js';

export function labEndpoint(host: LabHost, user = host.user): SshEndpoint {
  const auth: SshEndpoint['auth'] =
    host.auth === 'key'
      ? { method: 'key', keyFile: host.keyFile ?? '' }
      : host.auth === 'password'
        ? { method: 'password', password: host.password ?? '' }
        : { method: 'keyboard-interactive' };
  return { host: host.address, port: host.port, username: user, auth };
}

export async function connectLab(name: string, options: { user?: string; configDir: string }): Promise<SshConnection> {
  const host = await readLabHost(name);
  const trust = new HostKeyTrust({ configDir: options.configDir, userKnownHosts: labKnownHostsPath(), ask: async () => 'reject' });
  const hooks: SshHooks = {
    checkHostKey: async (target, key) => (await trust.check(HostKeyTrust.describe(target.host, target.port, key))).ok,
    answerPrompts: async (_target, _name, _instructions, prompts) => prompts.map(() => host.password ?? ''),
  };
  const jumps = host.jumpHost ? [labEndpoint(await readLabHost(host.jumpHost))] : [];
  return SshConnection.connect(labEndpoint(host, options.user), jumps, hooks);
}
