/**
 * Moving a volume's bytes between the workstation and a pool. Two methods, chosen per transfer:
 *
 * - the file primitive (main/connection/hostFiles.ts) straight into or out of the pool's folder,
 *   where the SSH user may write or read there (or the host runs VirtDeck through sudo): an exec
 *   channel at scp's speed, atomic, and sparse (runs of zeros become holes);
 * - staged, where the user may not (a pool only root may write, or not made of files): the file
 *   primitive into a stage folder of the user's own on the host (transferStage.ts), then virsh's
 *   `vol-upload --sparse` / `vol-download --sparse` between that file and the volume on the host
 *   itself. Through SSH, libvirt's stream is the slow part (less than half of scp's speed, see the
 *   upload benchmark); on the host it is a local copy, and sparse, since the file is seekable;
 * - libvirt's own stream through SSH (`vol-create-as` + `vol-upload`, `vol-download`) when the
 *   user's folder has no room for a stage: slower and not sparse (a pipe is not seekable).
 *
 * Either way a cancelled or failed upload leaves no volume, and the byte count must match.
 */
import { ContractError } from '../../preload/contract.js';
import { FileReader, putFile, readFile, type HostFileReader } from '../connection/hostFiles.js';
import { collectOutput } from '../connection/hostProcess.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import type { ByteSource } from '../connection/writeAll.js';
import { checkedResult } from './libvirtErrors.js';
import { runVirshJob, stateLivesInSession, virshJobArgv, type LibvirtHost } from './libvirtHost.js';
import { poolFacts } from './pools.js';
import { copiesAsBytes, copyAsRawVolume, openTransferStage, volumeFormat, withStagePool, type TransferStage } from './transferStage.js';
import { removeVolumeWhenDone, VOLUME_WORK_TIMEOUT_MS } from './volumes.js';

export type TransferMethod = 'file' | 'staged' | 'libvirt';

export interface UploadOptions {
  size: number;
  signal?: AbortSignal;
  onProgress?: (bytes: number) => void;
  /** Through `sudo -n` (hosts whose profile runs virsh through sudo). */
  asRoot?: boolean;
}

/** Whether the SSH user can write into `dir` / read `file` on the host (`test -w`, `test -r`). */
async function access(host: LibvirtHost, test: '-w' | '-r', path: string): Promise<boolean> {
  const result = await collectOutput(host.runner.spawn(['sh', '-c', 'test "$1" "$2" && echo yes', 'sh', test, path], { channelWaitMs: 30_000 }));
  return result.stdout.includes('yes');
}

/** Counts what passes and refuses a source that yields more than announced. */
async function* counted(source: ByteSource, size: number, seen: { bytes: number }, onProgress?: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source as AsyncIterable<Uint8Array>) {
    seen.bytes += chunk.byteLength;
    if (seen.bytes > size) throw new ContractError('bad-arguments', `More than the announced ${size} bytes arrived.`);
    onProgress?.(seen.bytes);
    yield chunk;
  }
}

