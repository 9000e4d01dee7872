/**
 * What the advisor needs to know of a host, read once per host (never per VM): its threads and
 * memory (`nodeinfo`), whether KVM is usable (the kvm domain type in `capabilities`, which
 * libvirt lists only when /dev/kvm works for QEMU), KSM's state, and its clock against ours.
 * The virsh questions go in one batch on the shared session; KSM and the clock in one small
 * command on its own channel, at the same time.
 */
import type { AdvisorHostFacts } from '../../preload/contract.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import { parseNodeinfoOutput } from './hostDetails.js';
import type { LibvirtHost } from './libvirtHost.js';
import { parseCapabilitiesXml } from './models/capabilities.js';

/** The clock first (so the round trip around it is short), then KSM; a missing file prints nothing. */
export const CLOCK_AND_KSM_SCRIPT = 'date +%s%N; echo ksm $(cat /sys/kernel/mm/ksm/run 2>/dev/null) $(cat /sys/kernel/mm/ksm/pages_sharing 2>/dev/null); true';

export interface ClockAndKsm {
  /** The host's clock, ms since the epoch (null when it printed none). */
  hostClockMs: number | null;
  ksm: AdvisorHostFacts['ksm'];
}

/** `date +%s%N` (or, where %N is unknown, seconds followed by `N`) and the `ksm RUN SHARING` line. */
export function parseClockAndKsm(stdout: string): ClockAndKsm {
  const [first = '', ...rest] = stdout.split('\n');
  const clock = first.trim();
  let hostClockMs: number | null = null;
  if (/^\d{19}$/.test(clock)) hostClockMs = Number(BigInt(clock) / 1_000_000n);
  else if (/^\d{9,11}N?$/.test(clock)) hostClockMs = Number.parseInt(clock, 10) * 1000;
  const ksmLine = rest.map((line) => line.trim()).find((line) => line.startsWith('ksm'));
  const [, run, sharing] = ksmLine?.split(/\s+/) ?? [];
  const ksm = run !== undefined && /^\d+$/.test(run) ? { running: run === '1', pagesSharing: /^\d+$/.test(sharing ?? '') ? Number(sharing) : 0 } : null;
  return { hostClockMs, ksm };
}

/** The host clock's offset from ours, against the midpoint of the round trip (uncertainty: half of it). */
export function clockOffset(sentAtMs: number, receivedAtMs: number, hostClockMs: number): { offsetMs: number; uncertaintyMs: number } {
  const midpoint = (sentAtMs + receivedAtMs) / 2;
  return { offsetMs: Math.round(hostClockMs - midpoint), uncertaintyMs: Math.round((receivedAtMs - sentAtMs) / 2) };
}

export async function readAdvisorHostFacts(host: LibvirtHost, hostId: string, now: () => number = Date.now): Promise<AdvisorHostFacts> {
  const clock = (async () => {
    const sentAt = now();
    const result = await runRemoteJob(host.runner, ['sh', '-c', CLOCK_AND_KSM_SCRIPT]).catch(() => undefined);
    const receivedAt = now();
    return result && result.code === 0 ? { sentAt, receivedAt, ...parseClockAndKsm(result.stdout) } : undefined;
  })();
  const [nodeinfo, capabilities] = await Promise.all(host.session.runBatch([['nodeinfo'], ['capabilities']]));
  const info = nodeinfo?.ok ? parseNodeinfoOutput(nodeinfo.stdout) : {};
  const caps = capabilities?.ok ? parseCapabilitiesXml(capabilities.stdout) : undefined;
  const measured = await clock;
  const offset = measured?.hostClockMs !== null && measured?.hostClockMs !== undefined ? clockOffset(measured.sentAt, measured.receivedAt, measured.hostClockMs) : undefined;
  return {
    hostId,
    threads: info.logicalCpus ?? null,
    memoryKiB: info.memoryKiB ?? caps?.memoryKiB ?? null,
    kvmUsable: caps ? caps.guests.some((guest) => guest.domainTypes.includes('kvm')) : null,
    ksm: measured?.ksm ?? null,
    clockOffsetMs: offset?.offsetMs ?? null,
    clockUncertaintyMs: offset?.uncertaintyMs ?? null,
    measuredAt: now(),
  };
}
