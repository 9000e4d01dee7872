/**
 * The pre-flight checks of a migration, each read from libvirt (or the shell) on the host it is
 * about: the VM's state and disks on the source; storage, hypervisor, machine type, CPU,
 * networks, memory and the name on the target; the clocks of both; and whether the source's
 * virsh can reach the target's libvirt at all. Each answers pass / warn / fail with a reason the
 * renderer explains and a remedy for it. Nothing here changes anything.
 */
import { dirname } from 'node:path';
import type { HostInventory, HostSummary, MigrationCheck, MigrationReason, MigrationStorage, MigrationMode } from '../../preload/contract.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import type { ProcessRunner } from '../connection/hostProcess.js';
import { withXmlOnHost } from './definitions.js';
import { domainDisks, isSharedMedium } from './domainDisks.js';
import type { LibvirtHost } from './libvirtHost.js';
import { destinationUri, type MigrationTarget } from './migration.js';
import { parseCapabilitiesXml } from './models/capabilities.js';
import { virshArgv } from './virshSession.js';
import { firstChildElement } from './xml/childElements.js';
import { INTERFACE } from './xml/domainDevices.js';
import { DOMAIN, DomainDocument } from './xml/domainDocument.js';
import { serializeXml } from './xml/xmlSerializer.js';

export interface CheckInput {
  source: LibvirtHost;
  target: LibvirtHost;
  sourceSummary: HostSummary;
  targetSummary: HostSummary;
  sourceInventory: HostInventory;
  targetInventory: HostInventory;
  name: string;
  mode: MigrationMode;
  storage: MigrationStorage;
  persistent: boolean;
  destination: MigrationTarget;
}

type Status = MigrationCheck['status'];

function check(id: MigrationCheck['id'], status: Status, reason: MigrationReason, params: Record<string, string> = {}, detail?: string): MigrationCheck {
  const result: MigrationCheck = { id, status, reason, params };
  if (detail !== undefined && detail !== '') result.detail = detail.slice(0, 2000);
  return result;
}

const RANK: Record<Status, number> = { pass: 0, warn: 1, fail: 2 };

/** Which of these paths exist on a host (one shell, each path an argument). */
export async function existingPaths(runner: ProcessRunner, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const result = await runRemoteJob(runner, ['sh', '-c', 'for p in "$@"; do if [ -e "$p" ]; then echo 1; else echo 0; fi; done', 'sh', ...paths], { timeoutMs: 30_000 });
  const answers = result.stdout.split('\n');
  return new Set(paths.filter((_path, index) => answers[index] === '1'));
}

/** Network-backed pool types: a path in them is the same storage on every host that mounts it. */
const SHARED_POOL_TYPES = new Set(['netfs', 'iscsi', 'iscsi-direct', 'rbd', 'gluster', 'sheepdog', 'vstorage', 'mpath', 'fc']);

function poolAt(inventory: HostInventory, directory: string) {
  return inventory.pools.find((pool) => pool.active && pool.path !== undefined && pool.path.replace(/\/+$/, '') === directory);
}

function state(input: CheckInput, info: string): MigrationCheck {
  const stateText = /^State:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? '';
  const persistent = /^Persistent:\s*yes/m.test(info);
  const active = stateText === 'running' || stateText === 'paused' || stateText === 'idle' || stateText === 'in shutdown';
  if (input.mode === 'live') return active ? check('state', 'pass', 'state-running', { state: stateText }) : check('state', 'fail', 'state-not-running', { state: stateText });
  if (!persistent) return check('state', 'fail', 'state-transient');
  return active ? check('state', 'fail', 'state-running-offline', { state: stateText }) : check('state', 'pass', 'state-shut-off-offline');
}

