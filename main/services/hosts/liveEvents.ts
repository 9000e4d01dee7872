/**
 * Keeps a connected host's inventory live: libvirt's own events (domains, networks, pools)
 * trigger a coalesced re-read, so a burst of events costs one round trip. If the event
 * processes end while the host stays connected, they are started again after a pause.
 */
import { coalesceTrailing } from '../../core/coalesce.js';
import { toDisposable, type DisposableStore } from '../../core/disposable.js';
import type { ProcessRunner } from '../../connection/hostProcess.js';
import { LibvirtEventWatcher } from '../../libvirt/eventWatcher.js';
import type { HostConnection } from './hostConnection.js';

/** Events closer together than this become one inventory read. */
export const EVENT_COALESCE_MS = 40;
const RESTART_DELAY_MS = 5_000;
/** virsh gives no sign when it has subscribed; one re-read after this covers the gap. */
const SUBSCRIBE_GRACE_MS = 1_500;

export function watchLiveEvents(host: HostConnection, runner: ProcessRunner, owned: DisposableStore): void {
  const refresh = coalesceTrailing(() => host.refresh().catch(() => undefined), EVENT_COALESCE_MS);
  owned.add(refresh);
  const start = (): void => {
    if (owned.isDisposed) return;
    const watcher = owned.add(new LibvirtEventWatcher(runner, host.getSummary().uri, host.virsh));
    watcher.onEvent((event) => {
      // Defined also fires when an existing VM's configuration was edited (vCPUs, MACs).
      if (event.kind === 'domain' && event.event === 'Defined') host.domainRedefined(event.name);
      // The state a lifecycle event names is shown at once; the re-read confirms it.
      if (event.kind === 'domain') host.lifecycleSeen(event.name, event.event);
      refresh();
    });
    watcher.onEnded(() => {
      // Whatever changed while nobody listened is read now; then listen again.
      refresh();
      const timer = setTimeout(start, RESTART_DELAY_MS);
      owned.add(toDisposable(() => clearTimeout(timer)));
    });
  };
  start();
  const catchUp = setTimeout(() => refresh(), SUBSCRIBE_GRACE_MS);
  owned.add(toDisposable(() => clearTimeout(catchUp)));
}
