/**
 * The create task on a host: check → boot-files → convert → volume → seed → define → start,
 * each step recorded for undo (createVm.ts). Boot files live in the `boot-scratch` pool (made
 * by libvirtd, root, so the SSH user needs no write access to /var/lib/libvirt/boot): the host
 * fetches kernel and initrd into a private scratch file, then vol-create-as + vol-upload.
 */
import type { CreateStep, SourceProblem, WizardProblem, WizardSpec } from '../../preload/contract/install.js';
import { ContractError } from '../../preload/contract/errors.js';
import { removeFiles } from '../connection/hostFiles.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import { hostTempPath, withXmlOnHost, defineXml } from '../libvirt/definitions.js';
import { checkedResult } from '../libvirt/libvirtErrors.js';
import { runVirshJob, type LibvirtHost } from '../libvirt/libvirtHost.js';
import { createPool } from '../libvirt/pools.js';
import { convertVolume, createVolumeFromSpec, readVolume } from '../libvirt/volumes.js';
import { createSeedVolume, removeSeedVolume } from './cloudInit.js';
import { BOOT_SCRATCH_PATH, BOOT_SCRATCH_POOL, specProblems, specToPlan, startProblems, UndoLog, type PreviewFacts } from './createVm.js';
import { buildDomainDocuments, type PlanBootSource } from './domainPlan.js';
import { hostFetch } from './hostFetch.js';
import { InstallSourceError, installSourceErrorOf } from './sourceErrors.js';
import { detectInstallTree } from './trees.js';
import { DOMAIN } from '../libvirt/xml/domainDocument.js';

export interface CreateContext {
  signal: AbortSignal;
  log(key: string, params?: Record<string, string>, level?: 'info' | 'ok' | 'error'): void;
}

export type CreateOutcome =
  | { ok: true; name: string; uuid: string; started: boolean; bootVolumes: string[]; installPhase: boolean }
  | { ok: false; step: CreateStep; problems: WizardProblem[]; sourceProblem?: SourceProblem; message: string };

/** A test-only hook: an extra change to the final definition (the define step's failure test). */
export interface CreateTestHooks {
  finalXml?: (xml: string) => string;
}

async function ensureBootScratch(host: LibvirtHost): Promise<void> {
  const listed = await host.session.run(['pool-info', '--pool', BOOT_SCRATCH_POOL]);
  if (listed.ok) {
    if (!/State:\s+running/.test(listed.stdout)) checkedResult(await host.session.run(['pool-start', '--pool', BOOT_SCRATCH_POOL]), 'virsh pool-start');
    return;
  }
  const names = checkedResult(await host.session.run(['pool-list', '--all', '--name']), 'virsh pool-list').split('\n').map((line) => line.trim()).filter(Boolean);
  await createPool(host, { type: 'dir', name: BOOT_SCRATCH_POOL, targetPath: BOOT_SCRATCH_PATH }, { build: true, start: true, autostart: true }, names);
}

/** Puts a host file (`scratch`) into a new raw volume of `pool`; returns its path. A failed upload leaves no volume. */
export async function uploadScratchFile(host: LibvirtHost, pool: string, scratch: string, volume: string, signal: AbortSignal): Promise<string> {
  const size = await runRemoteJob(host.runner, ['sh', '-c', 'wc -c < "$1"', 'sh', scratch], { timeoutMs: 30_000, signal });
  const bytes = Number(size.stdout.trim());
  if (size.code !== 0 || !Number.isSafeInteger(bytes) || bytes <= 0) throw new ContractError('file-error', `The boot file ${volume} is empty or missing on the host.`);
  checkedResult(await host.session.run(['vol-create-as', '--pool', pool, '--name', volume, '--capacity', String(bytes), '--format', 'raw']), 'virsh vol-create-as');
  try {
    await runVirshJob(host, ['vol-upload', '--pool', pool, '--vol', volume, '--file', scratch, '--length', String(bytes)], { timeoutMs: 6 * 60 * 60_000, signal });
    return checkedResult(await host.session.run(['vol-path', '--pool', pool, '--vol', volume]), 'virsh vol-path').trim();
  } catch (error) {
    await deleteVolumeIfThere(host, pool, volume);
    throw error;
  }
}

