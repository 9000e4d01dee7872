/** All hosts main knows, each a HostConnection; one failing host never affects another. */
import { ContractError, type HostInventory, type HostSummary, type VmAction } from '../../preload/contract.js';
import type { Disposable } from '../core/disposable.js';
import { localRunner } from '../connection/localRunner.js';
import { VirshError } from '../libvirt/virshSession.js';
import { DEMO_HOST_ID, DEMO_URI, LOCAL_HOST_ID, seedDemoHypervisor, virshInstalled } from './embeddedHosts.js';
import { HostConnection } from './hostConnection.js';
import type { TaskService } from './taskService.js';

export interface HostServiceOptions {
  virshPath?: string;
  /** URI of "This computer"; qemu:///system unless told otherwise. */
  localUri?: string;
  includeLocal?: boolean;
  includeDemo?: boolean;
  onHostChanged(summary: HostSummary): void;
  onHostsChanged(summaries: HostSummary[]): void;
  onInventory(inventory: HostInventory): void;
}

const VM_ACTION_COMMANDS: Record<VmAction, string> = {
  start: 'start',
  shutdown: 'shutdown',
  reboot: 'reboot',
  destroy: 'destroy',
  suspend: 'suspend',
  resume: 'resume',
};

export class HostService implements Disposable {
  private readonly hosts = new Map<string, HostConnection>();

  constructor(
    private readonly options: HostServiceOptions,
    private readonly tasks: TaskService,
  ) {}

  /** Registers the embedded hosts and starts connecting them without waiting. */
  async start(): Promise<void> {
    const virshPath = this.options.virshPath ?? 'virsh';
    if (!(await virshInstalled(virshPath))) {
      this.options.onHostsChanged(this.list());
      return;
    }
    const common = {
      runner: localRunner,
      virshPath,
      onChange: (summary: HostSummary) => this.options.onHostChanged(summary),
      onInventory: (inventory: HostInventory) => this.options.onInventory(inventory),
    };
    if (this.options.includeLocal !== false) {
      this.add(new HostConnection({ ...common, id: LOCAL_HOST_ID, label: 'This computer', kind: 'local', uri: this.options.localUri ?? 'qemu:///system' }));
    }
    if (this.options.includeDemo !== false) {
      this.add(
        new HostConnection({ ...common, id: DEMO_HOST_ID, label: 'Demo hypervisor', kind: 'demo', uri: DEMO_URI, afterConnect: seedDemoHypervisor }),
      );
    }
    this.options.onHostsChanged(this.list());
    for (const host of this.hosts.values()) void host.connect();
  }

  private add(host: HostConnection): void {
    this.hosts.set(host.id, host);
  }

  list(): HostSummary[] {
    return [...this.hosts.values()].map((host) => host.getSummary());
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

  async vmAction(hostId: string, name: string, action: VmAction): Promise<void> {
    const host = this.get(hostId);
    const session = host.requireSession();
    await this.tasks.run({ titleKey: `task.vm.${action}`, titleParams: { name, host: host.getSummary().label }, hostId }, async () => {
      try {
        await session.runChecked([VM_ACTION_COMMANDS[action], '--domain', name]);
      } catch (error) {
        if (error instanceof VirshError) throw new ContractError('libvirt-error', error.message, error.stderr.trim());
        throw error;
      } finally {
        // Whatever happened, show the host as it now is.
        await host.refresh().catch(() => undefined);
      }
    });
  }

  dispose(): void {
    for (const host of this.hosts.values()) host.dispose();
    this.hosts.clear();
  }
}
