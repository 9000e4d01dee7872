/**
 * All hosts main knows — the embedded ones and every SSH host profile — each a
 * HostConnection. One failing host never affects another.
 */
import { ContractError, type HostInventory, type HostProfile, type HostSummary, type InventoryChange } from '../../../preload/contract.js';
import type { Disposable, DisposableStore } from '../../core/disposable.js';
import { createWorkLimiter } from '../../core/workLimiter.js';
import type { VirshSession } from '../../libvirt/virshSession.js';
import { DEMO_HOST_ID, LOCAL_HOST_ID, virshInstalled, writeDemoNode } from './embeddedHosts.js';
import { HostConnection } from './hostConnection.js';
import type { PresentedKey } from './hostKeyTrust.js';
import { openLocalLink, type HostLink } from './hostLink.js';
import { watchReachability } from './reachabilityProbe.js';
import { isSecretOfProfile, sshLinkOpener, type SshLinkContext } from './sshHostLink.js';

export interface HostServiceOptions {
  virshPath?: string;
  /** URI of "This computer"; qemu:///system unless told otherwise. */
  localUri?: string;
  includeLocal?: boolean;
  includeDemo?: boolean;
  /** Where the demo hypervisor's node file is written (the app's config directory). */
  demoDir: string;
  /** Backoff schedule for reconnects (tests shorten it). */
  retry?: { baseMs: number; capMs: number };
  ssh: SshLinkContext;
  onHostChanged(summary: HostSummary): void;
  onHostsChanged(summaries: HostSummary[]): void;
  onInventory(change: InventoryChange): void;
  /** Called after a host connects, with its link and session (live events, statistics). */
  onConnected?: (host: HostConnection, link: HostLink, session: VirshSession, disposables: DisposableStore) => void;
}

/** How long background work waits for connecting hosts at most (a host may hang in its handshake). */
const BACKGROUND_WAIT_MS = 10_000;
/** Background work also waits this long after the last connecting host showed its list. */
const SETTLE_MS = 1_000;
/** Hosts whose domain XML is read and parsed at the same time. */
const DETAIL_READS_AT_ONCE = 2;

export class HostService implements Disposable {
  private readonly hosts = new Map<string, HostConnection>();
  private readonly profiles = new Map<string, HostProfile>();

  constructor(private readonly options: HostServiceOptions) {}

  private readonly idleWaiters = new Set<() => void>();

  /** When a host last announced its first list (the page still has to render it). */
  private lastListAt = 0;

