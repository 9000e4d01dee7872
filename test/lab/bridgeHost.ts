// An opt-in extra lab host for the bridge assistant (`startBridgeHost`, torn down by its `stop`):
// its management address sits on a "physical" veth (eth0) configured by ifupdown from the host's
// OWN /etc/network/interfaces (a private copy bind-mounted inside its namespace, with a private
// /run/network for ifupdown's state), reached over SSH at that address; and a "LAN" namespace on
// the lab bridge outside the host with a DHCP server (dnsmasq). The default lab is unchanged: this
// runs only when a test asks for it, after `lab:up`, and every name it uses starts with the lab's
// prefix, so `lab:down` also removes it should a test die before its own teardown.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DAEMON_ENV, run, runChecked } from './command.js';
import { daemonPid, startLibvirtd, startSshdDaemon, startVirtlogd, waitLibvirtReady, type HostHandle } from './daemons.js';
import { runInHost, runInHostChecked, setUpHostMounts, startHolder } from './hostNamespace.js';
import { prepareHostState, removeHostRuntimeState } from './hostState.js';
import { namespacePids } from './network.js';
import { hostStateDir, labKeyPath } from './paths.js';
import { LAB_BRIDGE, LAB_SUDO_USER, NETNS_PREFIX, PREFIX_LENGTH, SSH_PORT, type HostPlan } from './plan.js';
import { assertRoot } from './privileges.js';
import { terminate } from './processes.js';
import { seedQemuCapabilities } from './qemuCapabilities.js';
import { ensureHostKey, writeSshdConfig } from './sshd.js';

export const BRIDGE_HOST_NAME = 'brhost';
/** Outside the ranges of plain (.10–.199) and variant (.250–.253) hosts. */
export const BRIDGE_HOST_ADDRESS = '198.18.0.240';
const LAN_NAMESPACE = `${NETNS_PREFIX}brlan`;
const LAN_ADDRESS = '198.18.0.241';
/** The LAN's DHCP range (dnsmasq in LAN_NAMESPACE). */
export const LAN_DHCP_RANGE = ['198.18.0.200', '198.18.0.209'] as const;

export const BRIDGE_HOST_INTERFACES = `# interfaces(5) of the VirtDeck lab's bridge host (private to its namespace)
auto lo
iface lo inet loopback

# The management interface
auto eth0
iface eth0 inet static
	address ${BRIDGE_HOST_ADDRESS}/${PREFIX_LENGTH}
`;

export interface BridgeLabHost {
  name: string;
  address: string;
  port: number;
  /** Outside the libvirt group; its sudo rule allows `sudo -n virsh` and `sudo -n sh`. */
  user: string;
  keyFile: string;
  hostKey: string;
  namespace: string;
  holderPid: number;
  /** Runs argv as root inside the host. */
  exec(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The host's /etc/network/interfaces as it is now (read from inside the host). */
  interfacesFile(): Promise<string>;
  /** dnsmasq's leases file on the LAN side. */
  leases(): Promise<string>;
  stop(): Promise<void>;
}

function plan(): HostPlan {
  return {
    name: BRIDGE_HOST_NAME,
    role: 'plain',
    namespace: `${NETNS_PREFIX}${BRIDGE_HOST_NAME}`,
    address: BRIDGE_HOST_ADDRESS,
    auth: 'key',
    runsLibvirt: true,
    jumpHost: null,
    link: { kind: 'bridge', rootIf: `vdl-${BRIDGE_HOST_NAME}` },
    extraHostKeyTypes: [],
  };
}

async function deleteNamespace(namespace: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const pids = await namespacePids(namespace);
    if (pids.length === 0) break;
    await terminate(pids);
  }
  await run('ip', ['netns', 'delete', namespace]);
}

