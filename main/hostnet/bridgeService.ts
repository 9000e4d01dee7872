/**
 * The bridge assistant against a connected host: read, preview, apply and remove. Applying
 * follows the safe order: refuse what cannot be done safely → stage the new files and the
 * scripts in a backup folder on the host → arm the rollback there, outside the SSH session →
 * apply as one detached job → connect afresh with a deadline and check that the session arrives
 * through the bridge → only then disarm, from the new connection. If the host does not come
 * back, it restores itself and the app reads what happened once it is reachable again.
 */
import { randomBytes } from 'node:crypto';
import {
  bridgePlanProblems,
  ContractError,
  type BridgeOutcome,
  type BridgePlan,
  type BridgePreview,
  type HostInterfacesInfo,
} from '../../preload/contract.js';
import { putFile, readWholeFile } from '../connection/hostFiles.js';
import type { ProcessRunner } from '../connection/hostProcess.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import { defineXml } from '../libvirt/definitions.js';
import { readDomainXml } from '../libvirt/domains.js';
import type { LibvirtHost } from '../libvirt/libvirtHost.js';
import { DomainDocument } from '../libvirt/xml/domainDocument.js';
import { backupDir, BRIDGE_STATE_ROOT, jobScripts, parseRecord, type BridgeJob, type JobFile } from './bridgeJob.js';
import { previewOf, stackChange, type StackTarget } from './bridgePlanner.js';
import { dnsServers, parseProbe, PROBE_SCRIPT, type ProbeOutput } from './hostProbe.js';
import { interfaceList, sessionInterface } from './interfaceList.js';
import { detectStack, netplanFileFor, rollbackMechanism } from './stackDetect.js';
import { BridgePlan as BridgePlanSchema } from '../../preload/contract.js';

/** What the assistant needs of a host connection. */
export interface BridgeHost {
  runner(): ProcessRunner;
  libvirt(): LibvirtHost;
  /** The profile runs privileged work through `sudo -n`. */
  usesSudo: boolean;
  /** Drops the SSH connection and connects afresh; resolves when it is up (rejects when not). */
  reconnect(): Promise<void>;
}

async function run(runner: ProcessRunner, argv: string[], asRoot: boolean, timeoutMs = 60_000): Promise<string> {
  const result = await runRemoteJob(runner, asRoot ? ['sudo', '-n', ...argv] : argv, { timeoutMs });
  if (result.code !== 0) {
    if (/sudo: (a password is required|a terminal is required)|not in the sudoers|not allowed to/i.test(result.stderr)) {
      throw new ContractError('file-error', 'sudo refused to run the bridge change as root on this host (see the sudoers rule in the README).', result.stderr.trim());
    }
    throw new ContractError('internal', `${argv.slice(0, 3).join(' ')} failed on the host.`, result.stderr.trim() || result.stdout.trim());
  }
  return result.stdout;
}

/** Guests by the host interface they are plugged into (bridge or direct sources). */
async function guestsByInterface(libvirt: LibvirtHost): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const list = await libvirt.session.run(['list', '--all', '--name']).catch(() => undefined);
  if (!list?.ok) return out;
  const names = list.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, 500);
  for (const name of names) {
    const res = await libvirt.session.run(['domiflist', name]).catch(() => undefined);
    if (!res?.ok) continue;
    for (const line of res.stdout.split('\n').slice(2)) {
      const cols = line.trim().split(/\s+/);
      if ((cols[1] === 'bridge' || cols[1] === 'direct') && cols[2]) out.set(cols[2], [...(out.get(cols[2]) ?? []), name]);
    }
  }
  return out;
}

export interface HostNetState {
  probe: ProbeOutput;
  info: HostInterfacesInfo;
}

