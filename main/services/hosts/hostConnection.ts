/**
 * One host as main holds it: its link (local or SSH), its long-lived virsh session, its
 * status and its last inventory. A host that fails never throws into the others; it only
 * changes status, and where waiting can help it tries again by itself with backoff.
 */
import { ContractError, type HostInventory, type HostKind, type HostStatus, type HostSummary, type InventoryChange } from '../../../preload/contract.js';
import { backoffDelay } from '../../core/backoff.js';
import { DisposableStore, type Disposable } from '../../core/disposable.js';
import { perf } from '../../core/perfTrace.js';
import type { HostRunner } from '../../connection/hostProcess.js';
import { statusForFailure } from '../../libvirt/connectionFailure.js';
import { readHostFacts } from '../../libvirt/hostFacts.js';
import { InventoryPublisher } from '../../libvirt/inventoryDelta.js';
import { stateAfterLifecycle } from '../../libvirt/lifecycleState.js';
import { InventoryReader } from '../../libvirt/inventoryReader.js';
import type { DomainDefinition } from '../../libvirt/models/domain.js';
import type { LibvirtHost } from '../../libvirt/libvirtHost.js';
import { VirshSession, VirshSessionClosed, type VirshCommand } from '../../libvirt/virshSession.js';
import { LinkFailure, type HostLink, type LinkOpener } from './hostLink.js';

export interface HostConnectionOptions {
  id: string;
  label: string;
  kind: HostKind;
  uri: string;
  openLink: LinkOpener;
  /** How virsh is started there (a path, or e.g. ['sudo', '-n', 'virsh']). */
  virsh?: VirshCommand;
  /** Extra fields shown for SSH hosts (address, user, folder, tags). */
  describe?: Partial<HostSummary>;
  /** Runs after each successful connect with the live link and session (live events). */
  onConnected?: (link: HostLink, session: VirshSession, disposables: DisposableStore) => void;
  onChange(summary: HostSummary): void;
  /** Something in the inventory changed: the whole of it at first, deltas after (inventoryDelta.ts). */
  onInventory(change: InventoryChange): void;
  /** Resolves when background work (XML details, live events) may run without slowing other hosts' connects. */
  backgroundGate?: () => Promise<void>;
  /** Runs the XML reads of a connect: after the gate, and only a few hosts at a time. */
  detailsSlot?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Test hook: the backoff schedule. */
  retry?: { baseMs: number; capMs: number };
  /**
   * While a retry is pending: watch whether the host answers again, and call back when it does
   * (reachabilityProbe.ts), so it reconnects at once instead of when the backoff ends.
   */
  watchReachability?: (onAnswer: () => void) => Disposable;
}

/** Statuses where waiting and trying again can help by itself. */
const RETRYABLE: ReadonlySet<HostStatus> = new Set(['disconnected', 'unreachable', 'libvirt-not-running', 'error']);

export class HostConnection implements Disposable {
  private summary: HostSummary;
  private link: HostLink | undefined;
  private session: VirshSession | undefined;
  private connecting: Promise<void> | undefined;
  private inventory: HostInventory | undefined;
  private inventoryRead: Promise<HostInventory> | undefined;
  /** Lives as long as the host: after a reconnect, only what changed meanwhile is announced. */
  private readonly publisher = new InventoryPublisher();
  /** Called when an inventory (even a quick one) has been announced. */
  private readonly quickListeners = new Set<() => void>();
  /** Per session: its cache of XML-only details starts empty with every new session. */
  private reader: InventoryReader | undefined;
  private sessionDisposables = new DisposableStore();
  private retryTimer: NodeJS.Timeout | undefined;
  private reachability: Disposable | undefined;
  private attempt = 0;
  private disposed = false;
  /** Connecting, or connected but its list not yet announced: other hosts' background work waits. */
  private listPending = false;

  constructor(private readonly options: HostConnectionOptions) {
    this.summary = {
      id: options.id,
      label: options.label,
      kind: options.kind,
      uri: options.uri,
      status: 'disconnected',
      ...options.describe,
    };
  }

