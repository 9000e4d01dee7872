/**
 * Moving a volume's bytes between the workstation and a pool. Two methods, chosen per transfer:
 *
 * - the file primitive (main/connection/hostFiles.ts) straight into or out of the pool's folder,
 *   where the SSH user may write or read there (or the host runs VirtDeck through sudo): an exec
 *   channel at scp's speed, atomic, and sparse (runs of zeros become holes);
 * - libvirt's own stream otherwise (`vol-create-as` + `vol-upload`, `vol-download`, through
 *   libvirtd, which may write where the user may not): measured here at the same speed as
 *   `ssh host cat`, but not sparse — virsh's `--sparse` needs a seekable source, and a pipe is not.
 *
 * Either way a cancelled or failed upload leaves no volume, and the byte count must match.
 */
import { ContractError } from '../../preload/contract.js';
import { FileReader, putFile, readFile, type HostFileReader } from '../connection/hostFiles.js';
import { collectOutput } from '../connection/hostProcess.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import type { ByteSource } from '../connection/writeAll.js';
import { checkedResult } from './libvirtErrors.js';
import { stateLivesInSession, virshJobArgv, type LibvirtHost } from './libvirtHost.js';
import { poolFacts } from './pools.js';

export type TransferMethod = 'file' | 'libvirt';

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

/** Writes the volume to fd 3 (stdout), so virsh's own closing newline on stdout stays out of the bytes. */
const DOWNLOAD_SCRIPT = 'exec "$@" 3>&1 >/dev/null';

/** Opens a volume for reading: its size, then its bytes with flow control. */
export async function openVolumeDownload(host: LibvirtHost, pool: string, volume: string, options: { asRoot?: boolean } = {}): Promise<{ reader: HostFileReader; method: TransferMethod }> {
  if (stateLivesInSession(host.uri)) throw new ContractError('bad-arguments', 'The test driver keeps no files; nothing can be downloaded from its pools.');
  const path = checkedResult(await host.session.run(['vol-path', '--pool', pool, '--vol', volume]), 'virsh vol-path').trim();
  const facts = await poolFacts(host, pool);
  const fileBased = facts.type === 'dir' || facts.type === 'fs' || facts.type === 'netfs';
  if (fileBased && (options.asRoot || (await access(host, '-r', path)))) return { reader: await readFile(host.runner, path, { asRoot: options.asRoot ?? false }), method: 'file' };
  const info = checkedResult(await host.session.run(['vol-info', '--bytes', '--physical', '--pool', pool, '--vol', volume]), 'virsh vol-info');
  const match = /^(?:Physical|Allocation):\s*(\d+)/m.exec(info);
  if (!match) throw new ContractError('libvirt-error', `libvirt did not say how large ${volume} is.`);
  const size = Number(match[1]);
  const process = host.runner.spawn(['sh', '-c', DOWNLOAD_SCRIPT, 'sh', ...virshJobArgv(host, ['vol-download', '--pool', pool, '--vol', volume, '--file', '/dev/fd/3'])], { channelWaitMs: 30_000 });
  const stderr: Buffer[] = [];
  process.onStderr((chunk) => stderr.push(chunk));
  return { reader: new FileReader(size, process, path, Buffer.alloc(0), () => Buffer.concat(stderr).toString('utf8')), method: 'libvirt' };
}
