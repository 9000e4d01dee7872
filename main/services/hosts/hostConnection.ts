/**
 * One host as main holds it: its link (local or SSH), its long-lived virsh session, its
 * status and its last inventory. A host that fails never throws into the others; it only
 * changes status, and where waiting can help it tries again by itself with backoff.
 */
import { ContractError, type HostInventory, type HostKind, type HostStatus, type HostSummary } from '../../../preload/contract.js';
import { backoffDelay } from '../../core/backoff.js';
import { DisposableStore, type Disposable } from '../../core/disposable.js';
import type { HostRunner } from '../../connection/hostProcess.js';
import { statusForFailure } from '../../libvirt/connectionFailure.js';
import { readHostFacts } from '../../libvirt/hostFacts.js';
import { InventoryReader } from '../../libvirt/inventoryReader.js';
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
  onInventory(inventory: HostInventory): void;
  /** Resolves when background work (XML details, live events) may run without slowing other hosts' connects. */
  backgroundGate?: () => Promise<void>;
  /** Test hook: the backoff schedule. */
  retry?: { baseMs: number; capMs: number };
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
  /** Called when an inventory (even a quick one) has been announced. */
  private readonly quickListeners = new Set<() => void>();
  /** Per session: its cache of XML-only details starts empty with every new session. */
  private reader: InventoryReader | undefined;
  private sessionDisposables = new DisposableStore();
  private retryTimer: NodeJS.Timeout | undefined;
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
    try {
      const link = await this.options.openLink();
      if (this.disposed) {
        link.dispose();
        return;
      }
      this.link = link;
      this.sessionDisposables.add(link);
      const session = await VirshSession.start(link.runner, this.options.uri, this.virsh);
      if (this.disposed) {
        session.dispose();
        return;
      }
      this.session = session;
      this.sessionDisposables.add(session);
      this.sessionDisposables.add(session.onClose((closed) => this.onLost(closed.stderr)));
      this.sessionDisposables.add(link.onClose(() => this.onLost('The connection to the host was closed.')));
      const facts = await readHostFacts(session);
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
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
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
    const announce = (inventory: HostInventory) => {
      this.inventory = inventory;
      this.listPending = false;
      this.options.onInventory(inventory);
      for (const listener of [...this.quickListeners]) listener();
    };
    this.inventoryRead ??= this.reader
      .read(session, announce, this.options.backgroundGate)
      .then((inventory) => {
        this.inventory = inventory;
        this.options.onInventory(inventory);
        return inventory;
      })
      .finally(() => {
        this.inventoryRead = undefined;
      });
    return this.inventoryRead;
  }

  /** A domain's definition changed (libvirt's Defined event): re-read its XML next time. */
  domainRedefined(name: string): void {
    this.reader?.forgetDomain(name);
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