async function storage(input: CheckInput, document: DomainDocument): Promise<MigrationCheck> {
  const disks = domainDisks(document).filter((disk) => disk.path !== undefined || disk.sourcePool !== undefined);
  const bootFiles = [document.get(DOMAIN.osKernel), document.get(DOMAIN.osInitrd)].filter((path): path is string => path !== undefined && path !== '');
  const paths = [...new Set([...disks.map((disk) => disk.path).filter((path): path is string => path !== undefined), ...bootFiles])];
  const onTarget = await existingPaths(input.target.runner, paths);
  const results: MigrationCheck[] = [];
  for (const path of bootFiles) if (!onTarget.has(path)) results.push(check('storage', 'fail', 'storage-missing-on-target', { path }));
  for (const disk of disks) {
    const path = disk.path ?? `${disk.sourcePool}/${disk.sourceVolume}`;
    if (isSharedMedium(disk) || input.storage === 'shared') {
      if (disk.path === undefined) {
        const pool = input.targetInventory.pools.find((candidate) => candidate.name === disk.sourcePool && candidate.active);
        results.push(pool ? check('storage', 'pass', 'storage-shared-path', { path }) : check('storage', 'fail', 'storage-missing-on-target', { path }));
      } else if (!onTarget.has(disk.path)) results.push(check('storage', 'fail', 'storage-missing-on-target', { path }));
      else {
        const sourcePool = poolAt(input.sourceInventory, dirname(disk.path));
        const shared = isSharedMedium(disk) || (sourcePool !== undefined && SHARED_POOL_TYPES.has(sourcePool.type));
        results.push(shared ? check('storage', 'pass', 'storage-shared-path', { path }) : check('storage', 'warn', 'storage-shared-unverified', { path }));
      }
      continue;
    }
    if (input.mode === 'offline') {
      results.push(check('storage', 'fail', 'storage-offline-copy', { path }));
      continue;
    }
    // libvirt creates the copy's file itself where the target has a pool at that directory.
    if (disk.path === undefined) {
      const pool = input.targetInventory.pools.find((candidate) => candidate.name === disk.sourcePool && candidate.active);
      results.push(pool ? check('storage', 'pass', 'storage-copy', { path }) : check('storage', 'fail', 'storage-copy-no-pool', { path, directory: disk.sourcePool ?? '' }));
    } else if (onTarget.has(disk.path)) results.push(check('storage', 'warn', 'storage-file-exists-on-target', { path }));
    else if (!poolAt(input.targetInventory, dirname(disk.path))) results.push(check('storage', 'fail', 'storage-copy-no-pool', { path, directory: dirname(disk.path) }));
    else results.push(check('storage', 'pass', 'storage-copy', { path }));
  }
  if (results.length === 0) return check('storage', 'pass', 'storage-none');
  const worst = results.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
  if (worst.status === 'pass') return check('storage', 'pass', input.storage === 'copy' && input.mode === 'live' ? 'storage-copy' : 'storage-shared-path', { count: String(disks.length), path: disks.map((disk) => disk.path ?? disk.target).join(', ') });
  return worst;
}

/** `12.3.0` → [12, 3, 0], compared part by part. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let index = 0; index < Math.max(pa.length, pb.length); index += 1) {
    const difference = (pa[index] ?? 0) - (pb[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

function hypervisor(input: CheckInput, domcaps: { ok: boolean; stderr: string }, withoutMachine: { ok: boolean; stderr: string }, type: string): MigrationCheck {
  if (!domcaps.ok && !withoutMachine.ok) return check('hypervisor', 'fail', 'hypervisor-driver-missing', { type }, withoutMachine.stderr);
  const params = {
    sourceLibvirt: input.sourceSummary.libvirtVersion ?? '?',
    targetLibvirt: input.targetSummary.libvirtVersion ?? '?',
    sourceQemu: input.sourceSummary.hypervisorVersion ?? '?',
    targetQemu: input.targetSummary.hypervisorVersion ?? '?',
    type,
  };
  const libvirtOrder = compareVersions(params.targetLibvirt, params.sourceLibvirt);
  const qemuOrder = compareVersions(params.targetQemu, params.sourceQemu);
  if (libvirtOrder < 0 || qemuOrder < 0) return check('hypervisor', 'warn', 'hypervisor-target-older', params);
  if (libvirtOrder > 0 || qemuOrder > 0) return check('hypervisor', 'pass', 'hypervisor-target-newer', params);
  return check('hypervisor', 'pass', 'hypervisor-same', params);
}

async function cpu(input: CheckInput, document: DomainDocument, type: string, arch: string | undefined, machine: string | undefined): Promise<MigrationCheck> {
  const element = firstChildElement(document.root, 'cpu');
  const mode = document.get(DOMAIN.cpuMode) ?? 'custom';
  if (mode === 'host-passthrough' || mode === 'maximum') {
    const [sourceCaps, targetCaps] = await Promise.all([input.source.session.run(['capabilities']), input.target.session.run(['capabilities'])]);
    const sourceModel = sourceCaps.ok ? parseCapabilitiesXml(sourceCaps.stdout).cpuModel : undefined;
    const targetModel = targetCaps.ok ? parseCapabilitiesXml(targetCaps.stdout).cpuModel : undefined;
    const params = { mode, sourceModel: sourceModel ?? '?', targetModel: targetModel ?? '?' };
    return sourceModel !== undefined && sourceModel === targetModel ? check('cpu', 'pass', 'cpu-passthrough-same', params) : check('cpu', 'warn', 'cpu-passthrough-different', params);
  }
  if (!element || !firstChildElement(element, 'model')) return check('cpu', 'pass', 'cpu-default', { mode });
  const argv = ['--virttype', type, ...(arch ? ['--arch', arch] : []), ...(machine ? ['--machine', machine] : [])];
  const result = await withXmlOnHost(input.target.runner, serializeXml(element), (path) => input.target.session.run(['hypervisor-cpu-compare', '--file', path, ...argv]));
  const model = (firstChildElement(element, 'model')?.textContent ?? '').trim();
  const params = { mode, model };
  if (!result.ok) return check('cpu', /incompatible/i.test(result.stderr) ? 'fail' : 'warn', /incompatible/i.test(result.stderr) ? 'cpu-incompatible' : 'cpu-unknown', params, result.stderr.trim());
  if (/incompatible/i.test(result.stdout)) return check('cpu', 'fail', 'cpu-incompatible', params, result.stdout.trim());
  return check('cpu', 'pass', 'cpu-compatible', params, result.stdout.trim());
}

/** The host's clock minus this machine's, in ms, and how uncertain that is (half the round trip). */
async function clockOffset(runner: ProcessRunner): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  const before = Date.now();
  const result = await runRemoteJob(runner, ['date', '+%s%N'], { timeoutMs: 15_000 });
  const after = Date.now();
  const remoteMs = Number(result.stdout.trim()) / 1e6;
  if (!Number.isFinite(remoteMs) || remoteMs <= 0) throw new Error(`date answered ${JSON.stringify(result.stdout.trim())}`);
  return { offsetMs: remoteMs - (before + after) / 2, uncertaintyMs: (after - before) / 2 };
}