  /** Whether this host is still getting its list on screen after a connect. */
  get isSettling(): boolean {
    return this.listPending;
  }

  get virsh(): VirshCommand {
    return this.options.virsh ?? 'virsh';
  }

  /** virsh runs through `sudo -n` here, so root-owned files may be written through it too. */
  get runsThroughSudo(): boolean {
    const virsh = this.virsh;
    return typeof virsh !== 'string' && virsh[0] === 'sudo';
  }

  get id(): string {
    return this.options.id;
  }

  getSummary(): HostSummary {
    return this.summary;
  }

  /** The runner of the live link (for streams that need their own process). */
  get runner(): HostRunner {
    if (!this.link) throw new ContractError('host-unavailable', `Host ${this.summary.label} is not connected.`);
    return this.link.runner;
  }

  /** Applies a patch; keys listed in `clear` or patched with undefined are removed. */
  private update(patch: Partial<HostSummary>, clear: (keyof HostSummary)[] = []): void {
    const next: HostSummary = { ...this.summary, ...patch };
    for (const key of clear) delete next[key];
    for (const [key, value] of Object.entries(patch)) if (value === undefined) delete next[key as keyof HostSummary];
    this.summary = next;
    if (!this.disposed) this.options.onChange(next);
  }

  setStatus(status: HostStatus): void {
    this.update({ status });
  }

  connect(): Promise<void> {
    this.cancelRetry();
    this.connecting ??= this.doConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    this.listPending = true;
    this.closeSession();
    this.update({ status: 'connecting' }, ['detail', 'presentedKey', 'nextRetryAt']);
    perf.mark(this.id, 'connect');
    try {
      const link = await this.options.openLink();
      perf.mark(this.id, 'ssh');
      if (this.disposed) {
        link.dispose();
        return;
      }
      this.link = link;
      this.sessionDisposables.add(link);
      const session = await VirshSession.start(link.runner, this.options.uri, this.virsh);
      perf.mark(this.id, 'virsh');
      if (this.disposed) {
        session.dispose();
        return;
      }
      this.session = session;
      this.sessionDisposables.add(session);
      this.sessionDisposables.add(session.onClose((closed) => this.onLost(closed.stderr)));
      this.sessionDisposables.add(link.onClose(() => this.onLost('The connection to the host was closed.')));
      const facts = await readHostFacts(session);
      perf.mark(this.id, 'facts');
      this.attempt = 0;
      this.update({ status: 'connected', ...facts }, ['detail', 'presentedKey', 'nextRetryAt']);
      // The list first; live events start once it is on screen, so their processes do not
      // compete with the first read for the host's CPU and the connection's channels.
      let started = false;
      const startLive = () => {
        if (started) return;
        started = true;
        void (this.options.backgroundGate?.() ?? Promise.resolve()).then(() => {
          if (this.session === session) this.options.onConnected?.(link, session, this.sessionDisposables);
        });
      };
      this.quickListeners.add(startLive);
      try {
        await this.refresh();
      } finally {
        this.quickListeners.delete(startLive);
        startLive();
      }
    } catch (error) {
      this.closeSession();
      if (error instanceof LinkFailure) {
        this.fail(error.status, error.message, error.presentedKey);
      } else if (error instanceof VirshSessionClosed) {
        this.fail(statusForFailure(error), error.stderr || undefined);
      } else {
        this.fail('error', error instanceof Error ? error.message : String(error));
      }
    }
  }

  private fail(status: HostStatus, detail?: string, presentedKey?: HostSummary['presentedKey']): void {
    this.listPending = false;
    if (this.disposed) return;
    this.update({ status, detail, presentedKey }, ['nextRetryAt']);
    if (RETRYABLE.has(status)) this.scheduleRetry();
  }

  private onLost(detail: string): void {
    if (this.disposed || !this.session) return;
    this.closeSession();
    this.fail('disconnected', detail);
  }

