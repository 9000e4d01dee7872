/**
 * Reads a host's VMs, networks and storage pools over its virsh session, fast enough to keep
 * fifty hosts live.
 *
 * The quick read is two round trips: every list (by UUID, and `list --all --uuid --name` for
 * names — never parsed out of a table — and which have a managed-save image), one `domstats`
 * for every domain's state, vCPUs and memory, then the XML of the (few) networks and pools plus
 * their DHCP leases. What only a
 * domain's XML says (OS type, architecture, MACs for addresses) is cached by UUID and fetched
 * just for domains not seen before, in one more round trip. The first read of a host therefore
 * announces the complete list before the XML arrives, and every later read (after an event)
 * costs a few milliseconds even with hundreds of domains.
 */
import type { HostInventory, NetworkSummary, PoolSummary, VmState, VmSummary } from '../../preload/contract.js';
import { perf } from '../core/perfTrace.js';
import { leasesByMac, parseDhcpLeases } from './addressReader.js';
import { parseDomainXml, type DomainDefinition } from './models/domain.js';
import { parseNetworkXml } from './models/network.js';
import { parseStoragePoolXml } from './models/storagePool.js';
import { parseDomstats, type RawDomainStats } from './statsReader.js';
import { VirshError, virshErrorMessage, type VirshResult, type VirshSession } from './virshSession.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checked(result: VirshResult | undefined): string {
  if (!result) return '';
  if (!result.ok) throw new VirshError(virshErrorMessage(result.stderr), result.stderr);
  return result.stdout;
}

function uuidSet(result: VirshResult | undefined): Set<string> {
  return new Set(
    checked(result)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => UUID.test(line)),
  );
}

/** `list --all --uuid --name` prints "UUID NAME" per line; the name is the rest of the line, as is. */
export function parseUuidNameLines(stdout: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const uuid = line.slice(0, 36);
    if (UUID.test(uuid) && line[36] === ' ') names.set(uuid, line.slice(37).replace(/\r$/, ''));
  }
  return names;
}