/** Warn when the two clocks are further apart than this. */
export const CLOCK_WARN_MS = 1_000;

async function clocks(input: CheckInput): Promise<MigrationCheck> {
  const [source, target] = await Promise.all([clockOffset(input.source.runner), clockOffset(input.target.runner)]);
  const differenceMs = Math.abs(source.offsetMs - target.offsetMs);
  const params = { seconds: (differenceMs / 1000).toFixed(3), uncertainty: ((source.uncertaintyMs + target.uncertaintyMs) / 1000).toFixed(3) };
  return differenceMs > CLOCK_WARN_MS ? check('clock', 'warn', 'clock-apart', params) : check('clock', 'pass', 'clock-close', params);
}

async function networks(input: CheckInput, document: DomainDocument): Promise<MigrationCheck> {
  const wanted = document.devices('interface').map((element) => ({
    type: document.get(INTERFACE.type, element) ?? '',
    network: document.get(INTERFACE.sourceNetwork, element),
    device: document.get(INTERFACE.sourceBridge, element) ?? document.get(INTERFACE.sourceDev, element),
  }));
  if (wanted.length === 0) return check('networks', 'pass', 'networks-none');
  const devices = [...new Set(wanted.filter((nic) => (nic.type === 'bridge' || nic.type === 'direct') && nic.device).map((nic) => `/sys/class/net/${nic.device!}`))];
  const present = await existingPaths(input.target.runner, devices);
  const missing: string[] = [];
  const inactive: string[] = [];
  for (const nic of wanted) {
    if (nic.type === 'network' && nic.network) {
      const network = input.targetInventory.networks.find((candidate) => candidate.name === nic.network);
      if (!network) missing.push(nic.network);
      else if (!network.active) inactive.push(nic.network);
    } else if ((nic.type === 'bridge' || nic.type === 'direct') && nic.device && !present.has(`/sys/class/net/${nic.device}`)) missing.push(nic.device);
  }
  const names = [...new Set(wanted.map((nic) => nic.network ?? nic.device ?? nic.type))].join(', ');
  if (missing.length > 0) return check('networks', 'fail', 'networks-missing', { names: [...new Set(missing)].join(', ') });
  if (inactive.length > 0) return check('networks', 'fail', 'networks-inactive', { names: [...new Set(inactive)].join(', ') });
  return check('networks', 'pass', 'networks-present', { names });
}

/** Free memory as `virsh nodememstats` gives it: free plus what the kernel can give back (buffers, cache). */
export function availableKiB(nodememstats: string): number | undefined {
  const field = (name: string) => Number(new RegExp(`^\\s*${name}\\s*:\\s*(\\d+)`, 'm').exec(nodememstats)?.[1] ?? NaN);
  const free = field('free');
  if (!Number.isFinite(free)) return undefined;
  return free + (Number.isFinite(field('buffers')) ? field('buffers') : 0) + (Number.isFinite(field('cached')) ? field('cached') : 0);
}

