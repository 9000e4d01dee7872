/**
 * Watches a running app's registry the way a window would (events in, calls out), and waits
 * for conditions with deadlines — never a fixed sleep.
 */
import type { App } from '../../main/app.js';
import type { EventName, EventPayload, HostInventory, HostStatus, HostSummary, InventoryChange, Prompt, PromptAnswer } from '../../preload/contract.js';
import { mergeInventoryChange } from '../../renderer/src/model/inventoryMerge.js';

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export class AppWatcher {
  readonly events: { name: EventName; payload: unknown; at: number }[] = [];
  /** The inventory a window would hold after each `inventory.changed` (announcements folded in). */
  readonly inventories: { at: number; inventory: HostInventory }[] = [];
  private readonly held = new Map<string, HostInventory>();
  private readonly subscription;

  constructor(readonly app: App) {
    this.subscription = app.registry.subscribe((name, payload) => {
      const at = Date.now();
      this.events.push({ name, payload, at });
      if (name !== 'inventory.changed') return;
      const change = payload as InventoryChange;
      const merged = mergeInventoryChange(this.held.get(change.hostId), change);
      if (merged.kind !== 'applied') return;
      this.held.set(change.hostId, merged.inventory);
      this.inventories.push({ at, inventory: merged.inventory });
    });
  }

  /** Whether an inventory held since `since` (ms) for the host passes the test. */
  heldInventory(hostId: string, test: (inventory: HostInventory) => boolean, since = 0): boolean {
    return this.inventories.some((entry) => entry.at >= since && entry.inventory.hostId === hostId && test(entry.inventory));
  }

  of<N extends EventName>(name: N): EventPayload<N>[] {
    return this.events.filter((event) => event.name === name).map((event) => event.payload as EventPayload<N>);
  }

  async host(hostId: string): Promise<HostSummary | undefined> {
    const list = (await this.app.registry.call('hosts.list', {})) as HostSummary[];
    return list.find((host) => host.id === hostId);
  }

  waitForStatus(hostId: string, status: HostStatus | HostStatus[], timeoutMs = 20_000): Promise<HostSummary> {
    const wanted = Array.isArray(status) ? status : [status];
    return waitFor(`host ${hostId} to be ${wanted.join('|')}`, async () => {
      const host = await this.host(hostId);
      return host && wanted.includes(host.status) ? host : undefined;
    }, timeoutMs);
  }

  /** Waits for an open question of this kind for the host, then answers it. */
  async answer(hostId: string, kind: Prompt['kind'], answer: PromptAnswer, timeoutMs = 20_000): Promise<Prompt> {
    const prompt = await waitFor(`a ${kind} question for ${hostId}`, async () => {
      const open = (await this.app.registry.call('prompts.list', {})) as Prompt[];
      return open.find((candidate) => candidate.hostId === hostId && candidate.kind === kind);
    }, timeoutMs);
    await this.app.registry.call('prompts.answer', { promptId: prompt.promptId, answer });
    return prompt;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
