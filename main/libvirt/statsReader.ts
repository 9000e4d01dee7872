/**
 * Statistics of every running VM on a host from one `virsh domstats` call, and the rates shown
 * in the UI computed from two such samples.
 */
import type { VmState, VmStats } from '../../preload/contract.js';
import { stateReasonFromCode, vmStateFromCode } from './domainState.js';
import type { VirshSession } from './virshSession.js';

/** One domain's counters as libvirt reports them (cumulative since the VM started). */
export interface RawDomainStats {
  name: string;
  /** undefined when the state group was not asked for or not printed. */
  state: VmState | undefined;
  /** Reason key (domainState.ts), when libvirt gave one other than unknown. */
  stateReason: string | undefined;
  /** Total CPU time used by the VM (all vCPUs and QEMU's own threads), ns. */
  cpuTimeNs: number | null;
  vcpus: number | null;
  /** Memory currently given to the guest (after ballooning), KiB. */
  balloonCurrentKiB: number | null;
  balloonMaximumKiB: number | null;
  /** Resident set size of the VM's process on the host, KiB. */
  balloonRssKiB: number | null;
  /** Reported by the guest's balloon driver only (virtio-balloon with stats), KiB. */
  balloonUnusedKiB: number | null;
  balloonUsableKiB: number | null;
  /** Sums over all interfaces / all disks; null when the group was not reported. */
  rxBytes: number | null;
  txBytes: number | null;
  rdBytes: number | null;
  wrBytes: number | null;
}

/**
 * No --vcpu: it adds ~50 lines per vCPU (about 1 MB per poll for a few hundred KVM guests) and
 * the vCPU count is in the inventory already. --list-active skips shut-off domains (nothing to rate). --nowait makes libvirt leave out
 * stats it could only get by waiting for a busy domain (e.g. during a migration) instead of
 * stalling the whole call on that one VM; such a VM's rates are null for that sample.
 */
export const DOMSTATS_COMMAND = [
  'domstats', '--raw', '--state', '--cpu-total', '--balloon', '--interface', '--block', '--list-active', '--nowait',
] as const;

export async function readDomainStats(session: VirshSession): Promise<RawDomainStats[]> {
  return parseDomstats(await session.runChecked(DOMSTATS_COMMAND));
}

function numberOrNull(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** Sums `<prefix>.<i>.<field>` for i < `<prefix>.count`; null when the count is missing. */
function sumOver(fields: Map<string, string>, prefix: 'net' | 'block', field: string): number | null {
  const count = numberOrNull(fields.get(`${prefix}.count`));
  if (count === null) return null;
  let sum = 0;
  for (let i = 0; i < count; i += 1) sum += numberOrNull(fields.get(`${prefix}.${i}.${field}`)) ?? 0;
  return sum;
}

function toStats(name: string, fields: Map<string, string>): RawDomainStats {
  const state = vmStateFromCode(numberOrNull(fields.get('state.state')));
  return {
    name,
    state,
    stateReason: state && stateReasonFromCode(state, numberOrNull(fields.get('state.reason'))),
    cpuTimeNs: numberOrNull(fields.get('cpu.time')),
    vcpus: numberOrNull(fields.get('vcpu.current')),
    balloonCurrentKiB: numberOrNull(fields.get('balloon.current')),
    balloonMaximumKiB: numberOrNull(fields.get('balloon.maximum')),
    balloonRssKiB: numberOrNull(fields.get('balloon.rss')),
    balloonUnusedKiB: numberOrNull(fields.get('balloon.unused')),
    balloonUsableKiB: numberOrNull(fields.get('balloon.usable')),
    rxBytes: sumOver(fields, 'net', 'rx.bytes'),
    txBytes: sumOver(fields, 'net', 'tx.bytes'),
    rdBytes: sumOver(fields, 'block', 'rd.bytes'),
    wrBytes: sumOver(fields, 'block', 'wr.bytes'),
  };
}

const HEADER = /^Domain: '(.*)'$/;

/**
 * Parses `virsh domstats --raw` output: a `Domain: 'NAME'` line (the name printed raw between
 * the first and the last quote, so names with quotes survive), then `  key=value` lines.
 * Without --backing, block.N are the VM's disks themselves, so summing them counts no byte twice.
 */
export function parseDomstats(stdout: string): RawDomainStats[] {
  const result: RawDomainStats[] = [];
  let name: string | undefined;
  let fields = new Map<string, string>();
  const flush = (): void => {
    if (name !== undefined) result.push(toStats(name, fields));
  };
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const header = HEADER.exec(line);
    if (header) {
      flush();
      name = header[1] ?? '';
      fields = new Map();
      continue;
    }
    const equals = line.indexOf('=');
    if (name === undefined || !line.startsWith('  ') || equals < 0) continue;
    fields.set(line.slice(0, equals).trim(), line.slice(equals + 1));
  }
  flush();
  return result;
}

/**
 * What the guest uses, as virt-manager shows it: given memory minus what the guest's balloon
 * driver reports unused. Without a balloon driver only the host-side RSS of the VM's process is
 * known, which includes QEMU's own overhead; better than nothing.
 */
function memoryUsedKiB(stats: RawDomainStats): number | null {
  if (stats.balloonCurrentKiB !== null && stats.balloonUnusedKiB !== null) {
    return Math.max(0, stats.balloonCurrentKiB - stats.balloonUnusedKiB);
  }
  return stats.balloonRssKiB;
}

/** Per-second rate of a cumulative counter; null without a baseline or when it went backwards (VM restarted). */
function rate(current: number | null, previous: number | null | undefined, seconds: number): number | null {
  if (current === null || previous === null || previous === undefined || seconds <= 0) return null;
  if (current < previous) return null;
  return (current - previous) / seconds;
}

/**
 * Rates between two samples `elapsedMs` apart, for the VMs in `current` (a VM that vanished is
 * simply absent; one new since `previous` gets null rates). cpuPercent is CPU time used over wall
 * time, the convention of virt-top and `top`: 100 means one host CPU fully busy, so a VM with
 * several vCPUs can exceed 100. Sample a second or more apart: libvirt's cpu.time advances in
 * steps (10 ms and lumpier on the lab's hosts), and sub-second intervals gave readings of 1500 %.
 */
export function computeRates(
  previous: readonly RawDomainStats[] | undefined,
  current: readonly RawDomainStats[],
  elapsedMs: number,
  hostId: string,
): VmStats[] {
  const before = new Map((previous ?? []).map((stats) => [stats.name, stats]));
  const seconds = elapsedMs / 1000;
  return current.map((now) => {
    const then = before.get(now.name);
    const cpuNsPerSecond = rate(now.cpuTimeNs, then?.cpuTimeNs, seconds);
    return {
      hostId,
      name: now.name,
      cpuPercent: cpuNsPerSecond === null ? null : (cpuNsPerSecond / 1e9) * 100,
      memoryUsedKiB: memoryUsedKiB(now),
      diskReadBps: rate(now.rdBytes, then?.rdBytes, seconds),
      diskWriteBps: rate(now.wrBytes, then?.wrBytes, seconds),
      netRxBps: rate(now.rxBytes, then?.rxBytes, seconds),
      netTxBps: rate(now.txBytes, then?.txBytes, seconds),
    };
  });
}