function memory(input: CheckInput, document: DomainDocument, stats: { ok: boolean; stdout: string }): MigrationCheck {
  // The size properties answer in bytes.
  const needKiB = (document.get(DOMAIN.currentMemory) ?? document.get(DOMAIN.memory) ?? 0) / 1024;
  const freeKiB = stats.ok ? availableKiB(stats.stdout) : undefined;
  const params = { needMiB: String(Math.ceil(needKiB / 1024)), freeMiB: freeKiB === undefined ? '?' : String(Math.floor(freeKiB / 1024)) };
  if (freeKiB === undefined) return check('memory', 'warn', 'memory-short', params, stats.ok ? undefined : 'nodememstats failed');
  // Offline: nothing runs on the target yet, so too little memory only matters at its next start.
  if (freeKiB < needKiB) return check('memory', input.mode === 'live' ? 'fail' : 'warn', 'memory-short', params);
  return check('memory', 'pass', 'memory-enough', params);
}

function name(input: CheckInput, byName: { ok: boolean }, byUuid: { ok: boolean; stdout: string }, uuid: string): MigrationCheck {
  if (byName.ok) return check('name', 'fail', 'name-taken', { name: input.name });
  if (byUuid.ok && uuid !== '') return check('name', 'fail', 'name-taken', { name: byUuid.stdout.trim() || uuid });
  return check('name', 'pass', 'name-free', { name: input.name });
}

/** Whether the source's virsh, as the profile's user, reaches the target's libvirt over qemu+ssh. */
export async function probeConnection(source: LibvirtHost, destination: MigrationTarget): Promise<MigrationCheck> {
  const uri = destinationUri(destination);
  const params = { uri, user: destination.user, address: destination.address };
  const result = await runRemoteJob(source.runner, [...virshArgv(source.virsh), '-c', uri, 'uri'], { timeoutMs: 30_000 }).catch((error: Error) => ({ code: 1, stdout: '', stderr: error.message }));
  if (result.code === 0) return check('connection', 'pass', 'connection-ok', params);
  const stderr = result.stderr.trim();
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No .* host key is known/i.test(stderr)) return check('connection', 'fail', 'connection-host-key', params, stderr);
  if (/Permission denied|Authentication failed|Too many authentication failures|publickey/i.test(stderr)) return check('connection', 'fail', 'connection-auth', params, stderr);
  return check('connection', 'fail', 'connection-unreachable', params, stderr);
}

/** Every check but the first one (the target itself, which the service decides). */
export async function runMigrationChecks(input: CheckInput): Promise<MigrationCheck[]> {
  const { source, target } = input;
  const [info, live, inactive] = await Promise.all(source.session.runBatch([['dominfo', '--domain', input.name], ['dumpxml', '--domain', input.name], ['dumpxml', '--inactive', '--domain', input.name]]));
  if (!info?.ok || !live?.ok) throw new Error(info?.stderr || live?.stderr || `cannot read ${input.name}`);
  // A live migration moves what runs; an offline one the definition.
  const document = DomainDocument.parse(input.mode === 'live' || !inactive?.ok ? live.stdout : inactive.stdout);
  const type = document.get(DOMAIN.type) ?? 'kvm';
  const arch = document.get(DOMAIN.osArch);
  const machine = document.get(DOMAIN.osMachine);
  const uuid = document.get(DOMAIN.uuid) ?? '';
  const domcapsArgv = ['domcapabilities', '--virttype', type, ...(arch ? ['--arch', arch] : [])];
  const [domcaps, withoutMachine, stats, byName, byUuid] = await Promise.all(
    target.session.runBatch([[...domcapsArgv, ...(machine ? ['--machine', machine] : [])], domcapsArgv, ['nodememstats'], ['domuuid', '--domain', input.name], ['domname', '--domain', uuid || input.name]]),
  );
  const machineCheck =
    domcaps?.ok === true
      ? check('machine', 'pass', 'machine-available', { machine: machine ?? '?' })
      : check('machine', 'fail', 'machine-missing', { machine: machine ?? '?' }, domcaps?.stderr.trim());
  const [storageCheck, cpuCheck, clockCheck, networkCheck, connectionCheck] = await Promise.all([
    storage(input, document),
    cpu(input, document, type, arch, machine).catch((error: Error) => check('cpu', 'warn', 'cpu-unknown', {}, error.message)),
    clocks(input).catch((error: Error) => check('clock', 'warn', 'clock-apart', { seconds: '?', uncertainty: '?' }, error.message)),
    networks(input, document),
    probeConnection(source, input.destination),
  ]);
  return [
    state(input, info.stdout),
    storageCheck,
    hypervisor(input, domcaps ?? { ok: false, stderr: '' }, withoutMachine ?? { ok: false, stderr: '' }, type),
    machineCheck,
    cpuCheck,
    clockCheck,
    networkCheck,
    memory(input, document, stats ?? { ok: false, stdout: '' }),
    name(input, byName ?? { ok: false }, byUuid ?? { ok: false, stdout: '' }, uuid),
    connectionCheck,
  ];
}