export async function readHostNet(host: BridgeHost): Promise<HostNetState> {
  const result = await runRemoteJob(host.runner(), ['sh', '-c', PROBE_SCRIPT], { timeoutMs: 30_000 });
  const probe = parseProbe(result.stdout);
  const interfaces = interfaceList(probe, await guestsByInterface(host.libvirt()));
  const stacks: HostInterfacesInfo['stacks'] = {};
  for (const i of interfaces) if (['ethernet', 'veth', 'bond', 'vlan', 'wifi'].includes(i.kind)) stacks[i.name] = detectStack(probe, i.name);
  const privilegeProblem =
    probe.privilege === 'root' ? undefined : !host.usesSudo ? 'not-root-no-sudo' : probe.privilege === 'sudo' ? undefined : 'sudo-refused';
  const session = sessionInterface(interfaces, probe.sessionAddress);
  const record = parseRecord(probe.record);
  const anyStack = session ? stacks[session]?.stack : undefined;
  const mechanism = rollbackMechanism(probe, anyStack);
  return {
    probe,
    info: {
      interfaces,
      stacks,
      ...(session ? { sessionInterface: session } : {}),
      brNetfilter: probe.brNetfilter,
      ...(mechanism ? { rollback: mechanism } : {}),
      ...(privilegeProblem ? { privilegeProblem } : {}),
      dns: dnsServers(probe.resolvConf),
      ...(record ? { lastChange: record } : {}),
    },
  };
}

function targetFor(state: HostNetState, iface: string): StackTarget | undefined {
  const finding = state.info.stacks[iface];
  if (!finding?.stack || finding.stack === 'ovs') return undefined;
  return { stack: finding.stack, ...(finding.stack === 'netplan' ? { netplanFile: netplanFileFor(state.probe, iface)?.path ?? '' } : {}) };
}

function planContext(state: HostNetState, plan: BridgePlan) {
  const finding = state.info.stacks[plan.iface];
  const stack = finding?.stack === 'ovs' ? undefined : finding?.stack;
  return {
    interfaces: state.info.interfaces,
    ...(stack ? { stack } : {}),
    ...(rollbackMechanism(state.probe, stack) ? { rollback: rollbackMechanism(state.probe, stack)! } : {}),
    ...(state.info.privilegeProblem ? { privilegeProblem: state.info.privilegeProblem } : {}),
    ovsAvailable: state.probe.tools.has('ovs-vsctl'),
  };
}

export function previewPlan(state: HostNetState, plan: BridgePlan): BridgePreview {
  const problems = bridgePlanProblems(plan, planContext(state, plan));
  const target = targetFor(state, plan.iface);
  if (!target || problems.some((p) => p.field !== 'privilege' && p.field !== 'rollback')) return { problems, files: [], commands: [] };
  const activeProfile = state.probe.nmDevices.get(plan.iface)?.uuid;
  const change = stackChange(target, { plan, files: state.probe.files, ...(activeProfile ? { activeProfile } : {}) });
  return { problems, ...previewOf(change, target.stack) };
}

function newId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

