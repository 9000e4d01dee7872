/**
 * Reads a host's VMs, networks and storage pools in two round trips over its virsh session:
 * first every list (by UUID, so no name is ever parsed out of a table), then every XML.
 */
import type { HostInventory, NetworkSummary, PoolSummary, VmState, VmSummary } from '../../preload/contract.js';
import { leasesByMac, parseDhcpLeases } from './addressReader.js';
import { parseDomainXml } from './models/domain.js';
import { parseNetworkXml } from './models/network.js';
import { parseStoragePoolXml } from './models/storagePool.js';
import { VirshError, virshErrorMessage, type VirshResult, type VirshSession } from './virshSession.js';

function uuidLines(result: VirshResult | undefined): Set<string> {
  if (!result) return new Set();
  if (!result.ok) throw new VirshError(virshErrorMessage(result.stderr), result.stderr);
  return new Set(
    result.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^[0-9a-f-]{36}$/i.test(line)),
  );
}

const LIST_COMMANDS = [
  ['list', '--all', '--uuid'],
  ['list', '--state-running', '--uuid'],
  ['list', '--state-paused', '--uuid'],
  ['list', '--state-shutoff', '--uuid'],
  // Without --all these filters only look at running domains.
  ['list', '--all', '--persistent', '--uuid'],
  ['list', '--all', '--autostart', '--uuid'],
  ['net-list', '--all', '--uuid'],
  ['net-list', '--uuid'],
  ['net-list', '--all', '--persistent', '--uuid'],
  ['net-list', '--all', '--autostart', '--uuid'],
  ['pool-list', '--all', '--uuid'],
  ['pool-list', '--uuid'],
  ['pool-list', '--all', '--autostart', '--uuid'],
] as const;

function vmState(uuid: string, running: Set<string>, paused: Set<string>, shutoff: Set<string>): VmState {
  if (running.has(uuid)) return 'running';
  if (paused.has(uuid)) return 'paused';
  if (shutoff.has(uuid)) return 'shutoff';
  return 'other';
}

export async function readInventory(session: VirshSession, hostId: string): Promise<HostInventory> {
  const lists = (await Promise.all(session.runBatch(LIST_COMMANDS))).map(uuidLines);
  const [vmAll, vmRunning, vmPaused, vmShutoff, vmPersistent, vmAutostart, netAll, netActive, netPersistent, netAutostart, poolAll, poolActive, poolAutostart] =
    lists as [Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>];

  const vmIds = [...vmAll];
  const netIds = [...netAll];
  const poolIds = [...poolAll];
  const leaseNets = netIds.filter((uuid) => netActive.has(uuid));
  const results = await Promise.all(
    session.runBatch([
      ...vmIds.map((uuid) => ['dumpxml', '--domain', uuid]),
      ...netIds.map((uuid) => ['net-dumpxml', '--network', uuid]),
      ...poolIds.map((uuid) => ['pool-dumpxml', '--pool', uuid]),
      // Addresses of guests on libvirt's own networks, in the same round trip.
      ...leaseNets.map((uuid) => ['net-dhcp-leases', '--network', uuid]),
    ]),
  );
  const leaseResults = results.slice(vmIds.length + netIds.length + poolIds.length);
  const addresses = leasesByMac(leaseResults.flatMap((result) => (result.ok ? parseDhcpLeases(result.stdout) : [])));

  const vms: VmSummary[] = [];
  vmIds.forEach((uuid, index) => {
    const result = results[index];
    // A domain undefined between the two round trips simply is not there any more.
    if (!result?.ok) return;
    const definition = parseDomainXml(result.stdout);
    const vm: VmSummary = {
      hostId,
      name: definition.name,
      uuid,
      state: vmState(uuid, vmRunning, vmPaused, vmShutoff),
      vcpus: definition.vcpus,
      memoryKiB: definition.memoryKiB,
      persistent: vmPersistent.has(uuid),
      autostart: vmAutostart.has(uuid),
    };
    if (definition.osType) vm.osType = definition.osType;
    if (definition.arch) vm.arch = definition.arch;
    const vmAddresses = definition.macs.flatMap((mac) => addresses.get(mac) ?? []);
    if (vmAddresses.length > 0) vm.addresses = vmAddresses;
    vms.push(vm);
  });

  const networks: NetworkSummary[] = [];
  netIds.forEach((uuid, index) => {
    const result = results[vmIds.length + index];
    if (!result?.ok) return;
    const definition = parseNetworkXml(result.stdout);
    networks.push({
      hostId,
      ...definition,
      uuid,
      active: netActive.has(uuid),
      persistent: netPersistent.has(uuid),
      autostart: netAutostart.has(uuid),
    });
  });

  const pools: PoolSummary[] = [];
  poolIds.forEach((uuid, index) => {
    const result = results[vmIds.length + netIds.length + index];
    if (!result?.ok) return;
    const definition = parseStoragePoolXml(result.stdout);
    pools.push({ hostId, ...definition, uuid, active: poolActive.has(uuid), autostart: poolAutostart.has(uuid) });
  });

  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    hostId,
    vms: vms.sort(byName),
    networks: networks.sort(byName),
    pools: pools.sort(byName),
    fetchedAt: Date.now(),
  };
}
