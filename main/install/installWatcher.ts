/**
 * The install watcher, per host, in main: after an install phase was started (a transient
 * install definition over the persistent final one, `on_reboot` destroy), it follows the
 * domain's state in the inventory's changes (which follow libvirt's own events). When the
 * guest stops after the installer's reboot it starts it again from its final definition, then
 * removes the boot files (virt-install removes them after start; we once the install ended).
 * What it does is logged on a task of its own.
 */
import type { InventoryChange, VmState } from '../../preload/contract/inventory.js';
import type { LibvirtHost } from '../libvirt/libvirtHost.js';
import { runVirshJob } from '../libvirt/libvirtHost.js';
import type { TaskService } from '../services/tasks/taskService.js';
import { deleteBootVolume } from './createRun.js';

export interface WatchedInstall {
  hostId: string;
  uuid: string;
  name: string;
  bootVolumes: string[];
}

/** Whether a state change ends the install phase: the guest was seen running and is now off. */
export function installEnded(seenRunning: boolean, state: VmState | undefined): boolean {
  return seenRunning && (state === 'shutoff' || state === 'crashed');
}

export class InstallWatcher {
  private readonly watched = new Map<string, WatchedInstall & { seenRunning: boolean; finishing: boolean }>();

  constructor(
    private readonly libvirtOf: (hostId: string) => LibvirtHost,
    private readonly tasks: TaskService,
    private readonly refresh: (hostId: string) => Promise<void>,
  ) {}

  watch(install: WatchedInstall): void {
    // `virsh create` returned: the install definition is running.
    this.watched.set(`${install.hostId}/${install.uuid}`, { ...install, seenRunning: true, finishing: false });
  }

  /** Installs still in their install phase (for tests and diagnostics). */
  pending(): WatchedInstall[] {
    return [...this.watched.values()].filter((entry) => !entry.finishing);
  }

  inventoryChanged(change: InventoryChange): void {
    if (this.watched.size === 0) return;
    const states = new Map<string, VmState | undefined>();
    for (const vm of change.vms) states.set(vm.uuid, vm.state);
    for (const patch of change.patches ?? []) if (patch.set.state !== undefined) states.set(patch.uuid, patch.set.state);
    for (const entry of this.watched.values()) {
      if (entry.hostId !== change.hostId || entry.finishing) continue;
      if (change.removedVms.includes(entry.uuid) || (change.kind === 'full' && !states.has(entry.uuid))) {
        // Deleted by the user meanwhile: nothing to start; the boot files still go.
        entry.finishing = true;
        void this.finish(entry, false);
        continue;
      }
      if (!states.has(entry.uuid)) continue;
      const state = states.get(entry.uuid);
      if (state === 'running' || state === 'blocked' || state === 'paused') entry.seenRunning = true;
      if (installEnded(entry.seenRunning, state)) {
        entry.finishing = true;
        void this.finish(entry, true);
      }
    }
  }

  private async finish(entry: WatchedInstall & { seenRunning: boolean; finishing: boolean }, start: boolean): Promise<void> {
    const key = `${entry.hostId}/${entry.uuid}`;
    await this.tasks
      .run({ titleKey: 'install.task.finish', titleParams: { name: entry.name }, hostId: entry.hostId }, async (context) => {
        const libvirt = this.libvirtOf(entry.hostId);
        try {
          if (start) {
            await runVirshJob(libvirt, ['start', '--domain', entry.uuid], { timeoutMs: 120_000 });
            context.log({ key: 'install.create.log.finalStarted', params: { name: entry.name } });
          }
          for (const volume of entry.bootVolumes) {
            await deleteBootVolume(libvirt, volume);
            context.log({ key: 'install.create.log.bootFileRemoved', params: { volume } });
          }
        } finally {
          await this.refresh(entry.hostId).catch(() => undefined);
        }
      })
      .catch(() => undefined)
      .finally(() => this.watched.delete(key));
  }
}