const LISTS = [
  ['list', '--all', '--uuid', '--name'],
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

/** Domains with a managed-save image (shown as saved; a start restores them). */
const MANAGED_SAVE_LIST = ['list', '--all', '--with-managed-save', '--uuid'];
/** Domains that have snapshots: one list per host for the advisor (never a command per VM). */
const SNAPSHOT_LIST = ['list', '--all', '--with-snapshot', '--uuid'];

/**
 * The state from domstats (all eight libvirt states, with the reason); the list filters are the
 * fallback for drivers without domstats, where only running, paused and shut off can be told.
 */
function vmState(uuid: string, stat: RawDomainStats | undefined, running: Set<string>, paused: Set<string>, shutoff: Set<string>): VmState {
  if (stat?.state) return stat.state;
  if (running.has(uuid)) return 'running';
  if (paused.has(uuid)) return 'paused';
  if (shutoff.has(uuid)) return 'shutoff';
  return 'no-state';
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** Domain XMLs parsed between two yields to the event loop. */
const XML_SLICE = 25;

export class InventoryReader {
  /** What only domain XML tells, by UUID. */
  private readonly details = new Map<string, DomainDefinition>();
  private snapshotted: ReadonlySet<string> = new Set();

  /** The definitions read so far, by UUID (kept in main: the tree gets only what it shows). */
  get definitions(): ReadonlyMap<string, DomainDefinition> {
    return this.details;
  }

  /** UUIDs of the domains that had snapshots at the last read. */
  get withSnapshots(): ReadonlySet<string> {
    return this.snapshotted;
  }

  constructor(private readonly hostId: string) {}

  /** A domain was (re)defined: its XML-only details are read again on the next read. */
  forgetDomain(name: string): void {
    for (const [uuid, detail] of this.details) if (detail.name === name) this.details.delete(uuid);
  }

  /**
   * Reads the inventory. When domains are new to this reader, `onQuick` first receives the
   * complete list without their XML-only details, then the XML is read (inside `detailsSlot`,
   * which lets other hosts' first reads go first and limits how many hosts parse at once) and
   * the full inventory returned.
   */
  async read(
    session: VirshSession,
    onQuick?: (inventory: HostInventory) => void,
    detailsSlot?: <T>(work: () => Promise<T>) => Promise<T>,
  ): Promise<HostInventory> {
    // Memory of every domain in one answer (--nowait: a busy VM cannot stall it), and vCPU counts.
    // --vcpu prints ~47 lines per vCPU of a running KVM guest (about 1 MB for 300 two-vCPU VMs),
    // too much for the read that follows every event: once the XML is cached it supplies running
    // domains' counts, and --vcpu is asked only of shut-off ones (two lines each), whose
    // configuration can change without any event (`virsh setvcpus --config`).
    const vcpuScope = this.details.size === 0 ? [] : ['--list-inactive'];
    const lists = await Promise.all(
      session.runBatch([
        ...LISTS.slice(0, 6),
        ['domstats', '--raw', '--state', '--balloon', '--nowait'],
        ['domstats', '--raw', '--vcpu', ...vcpuScope],
        ...LISTS.slice(6),
        // Last, and read leniently: a driver without managed save (or snapshots) answers with an error.
        SNAPSHOT_LIST,
        MANAGED_SAVE_LIST,
      ]),
    );
    const snapshotResult = lists[lists.length - 2];
    this.snapshotted = snapshotResult?.ok ? uuidSet(snapshotResult) : new Set<string>();
    const managedSaveResult = lists[lists.length - 1];
    const managedSave = managedSaveResult?.ok ? uuidSet(managedSaveResult) : new Set<string>();
    const { names, running, paused, shutoff, persistent, autostart, netAll, netActive, netPersistent, netAutostart, poolAll, poolActive, poolAutostart } =
      perf.time('parse.lists', () => {
        const [running, paused, shutoff, persistent, autostart] = lists.slice(1, 6).map(uuidSet) as [Set<string>, Set<string>, Set<string>, Set<string>, Set<string>];
        const [netAll, netActive, netPersistent, netAutostart, poolAll, poolActive, poolAutostart] = lists.slice(8, 8 + LISTS.length - 6).map(uuidSet) as [
          Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>,
        ];
        return { names: parseUuidNameLines(checked(lists[0])), running, paused, shutoff, persistent, autostart, netAll, netActive, netPersistent, netAutostart, poolAll, poolActive, poolAutostart };
      });
    // domstats may fail on drivers that lack it; the XML then supplies vCPUs and memory.
    const { stats, vcpuCounts } = perf.time('parse.domstats', () => ({
      stats: new Map<string, RawDomainStats>(lists[6]?.ok ? parseDomstats(lists[6].stdout).map((s) => [s.name, s]) : []),
      vcpuCounts: new Map<string, number | null>(lists[7]?.ok ? parseDomstats(lists[7].stdout).map((s) => [s.name, s.vcpus]) : []),
    }));

    const netIds = [...netAll];
    const poolIds = [...poolAll];
    const leaseNets = netIds.filter((uuid) => netActive.has(uuid));
    const second = await Promise.all(
      session.runBatch([
        ...netIds.map((uuid) => ['net-dumpxml', '--network', uuid]),
        ...poolIds.map((uuid) => ['pool-dumpxml', '--pool', uuid]),
        ...leaseNets.map((uuid) => ['net-dhcp-leases', '--network', uuid]),
      ]),
    );

    const networks: NetworkSummary[] = [];
    netIds.forEach((uuid, index) => {
      const result = second[index];
      // An object removed between the two round trips simply is not there any more.
      if (!result?.ok) return;
      networks.push({
        hostId: this.hostId,
        ...parseNetworkXml(result.stdout),
        uuid,
        active: netActive.has(uuid),
        persistent: netPersistent.has(uuid),
        autostart: netAutostart.has(uuid),
      });
    });
    const pools: PoolSummary[] = [];
    poolIds.forEach((uuid, index) => {
      const result = second[netIds.length + index];
      if (!result?.ok) return;
      pools.push({ hostId: this.hostId, ...parseStoragePoolXml(result.stdout), uuid, active: poolActive.has(uuid), autostart: poolAutostart.has(uuid) });
    });
    const leaseResults = second.slice(netIds.length + poolIds.length);
    const addresses = leasesByMac(leaseResults.flatMap((result) => (result.ok ? parseDhcpLeases(result.stdout) : [])));

    for (const uuid of [...this.details.keys()]) if (!names.has(uuid)) this.details.delete(uuid);
    const build = (): HostInventory => perf.time('build.inventory', () => {
      const vms: VmSummary[] = [];
      for (const [uuid, name] of names) {
        const detail = this.details.get(uuid);
        const stat = stats.get(name);
        const vm: VmSummary = {
          hostId: this.hostId,
          name: detail?.name ?? name,
          uuid,
          state: vmState(uuid, stat, running, paused, shutoff),
          vcpus: vcpuCounts.get(name) ?? detail?.vcpus ?? 0,
          memoryKiB: stat?.balloonCurrentKiB ?? detail?.memoryKiB ?? 0,
          persistent: persistent.has(uuid),
          autostart: autostart.has(uuid),
        };
        if (stat?.stateReason) vm.stateReason = stat.stateReason;
        if (managedSave.has(uuid)) vm.managedSave = true;
        if (detail?.osType) vm.osType = detail.osType;
        if (detail?.arch) vm.arch = detail.arch;
        const vmAddresses = (detail?.macs ?? []).flatMap((mac) => addresses.get(mac) ?? []);
        if (vmAddresses.length > 0) vm.addresses = vmAddresses;
        vms.push(vm);
      }
      return { hostId: this.hostId, vms: vms.sort(byName), networks: [...networks].sort(byName), pools: [...pools].sort(byName), fetchedAt: Date.now() };
    });

    const unknown = [...names.keys()].filter((uuid) => !this.details.has(uuid));
    if (unknown.length === 0) return build();
    onQuick?.(build());
    const readDetails = async () => {
      const xml = await Promise.all(session.runBatch(unknown.map((uuid) => ['dumpxml', '--domain', uuid])));
      // In slices, yielding between them: 300 domains parse in ~80 ms, which would otherwise
      // hold main's event loop (other hosts' handshakes, the windows' calls) in one piece.
      for (let start = 0; start < unknown.length; start += XML_SLICE) {
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        perf.time('parse.xml', () => {
          for (let index = start; index < Math.min(unknown.length, start + XML_SLICE); index += 1) {
            const result = xml[index];
            if (result?.ok) this.details.set(unknown[index]!, parseDomainXml(result.stdout));
          }
        });
      }
    };
    await (detailsSlot ? detailsSlot(readDetails) : readDetails());
    return build();
  }
}

/** One-off read (tests, tools): a fresh reader, so every domain's XML is read. */
export function readInventory(session: VirshSession, hostId: string): Promise<HostInventory> {
  return new InventoryReader(hostId).read(session);
}