export async function startBridgeHost(): Promise<BridgeLabHost> {
  assertRoot('creates the bridge host namespace');
  const p = plan();
  const stateDir = hostStateDir(p.name);
  // Leftovers of a run that died.
  await deleteNamespace(p.namespace);
  await deleteNamespace(LAN_NAMESPACE);
  const hostKey = await ensureHostKey(p.name);
  await prepareHostState(p, [p]);
  await seedQemuCapabilities(p.name);
  await writeSshdConfig(p);

  // The host's own /etc/network (a copy of the package's hooks, with its own interfaces file)
  // and an empty /run/network for ifupdown's state.
  const etcNetwork = path.join(stateDir, 'etc-network');
  await mkdir(etcNetwork, { recursive: true });
  await runChecked('cp', ['-a', '/etc/network/.', etcNetwork]);
  await writeFile(path.join(etcNetwork, 'interfaces'), BRIDGE_HOST_INTERFACES, { mode: 0o644 });
  const runNetwork = path.join(stateDir, 'run-network');
  const varLibVirtdeck = path.join(stateDir, 'var-lib-virtdeck');
  await mkdir(varLibVirtdeck, { recursive: true, mode: 0o755 });
  await mkdir(runNetwork, { recursive: true });
  await mkdir('/run/network', { recursive: true });

  const batch = [
    `netns add ${p.namespace}`,
    `netns add ${LAN_NAMESPACE}`,
    `link add vdl-${p.name} type veth peer name eth0 netns ${p.namespace}`,
    `link set vdl-${p.name} master ${LAB_BRIDGE}`,
    `link set vdl-${p.name} up`,
    `link add vdl-brlan type veth peer name lan0 netns ${LAN_NAMESPACE}`,
    `link set vdl-brlan master ${LAB_BRIDGE}`,
    `link set vdl-brlan up`,
  ];
  await runChecked('ip', ['-batch', '-'], { input: `${batch.join('\n')}\n` });
  await runChecked('ip', ['-n', p.namespace, 'link', 'set', 'lo', 'up']);
  await runChecked('ip', ['-n', LAN_NAMESPACE, '-batch', '-'], { input: `link set lo up\naddr add ${LAN_ADDRESS}/${PREFIX_LENGTH} dev lan0\nlink set lan0 up\n` });

  // The LAN's DHCP server, outside the host.
  const lanDir = path.join(stateDir, 'lan');
  await mkdir(lanDir, { recursive: true });
  await runChecked('ip', [
    'netns', 'exec', LAN_NAMESPACE, 'dnsmasq',
    '--port=0', '--no-resolv', '--no-hosts', '--interface=lan0', '--bind-interfaces', '--except-interface=lo',
    `--dhcp-range=${LAN_DHCP_RANGE[0]},${LAN_DHCP_RANGE[1]},255.255.255.0,10m`,
    `--dhcp-leasefile=${path.join(lanDir, 'leases')}`, `--pid-file=${path.join(lanDir, 'dnsmasq.pid')}`, '--dhcp-authoritative',
  ], { env: DAEMON_ENV });

  const holderPid = await startHolder(p);
  const handle: HostHandle = { name: p.name, namespace: p.namespace, address: p.address, holderPid };
  await setUpHostMounts(p, holderPid);
  await runInHostChecked(holderPid, ['mount', '--bind', etcNetwork, '/etc/network']);
  await runInHostChecked(holderPid, ['mount', '--bind', runNetwork, '/run/network']);
  // Where the bridge assistant keeps its backups: the host's own, never this machine's.
  await runInHostChecked(holderPid, ['sh', '-c', 'mkdir -p /var/lib/virtdeck && mount --bind "$1" /var/lib/virtdeck', 'sh', varLibVirtdeck]);
  // The management address comes from the host's own configuration, as on a real server.
  await runInHostChecked(holderPid, ['ifup', 'eth0']);
  await startVirtlogd(handle);
  await startLibvirtd(handle);
  await startSshdDaemon(handle);
  await waitLibvirtReady(handle);

  const exec = async (argv: readonly string[]) => {
    const r = await runInHost(holderPid, argv);
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    name: p.name,
    address: p.address,
    port: SSH_PORT,
    user: LAB_SUDO_USER,
    keyFile: labKeyPath(),
    hostKey,
    namespace: p.namespace,
    holderPid,
    exec,
    interfacesFile: async () => (await exec(['cat', '/etc/network/interfaces'])).stdout,
    leases: () => readFile(path.join(lanDir, 'leases'), 'utf8').catch(() => ''),
    stop: async () => {
      for (const daemon of ['sshd', 'libvirtd', 'virtlogd'] as const) {
        const pid = await daemonPid(handle, daemon);
        if (pid !== undefined) await terminate([pid]);
      }
      await deleteNamespace(p.namespace);
      await deleteNamespace(LAN_NAMESPACE);
      await rm(etcNetwork, { recursive: true, force: true });
      await removeHostRuntimeState(p.name);
    },
  };
}
