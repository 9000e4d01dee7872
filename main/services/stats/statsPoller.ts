/**
 * Polls statistics in bulk (`virsh domstats`, one command per host) for the hosts whose VMs
 * are on screen, and announces per-VM rates. Nothing is polled for hosts nobody looks at.
 */
import type { VmStats } from '../../../preload/contract.js';
import type { Disposable } from '../../core/disposable.js';
import { computeRates, readDomainStats, type RawDomainStats } from '../../libvirt/statsReader.js';
import type { HostService } from '../hosts/hostService.js';

export const STATS_INTERVAL_MS = 2_000;

interface Sample {
  stats: RawDomainStats[];
  at: number;
}

export class StatsPoller implements Disposable {
  private watched = new Set<string>();
  /** What each window has on screen; the poller serves their union. */
  private readonly byClient = new Map<string, Set<string>>();
  private readonly previous = new Map<string, Sample>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly hosts: Pick<HostService, 'find'>,
    private readonly emit: (hostId: string, stats: VmStats[], sampledAt: number) => void,
    private readonly intervalMs = STATS_INTERVAL_MS,
  ) {}

  watch(clientId: string, hostIds: readonly string[]): void {
    if (hostIds.length === 0) this.byClient.delete(clientId);
    else this.byClient.set(clientId, new Set(hostIds));
    this.apply();
  }

  /** The hosts polled now (the union of every window's). */
  get watchedHosts(): string[] {
    return [...this.watched].sort();
  }

  /** A window closed: what only it watched stops being polled. */
  forget(clientId: string): void {
    if (this.byClient.delete(clientId)) this.apply();
  }

  private apply(): void {
    this.watched = new Set([...this.byClient.values()].flatMap((ids) => [...ids]));
    for (const hostId of [...this.previous.keys()]) if (!this.watched.has(hostId)) this.previous.delete(hostId);
    if (this.watched.size === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), this.intervalMs);
      void this.poll();
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await Promise.all([...this.watched].map((hostId) => this.pollHost(hostId)));
    } finally {
      this.polling = false;
    }
  }

  private async pollHost(hostId: string): Promise<void> {
    const host = this.hosts.find(hostId);
    if (!host || host.getSummary().status !== 'connected') return;
    try {
      const at = Date.now();
      const stats = await readDomainStats(host.requireSession());
      const before = this.previous.get(hostId);
      this.previous.set(hostId, { stats, at });
      this.emit(hostId, computeRates(before?.stats, stats, before ? at - before.at : 0, hostId), at);
    } catch {
      // A host that fails here shows it through its own status; statistics just pause.
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