export function deleteBootVolume(host: LibvirtHost, volume: string): Promise<void> {
  return deleteVolumeIfThere(host, BOOT_SCRATCH_POOL, volume);
}

export async function deleteVolumeIfThere(host: LibvirtHost, pool: string, volume: string): Promise<void> {
  const result = await host.session.run(['vol-delete', '--pool', pool, '--vol', volume]);
  if (!result.ok && !/not found|no storage vol/i.test(result.stderr)) checkedResult(result, 'virsh vol-delete');
}

function stepFailure(step: CreateStep, error: unknown): CreateOutcome {
  const source = installSourceErrorOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, step, problems: [], ...(source ? { sourceProblem: { reason: source.reason, params: source.params } } : {}), message };
}

export async function createVm(host: LibvirtHost, spec: WizardSpec, start: boolean, facts: PreviewFacts, context: CreateContext, hooks: CreateTestHooks = {}): Promise<CreateOutcome> {
  const name = spec.name.trim();
  const undo = new UndoLog();
  const bootVolumes: string[] = [];
  let step: CreateStep = 'check';
  const { signal } = context;
  const begin = (next: CreateStep) => {
    if (signal.aborted) throw new ContractError('cancelled', 'The create was cancelled.');
    step = next;
    context.log('install.create.log.step', { step: next });
  };
  try {
    begin('check');
    const problems = [...specProblems(spec, facts).problems, ...startProblems(spec, start)];
    if (problems.length > 0) return { ok: false, step: 'check', problems, message: 'The choice has problems; nothing was created.' };
    let boot: PlanBootSource | undefined;

    if (spec.source.kind === 'url') {
      begin('boot-files');
      const tree = await detectInstallTree(host.runner, spec.source.url, { arch: spec.arch, signal });
      await ensureBootScratch(host);
      const paths: string[] = [];
      for (const [label, url] of [['kernel', tree.kernelUrl], ['initrd', tree.initrdUrl]] as const) {
        const scratch = hostTempPath(`-${label}`);
        const volume = `${name}-${label}`;
        try {
          const fetched = await hostFetch(host.runner, 'file', url, { out: scratch, signal });
          if (!fetched.ok) throw new InstallSourceError('not-found', 'unreachable', `The host could not fetch ${url}: ${fetched.reason}`, { url, reason: fetched.reason });
          paths.push(await uploadScratchFile(host, BOOT_SCRATCH_POOL, scratch, volume, signal));
        } finally {
          await removeFiles(host.runner, [scratch]).catch(() => undefined);
        }
        bootVolumes.push(volume);
        undo.add({ step: 'boot-files', what: `${BOOT_SCRATCH_POOL}/${volume}`, undo: () => deleteBootVolume(host, volume) });
        context.log('install.create.log.bootFile', { volume: `${BOOT_SCRATCH_POOL}/${volume}` });
      }
      const cmdline = [tree.repoArg, spec.source.kernelArgs?.trim()].filter((part): part is string => !!part).join(' ');
      const files = { kernel: paths[0]!, initrd: paths[1]!, ...(cmdline ? { cmdline } : {}) };
      boot = spec.source.xenPv === true ? { kind: 'xenpv', ...files } : { kind: 'kernel', ...files };
    }

    if (spec.source.kind === 'import' && spec.source.convertTo) {
      begin('convert');
      const located = await host.session.run(['vol-pool', spec.source.path]);
      const volumeName = await host.session.run(['vol-name', spec.source.path]);
      const pool = located.ok ? located.stdout.trim() : '';
      if (!located.ok || !volumeName.ok || pool !== spec.source.convertTo.pool) {
        return { ok: false, step: 'convert', problems: [{ page: 'source', key: 'convertOtherPool', params: { pool: spec.source.convertTo.pool } }], message: 'Only a volume of the chosen pool can be converted.' };
      }
      const target = `${name}.${spec.source.convertTo.format}`;
      await convertVolume(host, pool, volumeName.stdout.trim(), spec.source.convertTo.format, target, { signal });
      undo.add({ step: 'convert', what: `${pool}/${target}`, undo: async () => void runVirshJob(host, ['vol-delete', '--pool', pool, '--vol', target]) });
      context.log('install.create.log.volume', { volume: `${pool}/${target}` });
    }

    if (spec.storage.kind === 'new' && spec.source.kind !== 'cloud') {
      begin('volume');
      const pool = spec.storage.pool;
      const volume = `${name}.${spec.storage.format}`;
      await createVolumeFromSpec(host, pool, { name: volume, format: spec.storage.format, capacityBytes: Math.round(spec.storage.sizeGiB * 2 ** 30), preallocate: !spec.storage.sparse });
      undo.add({ step: 'volume', what: `${pool}/${volume}`, undo: () => runVirshJob(host, ['vol-delete', '--pool', pool, '--vol', volume]).then(() => undefined) });
      context.log('install.create.log.volume', { volume: `${pool}/${volume}` });
    }

    if (spec.source.kind === 'cloud') {
      begin('volume');
      const pool = spec.source.base.pool;
      const volume = `${name}.qcow2`;
      const baseVolume = await readVolume(host, pool, spec.source.base.volume);
      const capacity = spec.storage.kind === 'new' ? Math.max(Math.round(spec.storage.sizeGiB * 2 ** 30), baseVolume.capacityBytes) : baseVolume.capacityBytes;
      await createVolumeFromSpec(host, pool, { name: volume, format: 'qcow2', capacityBytes: capacity, preallocate: false, backingVolume: spec.source.base.volume });
      undo.add({ step: 'volume', what: `${pool}/${volume}`, undo: () => runVirshJob(host, ['vol-delete', '--pool', pool, '--vol', volume]).then(() => undefined) });
      context.log('install.create.log.volume', { volume: `${pool}/${volume}` });

      begin('seed');
      const seed = `${name}-seed.iso`;
      await createSeedVolume(host, { pool, name: seed, input: spec.source.cloudInit, signal });
      undo.add({ step: 'seed', what: `${pool}/${seed}`, undo: () => removeSeedVolume(host, pool, seed) });
      context.log('install.create.log.volume', { volume: `${pool}/${seed}` });
    }

    begin('define');
    const plan = specToPlan(spec, boot ? { boot } : {});
    const documents = buildDomainDocuments(plan);
    const finalXml = hooks.finalXml ? hooks.finalXml(documents.final.toXml()) : documents.final.toXml();
    await defineXml(host, 'domain', finalXml);
    undo.add({ step: 'define', what: name, undo: async () => void checkedResult(await host.session.run(['undefine', '--domain', name, '--nvram']), 'virsh undefine') });
    const uuid = checkedResult(await host.session.run(['domuuid', '--domain', name]), 'virsh domuuid').trim();
    context.log('install.create.log.defined', { name });
    const installPhase = documents.install !== documents.final;

    if (!start) {
      // Nothing will boot the installer: its files are of no use.
      for (const volume of bootVolumes) await deleteBootVolume(host, volume).catch(() => undefined);
      return { ok: true, name, uuid, started: false, bootVolumes: [], installPhase: false };
    }
    begin('start');
    if (installPhase) {
      documents.install.set(DOMAIN.uuid, uuid);
      // The install definition runs transient over the persistent final one (same name and uuid).
      await withXmlOnHost(host.runner, documents.install.toXml(), (path) => runVirshJob(host, ['create', '--file', path], { timeoutMs: 120_000 }));
    } else {
      await runVirshJob(host, ['start', '--domain', name], { timeoutMs: 120_000 });
    }
    context.log('install.create.log.started', { name });
    return { ok: true, name, uuid, started: true, bootVolumes, installPhase };
  } catch (error) {
    const failure = stepFailure(step, error);
    context.log('install.create.log.failed', { step, message: failure.ok ? '' : failure.message }, 'error');
    await undo.undoAll((record, undoError) =>
      context.log(undoError ? 'install.create.log.undoFailed' : 'install.create.log.undone', { what: record.what, ...(undoError ? { message: String(undoError instanceof Error ? undoError.message : undoError) } : {}) }, undoError ? 'error' : 'info'),
    );
    if (installSourceErrorOf(error) === undefined && error instanceof ContractError && error.code === 'cancelled') return { ...(failure as Extract<CreateOutcome, { ok: false }>), message: 'Cancelled; everything created was removed.' };
    return failure;
  }
}
