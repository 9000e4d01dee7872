/**
 * The fleet advisor in main: keeps each host's facts (one read per host), recomputes the
 * findings from the inventories and definitions the hosts already hold whenever one changes
 * (coalesced), and announces a new revision when the findings changed. Computing sends no
 * command to any host.
 */
import { DEFAULT_ADVISOR_SETTINGS, type HostSummary, type AdvisorCounts, type AdvisorFinding, type AdvisorHostFacts, type AdvisorReport, type AdvisorSettings } from '../../../preload/contract.js';
import { computeFindings, countsByHost, type AdvisorHostInput } from '../../advisor/rules.js';
import { readAdvisorHostFacts } from '../../libvirt/advisorHostFacts.js';
import type { HostConnection } from '../hosts/hostConnection.js';
import type { SettingsStore } from '../settings/settingsStore.js';

/** What the advisor reads of the hosts (HostService; the benchmark gives its own). */
export interface AdvisorHosts {
  list(): HostSummary[];
  find(hostId: string): AdvisorHost | undefined;
  get(hostId: string): AdvisorHost;
}
export type AdvisorHost = Pick<HostConnection, 'getSummary' | 'heldInventory' | 'heldDefinitions' | 'libvirt'>;

export interface AdvisorServiceOptions {
  /** How long changes are gathered before one recomputation (a fleet connecting sends many). */
  delayMs?: number;
  /** Facts older than this are read again when the host's inventory changes. */
  factsMaxAgeMs?: number;
}

export class AdvisorService {
  private readonly facts = new Map<string, AdvisorHostFacts>();
  private readonly factsReads = new Map<string, Promise<void>>();
  private findings: AdvisorFinding[] = [];
  private counts: Record<string, AdvisorCounts> = {};
  private signature = '';
  private revision = 0;
  private computedAt = 0;
  private dirty = true;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly hosts: AdvisorHosts,
    private readonly settingsStore: Pick<SettingsStore, 'get' | 'set'>,
    private readonly announce: (payload: { revision: number; countsByHost: Record<string, AdvisorCounts> }) => void,
    private readonly options: AdvisorServiceOptions = {},
  ) {}

  settings(): AdvisorSettings {
    return this.settingsStore.get().advisor ?? DEFAULT_ADVISOR_SETTINGS;
  }

  /** A host's inventory changed (or the host did): recompute soon, and read its facts if they are missing or old. */
  hostChanged(hostId: string): void {
    const facts = this.facts.get(hostId);
    const connected = this.hosts.find(hostId)?.getSummary().status === 'connected';
    if (connected && (!facts || Date.now() - facts.measuredAt > (this.options.factsMaxAgeMs ?? 10 * 60_000))) void this.readFacts(hostId).catch(() => undefined);
    if (!this.hosts.find(hostId)) this.facts.delete(hostId);
    this.schedule();
  }

  /** Reads one host's facts (a read already under way is shared), then recomputes soon. */
  readFacts(hostId: string): Promise<void> {
    const running = this.factsReads.get(hostId);
    if (running) return running;
    const read = (async () => {
      const host = this.hosts.get(hostId);
      this.facts.set(hostId, await readAdvisorHostFacts(host.libvirt(), hostId));
      this.schedule();
    })().finally(() => this.factsReads.delete(hostId));
    this.factsReads.set(hostId, read);
    return read;
  }

  /** Every connected host's facts again (the clock especially), then the findings. */
  async refresh(): Promise<AdvisorReport> {
    const connected = this.hosts.list().filter((summary) => summary.status === 'connected');
    await Promise.all(connected.map((summary) => this.readFacts(summary.id).catch(() => undefined)));
    this.dirty = true;
    return this.report();
  }

  private schedule(): void {
    this.dirty = true;
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.recompute();
    }, this.options.delayMs ?? 150);
    this.timer.unref?.();
  }

  /** What the rules read: each connected host's VMs with the definitions it holds. */
  inputs(): AdvisorHostInput[] {
    const inputs: AdvisorHostInput[] = [];
    for (const summary of this.hosts.list()) {
      if (summary.status !== 'connected') continue;
      const host = this.hosts.find(summary.id);
      const inventory = host?.heldInventory();
      if (!host || !inventory) continue;
      const held = host.heldDefinitions();
      const facts = this.facts.get(summary.id);
      const vms = inventory.vms.map((vm) => {
        const definition = held?.definitions.get(vm.uuid);
        return { name: vm.name, uuid: vm.uuid, state: vm.state, autostart: vm.autostart, vcpus: vm.vcpus, hasSnapshots: held?.withSnapshots.has(vm.uuid) ?? false, ...(definition ? { definition } : {}) };
      });
      inputs.push({ hostId: summary.id, label: summary.label, vms, ...(facts ? { facts } : {}) });
    }
    return inputs;
  }

  /** Computes now; announces a new revision when the findings differ from the last ones. */
  recompute(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.dirty = false;
    const findings = computeFindings(this.inputs(), this.settings());
    const signature = findingsSignature(findings);
    this.findings = findings;
    this.counts = countsByHost(findings);
    this.computedAt = Date.now();
    if (signature === this.signature) return;
    this.signature = signature;
    this.revision += 1;
    if (!this.disposed) this.announce({ revision: this.revision, countsByHost: this.counts });
  }

  current(): AdvisorFinding[] {
    if (this.dirty) this.recompute();
    return this.findings;
  }

  report(): AdvisorReport {
    const findings = this.current();
    return {
      revision: this.revision,
      computedAt: this.computedAt,
      settings: this.settings(),
      findings,
      hosts: [...this.facts.values()].filter((facts) => this.hosts.find(facts.hostId)),
      countsByHost: this.counts,
    };
  }

  hostFacts(hostId: string): AdvisorHostFacts | undefined {
    return this.facts.get(hostId);
  }

  async setCpuRatio(ratio: number): Promise<AdvisorSettings> {
    return this.saveSettings({ ...this.settings(), cpuRatio: ratio });
  }

  async silence(findingId: string, silenced: boolean): Promise<AdvisorSettings> {
    const current = this.settings();
    const others = current.silenced.filter((id) => id !== findingId);
    return this.saveSettings({ ...current, silenced: silenced ? [...others, findingId] : others });
  }

  private async saveSettings(next: AdvisorSettings): Promise<AdvisorSettings> {
    const saved = await this.settingsStore.set({ advisor: next });
    this.dirty = true;
    this.recompute();
    return saved.advisor ?? next;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** What decides whether the findings changed: ids, severities, parameters, silencing. */
function findingsSignature(findings: readonly AdvisorFinding[]): string {
  let text = '';
  for (const item of findings) {
    text += `${item.id}|${item.severity}|${item.silenced ? 1 : 0}|`;
    for (const key in item.params) text += `${key}=${item.params[key]};`;
    text += `|${item.vms.length}\n`;
  }
  return text;
}
