/**
 * Migrating a domain with `virsh migrate` run on the source host itself (its own channel, never
 * the shared session): virsh there connects to the target's libvirt over `qemu+ssh` as the
 * profile's user, and QEMU sends the memory (and, with copy-storage, the disks over NBD) straight
 * to the target's address. Progress comes from `virsh domjobinfo --rawstats`, polled on channels
 * of its own; a cancel is `virsh domjobabort`, after which libvirt resumes the guest on the source.
 */
import type { MigrationMode, MigrationProgress, MigrationStorage } from '../../preload/contract.js';
import { ContractError } from '../../preload/contract.js';
import { runVirshJob, type LibvirtHost } from './libvirtHost.js';

/** Where VirtDeck's own key pair for migrations lives on a source host (relative to $HOME). */
export const MIGRATION_KEY_NAME = '.ssh/virtdeck_migrate';
/** Tags VirtDeck's lines in authorized_keys and known_hosts so "remove" finds exactly those. */
export const MIGRATION_TAG = 'virtdeck-migrate';

export interface MigrationTarget {
  /** The target's address and SSH port as the app dials them (the source uses the same). */
  address: string;
  port: number;
  user: string;
  /** The target's libvirt URI as the app uses it there (qemu:///system). */
  uri: string;
  /** The source's private key for this connection (absolute path), when VirtDeck set one up. */
  keyFile?: string;
}

/** An IPv6 literal goes in brackets inside a URI. */
function uriHost(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/**
 * The target's libvirt as the source's virsh reaches it: `qemu+ssh://USER@HOST:PORT/system`,
 * no terminal (so ssh never waits for a password that nobody can type) and VirtDeck's key when set.
 */
export function destinationUri(target: MigrationTarget): string {
  const match = /^qemu:\/\/[^/]*\/(system|session)$/.exec(target.uri);
  if (!match) throw new ContractError('bad-arguments', `Migration needs a qemu:///system or qemu:///session host; the target uses ${target.uri}.`);
  const query = ['no_tty=1', ...(target.keyFile ? [`keyfile=${encodeURIComponent(target.keyFile)}`] : [])].join('&');
  return `qemu+ssh://${encodeURIComponent(target.user)}@${uriHost(target.address)}:${target.port}/${match[1]}?${query}`;
}

export interface MigrateOptions {
  mode: MigrationMode;
  storage: MigrationStorage;
  persistent: boolean;
  undefineSource: boolean;
  bandwidthMiBs?: number;
}

/**
 * virsh's argv. Not `--p2p`: then the source's libvirtd (root) would make the SSH connection with
 * root's keys and known_hosts; without it the virsh run as the profile's user does. The data goes to
 * the target's address explicitly (`--migrateuri tcp://…`): libvirt's default is the target's own
 * hostname, which the source may not resolve to it.
 */
export function migrateArgv(name: string, target: MigrationTarget, options: MigrateOptions): string[] {
  const argv = ['migrate', options.mode === 'live' ? '--live' : '--offline'];
  // libvirt requires --persistent for an offline migration: there is nothing running to move.
  if (options.persistent || options.mode === 'offline') argv.push('--persistent');
  if (options.undefineSource) argv.push('--undefinesource');
  if (options.mode === 'live') {
    if (options.storage === 'copy') argv.push('--copy-storage-all');
    if (options.bandwidthMiBs !== undefined) argv.push('--bandwidth', String(options.bandwidthMiBs));
  }
  argv.push('--domain', name, '--desturi', destinationUri(target));
  if (options.mode === 'live') argv.push('--migrateuri', `tcp://${uriHost(target.address)}`);
  return argv;
}

type JobNumbers = Omit<MigrationProgress, 'taskId' | 'hostId' | 'name'>;

const RAW_FIELDS: Record<string, keyof JobNumbers> = {
  time_elapsed: 'elapsedMs',
  data_processed: 'dataProcessed',
  data_remaining: 'dataRemaining',
  data_total: 'dataTotal',
  disk_processed: 'diskProcessed',
  disk_remaining: 'diskRemaining',
  memory_dirty_rate: 'memoryDirtyRate',
  memory_bps: 'memoryBps',
};

/**
 * `virsh domjobinfo --rawstats`: `Job type: N` and then one `field: value` line per typed
 * parameter of virDomainGetJobStats (time_elapsed, data_processed, …). Undefined when no job runs.
 */
export function parseJobStats(stdout: string): JobNumbers | undefined {
  const type = /^Job type:\s*(\S+)/m.exec(stdout)?.[1];
  // 0 / None: no job (yet, or any more).
  if (type === undefined || type === '0' || /^none$/i.test(type)) return undefined;
  const numbers: JobNumbers = {};
  for (const line of stdout.split('\n')) {
    const match = /^\s*([a-z_]+)\s*[:=]\s*(\d+)\s*$/.exec(line);
    const key = match ? RAW_FIELDS[match[1]!] : undefined;
    if (key) numbers[key] = Number(match![2]);
  }
  return numbers;
}

/** Share of the work done: processed of processed + remaining (memory and disks together). */
export function jobFraction(numbers: JobNumbers): number | null {
  const processed = numbers.dataProcessed ?? 0;
  const remaining = numbers.dataRemaining ?? 0;
  if (processed + remaining <= 0) return null;
  return Math.max(0, Math.min(0.99, processed / (processed + remaining)));
}

const POLL_MS = 1_000;
/** After domjobabort, how long virsh gets to report the cancelled migration before it is killed. */
const ABORT_GRACE_MS = 60_000;
/** A migration that has not finished after this long is aborted. */
export const MIGRATION_TIMEOUT_MS = 6 * 60 * 60_000;

export interface RunMigrationOptions {
  signal?: AbortSignal;
  onProgress?: (numbers: JobNumbers) => void;
}

/**
 * Runs the migration; resolves when virsh on the source says it is done. A cancel aborts
 * libvirt's job first (the guest then keeps running on the source) and only kills virsh if it
 * does not end by itself.
 */
export async function runMigration(source: LibvirtHost, name: string, argv: readonly string[], options: RunMigrationOptions = {}): Promise<void> {
  if (options.signal?.aborted) throw new ContractError('cancelled', 'The migration was cancelled before it started.');
  const kill = new AbortController();
  let cancelled = false;
  let done = false;
  const abortJob = async () => {
    cancelled = true;
    await runVirshJob(source, ['domjobabort', '--domain', name], { timeoutMs: 30_000 }).catch(() => undefined);
    setTimeout(() => kill.abort(), ABORT_GRACE_MS).unref();
  };
  const onAbort = () => void abortJob();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const watch = async () => {
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (done) return;
      const stdout = await runVirshJob(source, ['domjobinfo', '--rawstats', '--domain', name], { timeoutMs: 15_000 }).catch(() => undefined);
      const numbers = stdout === undefined ? undefined : parseJobStats(stdout);
      if (!done && numbers) options.onProgress?.(numbers);
    }
  };
  const watching = options.onProgress ? watch() : Promise.resolve();
  try {
    await runVirshJob(source, argv, { signal: kill.signal, timeoutMs: MIGRATION_TIMEOUT_MS });
  } catch (error) {
    if (cancelled) throw new ContractError('cancelled', 'The migration was cancelled; the VM keeps running on its host.', error instanceof Error ? error.message : undefined);
    throw error;
  } finally {
    done = true;
    options.signal?.removeEventListener('abort', onAbort);
    await watching;
  }
  // A cancel that came too late (libvirt had finished) leaves the VM on the target: that is success.
}