/** Puts a new volume `name` into a pool from `source` (exactly `options.size` bytes). */
export async function uploadVolume(host: LibvirtHost, pool: string, name: string, source: ByteSource, options: UploadOptions): Promise<TransferMethod> {
  if (stateLivesInSession(host.uri)) throw new ContractError('bad-arguments', 'The test driver keeps no files; nothing can be uploaded into its pools.');
  const facts = await poolFacts(host, pool);
  const folder = facts.targetPath?.replace(/\/$/, '');
  const viaFile = folder !== undefined && (facts.type === 'dir' || facts.type === 'fs' || facts.type === 'netfs') && (options.asRoot || (await access(host, '-w', folder)));
  if (viaFile) {
    await putFile(host.runner, `${folder}/${name}`, source, {
      size: options.size,
      mode: 0o644,
      sparse: true,
      asRoot: options.asRoot ?? false,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    checkedResult(await host.session.run(['pool-refresh', '--pool', pool]), 'virsh pool-refresh');
    return 'file';
  }
  checkedResult(await host.session.run(['vol-create-as', '--pool', pool, '--name', name, '--capacity', String(options.size), '--format', 'raw', '--allocation', '0']), 'virsh vol-create-as');
  const stage = await openTransferStage(host, options.size).catch(() => undefined);
  if (stage) return uploadStaged(host, pool, name, source, options, stage);
  const seen = { bytes: 0 };
  try {
    const result = await runRemoteJob(host.runner, virshJobArgv(host, ['vol-upload', '--pool', pool, '--vol', name, '--file', '/dev/stdin', '--length', String(options.size)]), {
      input: counted(source, options.size, seen, options.onProgress),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.code !== 0) throw new ContractError('libvirt-error', `virsh vol-upload of ${name} failed.`, result.stderr);
    if (seen.bytes !== options.size) throw new ContractError('file-error', `The upload of ${name} ended early (${seen.bytes} of ${options.size} bytes); nothing was kept.`);
    // libvirt probes the format (qcow2, iso, …) of what arrived.
    checkedResult(await host.session.run(['pool-refresh', '--pool', pool]), 'virsh pool-refresh');
    return 'libvirt';
  } catch (error) {
    await host.session.run(['vol-delete', '--pool', pool, '--vol', name]).catch(() => undefined);
    if (options.signal?.aborted) throw new ContractError('cancelled', 'The upload was cancelled; nothing was kept.');
    throw error;
  }
}

/** Into the stage folder at the file primitive's speed, then into the (already created) volume on the host. */
async function uploadStaged(host: LibvirtHost, pool: string, name: string, source: ByteSource, options: UploadOptions, stage: TransferStage): Promise<TransferMethod> {
  const staged = `${stage.dir}/data`;
  try {
    await putFile(host.runner, staged, source, {
      size: options.size,
      mode: 0o600,
      sparse: true,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const job = { timeoutMs: VOLUME_WORK_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) };
    // Raw bytes (disk images, ISOs): libvirtd copies the staged file on the host. Anything else
    // (qcow2, vmdk, …) through virsh's stream from the staged file, so it stays byte for byte.
    const copied = await withStagePool(host, stage.dir, async (stagePool) => {
      if (!copiesAsBytes(await volumeFormat(host, stagePool, 'data'))) return false;
      checkedResult(await host.session.run(['vol-delete', '--pool', pool, '--vol', name]), 'virsh vol-delete');
      await copyAsRawVolume(host, { pool: stagePool, volume: 'data' }, { pool, name, capacityBytes: options.size }, options.signal);
      return true;
    });
    if (!copied) await runVirshJob(host, ['vol-upload', '--pool', pool, '--vol', name, '--file', staged, '--sparse'], job);
    checkedResult(await host.session.run(['pool-refresh', '--pool', pool]), 'virsh pool-refresh');
    return 'staged';
  } catch (error) {
    await removeVolumeWhenDone(host, pool, name);
    if (options.signal?.aborted) throw new ContractError('cancelled', 'The upload was cancelled; nothing was kept.');
    throw error;
  } finally {
    await stage.remove();
  }
}

/** A reader whose end (or disposal) also removes its stage folder. */
function removingStage(reader: HostFileReader, stage: TransferStage): HostFileReader {
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    void stage.remove();
  };
  reader.onEnd(remove);
  return {
    size: reader.size,
    onData: (listener) => reader.onData(listener),
    onEnd: (listener) => reader.onEnd(listener),
    pause: () => reader.pause(),
    resume: () => reader.resume(),
    dispose: () => {
      reader.dispose();
      remove();
    },
  };
}

/** Writes the volume to fd 3 (stdout), so virsh's own closing newline on stdout stays out of the bytes. */
const DOWNLOAD_SCRIPT = 'exec "$@" 3>&1 >/dev/null';

/** Opens a volume for reading: its size, then its bytes with flow control. */
export async function openVolumeDownload(host: LibvirtHost, pool: string, volume: string, options: { asRoot?: boolean; signal?: AbortSignal } = {}): Promise<{ reader: HostFileReader; method: TransferMethod }> {
  if (stateLivesInSession(host.uri)) throw new ContractError('bad-arguments', 'The test driver keeps no files; nothing can be downloaded from its pools.');
  const path = checkedResult(await host.session.run(['vol-path', '--pool', pool, '--vol', volume]), 'virsh vol-path').trim();
  const facts = await poolFacts(host, pool);
  const fileBased = facts.type === 'dir' || facts.type === 'fs' || facts.type === 'netfs';
  if (fileBased && (options.asRoot || (await access(host, '-r', path)))) return { reader: await readFile(host.runner, path, { asRoot: options.asRoot ?? false }), method: 'file' };
  const info = checkedResult(await host.session.run(['vol-info', '--bytes', '--physical', '--pool', pool, '--vol', volume]), 'virsh vol-info');
  const match = /^(?:Physical|Allocation):\s*(\d+)/m.exec(info);
  if (!match) throw new ContractError('libvirt-error', `libvirt did not say how large ${volume} is.`);
  const size = Number(match[1]);
  const stage = await openTransferStage(host, size).catch(() => undefined);
  if (stage) {
    const staged = `${stage.dir}/data`;
    try {
      const format = await volumeFormat(host, pool, volume);
      if (copiesAsBytes(format)) {
        const capacity = checkedResult(await host.session.run(['vol-info', '--bytes', '--pool', pool, '--vol', volume]), 'virsh vol-info');
        const capacityBytes = Number(/^Capacity:\s*(\d+)/m.exec(capacity)?.[1] ?? size);
        await withStagePool(host, stage.dir, (stagePool) => copyAsRawVolume(host, { pool, volume }, { pool: stagePool, name: 'data', capacityBytes, owner: stage }, options.signal));
      } else {
        await runVirshJob(host, ['vol-download', '--pool', pool, '--vol', volume, '--file', staged, '--sparse'], { timeoutMs: VOLUME_WORK_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) });
      }
      return { reader: removingStage(await readFile(host.runner, staged), stage), method: 'staged' };
    } catch (error) {
      await stage.remove();
      throw error;
    }
  }
  const process = host.runner.spawn(['sh', '-c', DOWNLOAD_SCRIPT, 'sh', ...virshJobArgv(host, ['vol-download', '--pool', pool, '--vol', volume, '--file', '/dev/fd/3'])], { channelWaitMs: 30_000 });
  const stderr: Buffer[] = [];
  process.onStderr((chunk) => stderr.push(chunk));
  return { reader: new FileReader(size, process, path, Buffer.alloc(0), () => Buffer.concat(stderr).toString('utf8')), method: 'libvirt' };
}