  /**
   * Background work waits while hosts are connecting and SETTLE_MS after the last of them
   * announced its list (at most BACKGROUND_WAIT_MS in all), so fifty hosts connecting at once
   * all show their lists — and the window has drawn them — before any host's XML is read.
   */
  private readonly backgroundGate = (): Promise<void> =>
    new Promise((resolve) => {
      let finished = false;
      let settleTimer: NodeJS.Timeout | undefined;
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(cap);
        clearTimeout(settleTimer);
        this.idleWaiters.delete(check);
        resolve();
      };
      const check = () => {
        if (finished || this.anyConnecting()) return;
        const wait = this.lastListAt + SETTLE_MS - Date.now();
        clearTimeout(settleTimer);
        if (wait <= 0) done();
        else settleTimer = setTimeout(check, wait);
      };
      const cap = setTimeout(done, BACKGROUND_WAIT_MS);
      this.idleWaiters.add(check);
      check();
    });

  private readonly detailReads = createWorkLimiter(DETAIL_READS_AT_ONCE);
  private readonly detailsSlot = <T>(work: () => Promise<T>): Promise<T> => this.backgroundGate().then(() => this.detailReads(work));

  private anyConnecting(): boolean {
    return [...this.hosts.values()].some((host) => host.isSettling && host.getSummary().status !== 'awaiting-user');
  }

  private hostChanged(summary: HostSummary): void {
    this.options.onHostChanged(summary);
    this.releaseBackground();
  }

  private releaseBackground(): void {
    if (this.idleWaiters.size > 0 && !this.anyConnecting()) for (const check of [...this.idleWaiters]) check();
  }

  private common(id: string) {
    return {
      virsh: this.options.virshPath ?? 'virsh',
      backgroundGate: this.backgroundGate,
      detailsSlot: this.detailsSlot,
      retry: this.options.retry,
      onChange: (summary: HostSummary) => this.hostChanged(summary),
      onInventory: (change: InventoryChange) => {
        if (change.kind === 'full') this.lastListAt = Date.now();
        this.options.onInventory(change);
        this.releaseBackground();
      },
      onConnected: (link: HostLink, session: VirshSession, disposables: DisposableStore) => {
        const host = this.hosts.get(id);
        if (host) this.options.onConnected?.(host, link, session, disposables);
      },
    };
  }

  /** Registers the embedded hosts and the profiles, and starts connecting them all. */
  async start(profiles: HostProfile[]): Promise<void> {
    const virshPath = this.options.virshPath ?? 'virsh';
    if (await virshInstalled(virshPath)) {
      if (this.options.includeLocal !== false) {
        this.add(new HostConnection({ ...this.common(LOCAL_HOST_ID), id: LOCAL_HOST_ID, label: 'This computer', kind: 'local', uri: this.options.localUri ?? 'qemu:///system', openLink: openLocalLink }));
      }
      if (this.options.includeDemo !== false) {
        const uri = await writeDemoNode(this.options.demoDir);
        this.add(new HostConnection({ ...this.common(DEMO_HOST_ID), id: DEMO_HOST_ID, label: 'Demo hypervisor', kind: 'demo', uri, openLink: openLocalLink }));
      }
    }
    for (const profile of profiles) this.add(this.forProfile(profile));
    this.options.onHostsChanged(this.list());
    for (const host of this.hosts.values()) void host.connect();
  }

  private forProfile(profile: HostProfile): HostConnection {
    this.profiles.set(profile.id, profile);
    return new HostConnection({
      ...this.common(profile.id),
      id: profile.id,
      label: profile.label,
      kind: 'ssh',
      uri: profile.uri,
      openLink: sshLinkOpener(profile, this.options.ssh),
      // Outside the libvirt group: virsh itself through sudo, so a sudoers rule naming only virsh works.
      virsh: profile.sudo ? ['sudo', '-n', 'virsh'] : 'virsh',
      // Behind jump hosts the port cannot be knocked on from here: backoff alone.
      watchReachability:
        profile.jumpHosts.length === 0
          ? (onAnswer) => watchReachability({ hostId: profile.id, target: { address: profile.address, port: profile.port }, onAnswer })
          : undefined,
      describe: { address: profile.address, port: profile.port, user: profile.user, folder: profile.folder, tags: profile.tags },
    });
  }

  private add(host: HostConnection): void {
    this.hosts.set(host.id, host);
  }

  /** Brings the SSH hosts in line with the profiles after a change. */
  syncProfiles(profiles: HostProfile[]): void {
    const wanted = new Map(profiles.map((profile) => [profile.id, profile]));
    let changed = false;
    for (const [id, old] of this.profiles) {
      const next = wanted.get(id);
      if (next && next.updatedAt === old.updatedAt) continue;
      this.options.ssh.prompts.withdrawFor(id);
      this.hosts.get(id)?.dispose();
      this.hosts.delete(id);
      this.profiles.delete(id);
      changed = true;
    }
    for (const profile of profiles) {
      if (this.hosts.has(profile.id)) continue;
      const host = this.forProfile(profile);
      this.add(host);
      void host.connect();
      changed = true;
    }
    if (changed) this.options.onHostsChanged(this.list());
  }

  list(): HostSummary[] {
    return [...this.hosts.values()].map((host) => host.getSummary());
  }

  find(hostId: string): HostConnection | undefined {
    return this.hosts.get(hostId);
  }

  get(hostId: string): HostConnection {
    const host = this.hosts.get(hostId);
    if (!host) throw new ContractError('unknown-host', `No host with id ${hostId}`);
    return host;
  }

  inventory(hostId: string): Promise<HostInventory> {
    return this.get(hostId).getInventory();
  }

  async reconnect(hostId: string): Promise<void> {
    await this.get(hostId).connect();
  }

  /** A removed profile's secrets: the remembered ones and those typed during this run. */
  async forgetSecrets(profileId: string): Promise<void> {
    const { vault, sessionSecrets } = this.options.ssh;
    for (const key of [...sessionSecrets.keys()]) if (isSecretOfProfile(key, profileId)) sessionSecrets.delete(key);
    await vault.deleteWhere((key) => isSecretOfProfile(key, profileId));
  }

  /** The user's explicit "forget the old key": drop the host's recorded keys, then ask anew. */
  async forgetHostKey(hostId: string): Promise<void> {
    const profile = this.profiles.get(hostId);
    if (!profile) throw new ContractError('unknown-host', `Host ${hostId} has no SSH host key.`);
    await this.options.ssh.trust.forget(profile.address, profile.port);
  }

  /** The host key an SSH host presented and the app verified when it last connected. */
  verifiedHostKey(hostId: string): PresentedKey | undefined {
    const profile = this.profiles.get(hostId);
    return profile ? this.options.ssh.trust.verifiedKey(profile.address, profile.port) : undefined;
  }

  /** The SSH profile of a host (undefined for the embedded ones). */
  profileOf(hostId: string): HostProfile | undefined {
    return this.profiles.get(hostId);
  }

  dispose(): void {
    for (const host of this.hosts.values()) host.dispose();
    this.hosts.clear();
  }
}
