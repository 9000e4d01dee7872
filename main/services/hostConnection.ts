/**
 * One host as main holds it: its process runner, its long-lived virsh session, its status and
 * its last inventory. A host that fails never throws into the others; it only changes status.
 */
import { ContractError, type HostInventory, type HostKind, type HostSummary } from '../../preload/contract.js';
import { DisposableStore, type Disposable } from '../core/disposable.js';
import type { ProcessRunner } from '../connection/hostProcess.js';
import { statusForFailure } from '../libvirt/connectionFailure.js';
import { readHostFacts } from '../libvirt/hostFacts.js';
import { readInventory } from '../libvirt/inventoryReader.js';
import { VirshSession, VirshSessionClosed } from '../libvirt/virshSession.js';

export interface HostConnectionOptions {
  id: string;
  label: string;
  kind: HostKind;
  uri: string;
  runner: ProcessRunner;
  virshPath?: string;
  /** Runs once after each successful connect (e.g. seeding the demo hypervisor). */
  afterConnect?: (session: VirshSession) => Promise<void>;
  onChange(summary: HostSummary): void;
  onInventory(inventory: HostInventory): void;
}

export class HostConnection implements Disposable {
  private summary: HostSummary;
  private session: VirshSession | undefined;
  private connecting: Promise<void> | undefined;
  private inventory: HostInventory | undefined;
  private inventoryRead: Promise<HostInventory> | undefined;
  private sessionDisposables = new DisposableStore();
  private disposed = false;

  constructor(private readonly options: HostConnectionOptions) {
    this.summary = {
      id: options.id,
      label: options.label,
      kind: options.kind,
      uri: options.uri,
      status: 'disconnected',
    };
  }

  get id(): string {
    return this.options.id;
  }

  getSummary(): HostSummary {
    return this.summary;
  }

  private update(patch: Partial<HostSummary>): void {
    const next: HostSummary = { ...this.summary, ...patch };
    if (patch.detail === undefined && 'detail' in patch) delete next.detail;
    this.summary = next;
    if (!this.disposed) this.options.onChange(next);
  }

  connect(): Promise<void> {
    this.connecting ??= this.doConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    this.closeSession();
    this.update({ status: 'connecting', detail: undefined });
    try {
      const session = await VirshSession.start(this.options.runner, this.options.uri, this.options.virshPath);
      if (this.disposed) {
        session.dispose();
        return;
      }
      this.session = session;
      this.sessionDisposables.add(session);
      this.sessionDisposables.add(session.onClose((closed) => this.onSessionClosed(closed)));
      await this.options.afterConnect?.(session);
      const facts = await readHostFacts(session);
      this.update({ status: 'connected', detail: undefined, ...facts });
      await this.refresh();
    } catch (error) {
      if (error instanceof VirshSessionClosed) {
        this.update({ status: statusForFailure(error), detail: error.stderr || undefined });
      } else {
        this.update({ status: 'error', detail: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private onSessionClosed(closed: VirshSessionClosed): void {
    if (this.disposed) return;
    this.session = undefined;
    this.update({ status: 'disconnected', detail: closed.stderr || undefined });
  }

  private closeSession(): void {
    this.sessionDisposables.dispose();
    // DisposableStore is single-use; a new one serves the next session.
    this.sessionDisposables = new DisposableStore();
    this.session = undefined;
  }

  /** The live session, or a typed error saying why there is none. */
  requireSession(): VirshSession {
    if (!this.session || this.session.isClosed) {
      throw new ContractError('host-unavailable', `Host ${this.summary.label} is not connected (${this.summary.status}).`, this.summary.detail);
    }
    return this.session;
  }

  /** Reads the inventory again (coalescing concurrent requests) and announces it. */
  refresh(): Promise<HostInventory> {
    this.inventoryRead ??= readInventory(this.requireSession(), this.id)
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

  async getInventory(): Promise<HostInventory> {
    if (this.inventory && this.session && !this.session.isClosed) return this.inventory;
    return this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    this.closeSession();
  }
}