async function waitFor<T>(what: () => Promise<T | undefined>, deadline: number, everyMs: number): Promise<T | undefined> {
  for (;;) {
    const value = await what().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Puts the scripts and new files on the host, starts the job and sees it through. */
async function runJob(host: BridgeHost, job: BridgeJob, uploads: ReadonlyMap<number, string>, extra: Record<string, string>, verify: (state: HostNetState) => boolean): Promise<BridgeOutcome> {
  const asRoot = host.usesSudo;
  const dir = backupDir(job.id);
  const runner = host.runner();
  // The state root is readable (its record says what happened); each backup folder is root's alone.
  await run(runner, ['sh', '-c', 'umask 022 && mkdir -p -- "$1" && chmod 755 -- "${1%/*}" "$1" && umask 077 && mkdir -p -- "$2/new"', 'sh', BRIDGE_STATE_ROOT, dir], asRoot);
  const scripts = { ...jobScripts(job), ...extra };
  for (const [name, text] of Object.entries(scripts)) {
    const bytes = Buffer.from(text, 'utf8');
    await putFile(runner, `${dir}/${name}`, bytes, { size: bytes.length, mode: 0o700, asRoot, overwrite: true });
  }
  for (const [n, text] of uploads) {
    const bytes = Buffer.from(text, 'utf8');
    await putFile(runner, `${dir}/new/${n}`, bytes, { size: bytes.length, mode: 0o644, asRoot, overwrite: true });
  }
  const started = Date.now();
  const out = await run(runner, ['sh', `${dir}/start.sh`], asRoot);
  if (!out.includes('VDSTARTED')) throw new ContractError('internal', 'The bridge change did not start on the host; nothing was changed.', out);

  // A fresh connection through the new configuration, within the rollback window.
  const deadline = started + job.rollbackSeconds * 1000 - 5_000;
  const reached = await waitFor(async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await host.reconnect();
    const state = await readHostNet(host);
    return verify(state) ? state : undefined;
  }, deadline, 1_000);
  if (reached) {
    const disarm = await runRemoteJob(host.runner(), [...(asRoot ? ['sudo', '-n'] : []), 'sh', `${dir}/disarm.sh`], { timeoutMs: 30_000 });
    if (disarm.code === 0 && disarm.stdout.includes('VDDISARMED')) return { outcome: 'committed', backupDir: dir, seconds: (Date.now() - started) / 1000 };
  }
  // Not through in time (or too late to disarm): the host restores itself; wait for it to say so.
  const restored = await waitFor(async () => {
    await host.reconnect();
    const state = await readHostNet(host);
    const record = state.info.lastChange;
    return record?.id === job.id && record.state === 'rolled-back' ? record : undefined;
  }, Date.now() + job.rollbackSeconds * 1000 + 90_000, 2_000);
  if (!restored) throw new ContractError('host-unavailable', `The host did not come back after the bridge change, nor after its rollback (${job.rollbackSeconds} s). The previous configuration is kept in ${dir} on the host.`);
  return { outcome: 'rolled-back', backupDir: dir, seconds: restored.at - Math.floor(started / 1000) };
}

export async function applyBridge(host: BridgeHost, plan: BridgePlan): Promise<BridgeOutcome> {
  const state = await readHostNet(host);
  const preview = previewPlan(state, plan);
  const problem = preview.problems[0];
  if (problem) throw new ContractError('bad-arguments', `The bridge plan is refused: ${problem.field} ${problem.code}${problem.detail ? ` (${problem.detail})` : ''}.`, JSON.stringify(preview.problems));
  const target = targetFor(state, plan.iface)!;
  const activeProfile = state.probe.nmDevices.get(plan.iface)?.uuid;
  const change = stackChange(target, { plan, files: state.probe.files, ...(activeProfile ? { activeProfile } : {}) });
  const job: BridgeJob = {
    id: newId(),
    action: 'create',
    bridge: plan.bridge,
    iface: plan.iface,
    rollbackSeconds: plan.rollbackSeconds,
    mechanism: rollbackMechanism(state.probe, target.stack)!,
    change,
    files: change.files.map((f): JobFile => ({ path: f.path, source: { kind: 'upload', present: f.after !== null } })),
  };
  const uploads = new Map<number, string>();
  change.files.forEach((f, n) => {
    if (f.after !== null) uploads.set(n, f.after);
  });
  const saved = JSON.stringify({ plan, target, activeProfile: activeProfile ?? null });
  return runJob(host, job, uploads, { 'plan.json': `${saved}\n` }, (s) => {
    const bridge = s.info.interfaces.find((i) => i.name === plan.bridge);
    // Over SSH the new session must arrive through the bridge; on "This computer" there is no session to check.
    return bridge !== undefined && bridge.ports.includes(plan.iface) && (s.probe.sessionAddress === undefined || s.info.sessionInterface === plan.bridge);
  });
}

/** The create change behind a bridge VirtDeck made, from its backup folder on the host. */
async function findCreation(host: BridgeHost, bridge: string): Promise<{ dir: string; plan: BridgePlan; target: StackTarget; activeProfile?: string; originals: Map<number, string>; paths: string[] }> {
  const asRoot = host.usesSudo;
  const runner = host.runner();
  const listing = await run(runner, ['sh', '-c', 'for f in "$1"/*/plan.json; do if [ -f "$f" ] && [ "$(cat "${f%/plan.json}/state" 2>/dev/null)" = committed ]; then echo "${f%/plan.json}"; fi; done', 'sh', BRIDGE_STATE_ROOT], asRoot);
  const dirs = listing.split('\n').filter((l) => l.trim() !== '').sort().reverse();
  for (const dir of dirs) {
    const saved = JSON.parse((await readWholeFile(runner, `${dir}/plan.json`, { asRoot })).toString('utf8')) as { plan: unknown; target: StackTarget; activeProfile: string | null };
    const plan = BridgePlanSchema.parse(saved.plan);
    if (plan.bridge !== bridge) continue;
    const manifest = (await readWholeFile(runner, `${dir}/manifest`, { asRoot })).toString('utf8');
    const paths: string[] = [];
    const originals = new Map<number, string>();
    for (const line of manifest.split('\n').filter((l) => l !== '')) {
      const space = line.indexOf(' ');
      const n = Number(line.slice(0, space));
      paths[n] = line.slice(space + 1);
      const text = await readWholeFile(runner, `${dir}/orig/${n}`, { asRoot }).then((b) => b.toString('utf8'), () => undefined);
      if (text !== undefined) originals.set(n, text);
    }
    return { dir, plan, target: saved.target, ...(saved.activeProfile ? { activeProfile: saved.activeProfile } : {}), originals, paths };
  }
  throw new ContractError('not-found', `${bridge} was not created by VirtDeck's bridge assistant on this host, so there is no saved configuration to put back.`);
}

export async function removeBridge(host: BridgeHost, bridge: string, rollbackSeconds: number): Promise<BridgeOutcome> {
  const state = await readHostNet(host);
  if (state.info.privilegeProblem) throw new ContractError('file-error', `Removing a bridge needs root on this host (${state.info.privilegeProblem}).`);
  const creation = await findCreation(host, bridge);
  const origFiles = new Map<string, string>();
  creation.paths.forEach((p, n) => {
    const text = creation.originals.get(n);
    if (text !== undefined) origFiles.set(p, text);
  });
  // The create change, recomputed from the originals, run backwards.
  const created = stackChange(creation.target, { plan: creation.plan, files: origFiles, ...(creation.activeProfile ? { activeProfile: creation.activeProfile } : {}) });
  const swap = (lines: string[]) => lines.map((l) => (l === 'install_new' ? 'restore_old' : l === 'restore_old' ? 'install_new' : l));
  const job: BridgeJob = {
    id: newId(),
    action: 'remove',
    bridge,
    iface: creation.plan.iface,
    rollbackSeconds,
    mechanism: rollbackMechanism(state.probe, creation.target.stack) ?? 'setsid',
    change: { files: created.files.map((f) => ({ path: f.path, before: f.after, after: f.before })), apply: swap(created.restore), restore: swap(created.apply) },
    files: creation.paths.map((path, n): JobFile => ({ path, source: { kind: 'copy', from: `${creation.dir}/orig/${n}` } })),
  };
  return runJob(host, job, new Map(), {}, (s) => !s.info.interfaces.some((i) => i.name === bridge) && (s.probe.sessionAddress === undefined || s.info.sessionInterface === creation.plan.iface));
}

/** Plugs a guest's interface into a bridge in its persistent definition; a running guest gets it at its next start. */
export async function attachGuest(host: BridgeHost, name: string, mac: string, bridge: string): Promise<{ live: boolean }> {
  const libvirt = host.libvirt();
  const document = DomainDocument.parse(await readDomainXml(libvirt, name, { inactive: true, securityInfo: true }));
  document.setInterfaceSource(mac, { type: 'bridge', bridge });
  await defineXml(libvirt, 'domain', document.toXml());
  return { live: false };
}
