// The lab's network: one namespace per host, veths to a root-namespace bridge, and a private link
// from `jump` to `behind`. It is closed by construction: no namespace gets a default route and the
// root namespace gets no NAT/forwarding rules, so lab traffic can only reach lab addresses.
import { run, runChecked } from './command.js';
import {
  BRIDGE_ADDRESS,
  JUMP_INNER_ADDRESS,
  LAB_BRIDGE,
  LAB_RANGE,
  NETNS_PREFIX,
  PREFIX_LENGTH,
  type HostPlan,
} from './plan.js';

export function netnsFile(namespace: string): string {
  return `/run/netns/${namespace}`;
}

/** Lab namespaces that exist now (also ones a crashed run left behind). */
export async function listLabNamespaces(): Promise<string[]> {
  const { stdout } = await runChecked('ip', ['netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.startsWith(NETNS_PREFIX));
}

export async function namespacePids(namespace: string): Promise<number[]> {
  const { code, stdout } = await run('ip', ['netns', 'pids', namespace]);
  if (code !== 0) return [];
  return stdout
    .split('\n')
    .map((line) => Number.parseInt(line.trim(), 10))
    .filter((pid) => Number.isInteger(pid) && pid > 1);
}

export async function bridgeExists(): Promise<boolean> {
  return (await run('ip', ['link', 'show', 'dev', LAB_BRIDGE])).code === 0;
}

/** Refuse to start if some other interface already uses the lab's address range. */
export async function assertLabRangeFree(): Promise<void> {
  const { stdout } = await runChecked('ip', ['-o', '-4', 'addr', 'show', 'to', LAB_RANGE]);
  const users = stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[1] ?? '')
    .filter((dev) => dev !== '' && dev !== LAB_BRIDGE);
  if (users.length > 0) {
    throw new Error(`${LAB_RANGE} is already in use on ${users.join(', ')}; the lab needs that range for itself`);
  }
}

/** `ip -batch` runs many commands in one process; a lab of 200 hosts is ~1000 commands. */
async function ipBatch(commands: readonly string[], namespace?: string): Promise<void> {
  if (commands.length === 0) return;
  const args = namespace ? ['-n', namespace, '-batch', '-'] : ['-batch', '-'];
  await runChecked('ip', args, { input: `${commands.join('\n')}\n` });
}

export async function createLabNetwork(plans: readonly HostPlan[]): Promise<void> {
  const root: string[] = plans.map((p) => `netns add ${p.namespace}`);
  root.push(
    `link add ${LAB_BRIDGE} type bridge`,
    `addr add ${BRIDGE_ADDRESS}/${PREFIX_LENGTH} dev ${LAB_BRIDGE}`,
    `link set ${LAB_BRIDGE} up`,
    // Without this, a packet for 198.18.1.10 (`behind`, deliberately unroutable from here) would
    // follow the machine's default route onto the real network; now it fails at once instead.
    `route add unreachable ${LAB_RANGE}`,
  );
  for (const plan of plans) {
    if (plan.link.kind !== 'bridge') continue;
    root.push(
      `link add ${plan.link.rootIf} type veth peer name eth0 netns ${plan.namespace}`,
      `link set ${plan.link.rootIf} master ${LAB_BRIDGE}`,
      `link set ${plan.link.rootIf} up`,
    );
  }
  await ipBatch(root);

  // The hidden link is created from inside the jump namespace, so it never exists in the root one.
  for (const plan of plans) {
    if (plan.link.kind !== 'jump') continue;
    const jump = plans.find((p) => p.name === (plan.link.kind === 'jump' ? plan.link.via : ''));
    if (!jump) throw new Error(`${plan.name} needs jump host ${plan.link.via}, which is not planned`);
    await ipBatch(
      [
        `link add eth1 type veth peer name eth0 netns ${plan.namespace}`,
        `addr add ${JUMP_INNER_ADDRESS}/${PREFIX_LENGTH} dev eth1`,
        `link set eth1 up`,
      ],
      jump.namespace,
    );
  }

  // Only connected routes: no `route add default`, on purpose.
  await Promise.all(
    plans.map((plan) =>
      ipBatch(
        ['link set lo up', `addr add ${plan.address}/${PREFIX_LENGTH} dev eth0`, 'link set eth0 up'],
        plan.namespace,
      ),
    ),
  );
}

/**
 * Deletes the namespaces (their veth ends, and so the pairs, go with them), the bridge and the route.
 * Callers must have stopped every process inside first, or the namespace would live on unnamed.
 */
export async function deleteLabNetwork(namespaces: readonly string[]): Promise<void> {
  for (const namespace of namespaces) {
    const result = await run('ip', ['netns', 'delete', namespace]);
    if (result.code !== 0 && !/No such file/.test(result.stderr)) {
      throw new Error(`ip netns delete ${namespace}: ${result.stderr.trim()}`);
    }
  }
  if (await bridgeExists()) await runChecked('ip', ['link', 'delete', 'dev', LAB_BRIDGE]);
  await run('ip', ['route', 'delete', 'unreachable', LAB_RANGE]); // absent if up never got that far
}

/** Leftover lab state in the root namespace: the bridge or the unreachable route. */
export async function rootNetworkLeftovers(): Promise<boolean> {
  if (await bridgeExists()) return true;
  const { stdout } = await run('ip', ['route', 'show', 'exact', LAB_RANGE, 'type', 'unreachable']);
  return stdout.trim() !== '';
}