  private scheduleRetry(): void {
    const retry = this.options.retry ?? { baseMs: 1_000, capMs: 60_000 };
    const delay = backoffDelay(this.attempt, retry);
    this.attempt += 1;
    this.cancelRetry();
    this.update({ nextRetryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.reachability = this.options.watchReachability?.(() => void this.connect());
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.reachability?.dispose();
    this.reachability = undefined;
  }

  private closeSession(): void {
    this.sessionDisposables.dispose();
    // DisposableStore is single-use; a new one serves the next session.
    this.sessionDisposables = new DisposableStore();
    this.session = undefined;
    this.link = undefined;
    this.reader = undefined;
  }

  /** The connected host as the libvirt modules use it, or a typed error saying why it is not. */
  libvirt(): LibvirtHost {
    const session = this.requireSession();
    return { session, runner: this.runner, virsh: this.virsh, uri: this.summary.uri };
  }

  /** The live session, or a typed error saying why there is none. */
  requireSession(): VirshSession {
    if (!this.session || this.session.isClosed) {
      throw new ContractError('host-unavailable', `Host ${this.summary.label} is not connected (${this.summary.status}).`, this.summary.detail);
    }
    return this.session;
  }

  /**
   * Reads the inventory again and announces it. A read already under way may have started
   * before the change the caller wants to see (an action that just ended, an event), so one more
   * read follows it; every caller asking meanwhile shares that one.
   */
  refresh(): Promise<HostInventory> {
    if (!this.inventoryRead) return this.startRead();
    this.followUpRead ??= this.inventoryRead
      .catch(() => undefined)
      .then(() => {
        this.followUpRead = undefined;
        return this.startRead();
      });
    return this.followUpRead;
  }

  private followUpRead: Promise<HostInventory> | undefined;

  private startRead(): Promise<HostInventory> {
    const session = this.requireSession();
    this.reader ??= new InventoryReader(this.id);
    const publish = (read: HostInventory): HostInventory => {
      const { inventory, change } = this.publisher.publish(read);
      this.inventory = inventory;
      this.listPending = false;
      if (change) this.options.onInventory(change);
      return inventory;
    };
    const announce = (read: HostInventory) => {
      perf.mark(this.id, 'list');
      publish(read);
      for (const listener of [...this.quickListeners]) listener();
    };
    this.inventoryRead ??= this.reader
      .read(session, announce, this.options.detailsSlot)
      .then((read) => {
        perf.mark(this.id, 'details');
        // Also where a read with nothing new to fetch (an empty host) is first announced.
        return publish(read);
      })
      .finally(() => {
        this.inventoryRead = undefined;
      });
    return this.inventoryRead;
  }

  /**
   * A lifecycle event named the state a domain is now in: announce it at once (one VM's delta);
   * the re-read that the event also triggers confirms it and adds the reason.
   */
  lifecycleSeen(name: string, event: string): void {
    const state = stateAfterLifecycle(event);
    const inventory = this.inventory;
    const vm = inventory?.vms.find((candidate) => candidate.name === name);
    if (!inventory || !vm || !state || vm.state === state) return;
    const { stateReason: _stale, ...rest } = vm;
    const vms = inventory.vms.map((candidate) => (candidate === vm ? { ...rest, state } : candidate));
    const { inventory: published, change } = this.publisher.publish({ ...inventory, vms, fetchedAt: Date.now() });
    this.inventory = published;
    if (change) this.options.onInventory(change);
  }

  /** A domain's definition changed (libvirt's Defined event): re-read its XML next time. */
  domainRedefined(name: string): void {
    this.reader?.forgetDomain(name);
  }

  /** The inventory last announced, without reading (undefined before the first read). */
  heldInventory(): HostInventory | undefined {
    return this.inventory;
  }

  /** What main holds of the domains beyond the tree's summary: their definitions (by UUID) and which have snapshots. */
  heldDefinitions(): { definitions: ReadonlyMap<string, DomainDefinition>; withSnapshots: ReadonlySet<string> } | undefined {
    return this.reader ? { definitions: this.reader.definitions, withSnapshots: this.reader.withSnapshots } : undefined;
  }

  async getInventory(): Promise<HostInventory> {
    if (this.inventory && this.session && !this.session.isClosed) return this.inventory;
    return this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    this.listPending = false;
    this.cancelRetry();
    this.closeSession();
  }
}
