/**
 * Staging a transfer on the host: a folder of the SSH user's own (under `~/.cache/virtdeck`)
 * where the file primitive writes or reads at scp's speed, while libvirtd — which may write the
 * pool where the user may not — copies between that folder and the pool on the host itself.
 * Through SSH, libvirt's volume stream is the slow part of a transfer into a root-owned pool
 * (see volumeTransfer.ts and the upload benchmark); on the host, it is a local copy.
 *
 * A stage is used only when the user's folder has room for the whole file; it is removed when
 * the transfer ends, whatever the outcome. Stages left by a VirtDeck that died mid-transfer are
 * removed by the next one after a day.
 */
import { randomBytes } from 'node:crypto';
import { ContractError } from '../../preload/contract.js';
import { collectOutput } from '../connection/hostProcess.js';
import { withXmlOnHost } from './definitions.js';
import { checkedResult } from './libvirtErrors.js';
import { runVirshJob, type LibvirtHost } from './libvirtHost.js';
import { STORAGE_VOLUME, StorageVolumeDocument } from './xml/storageVolumeDocument.js';

/** Room kept free in the user's folder besides the staged file. */
const STAGE_MARGIN_BYTES = 64 * 1024 * 1024;

/** Prints `VDSTAGE <dir> <free KiB> <uid> <gid>` for a new stage folder. */
const STAGE_SCRIPT = [
  'base="${XDG_CACHE_HOME:-$HOME/.cache}/virtdeck"',
  'mkdir -p "$base" && chmod 700 "$base" || exit 2',
  'find "$base" -maxdepth 1 -name "transfer-*" -mmin +1440 -exec rm -rf {} + 2>/dev/null',
  'd=$(mktemp -d "$base/transfer-XXXXXXXX") || exit 2',
  'free=$(df -Pk "$d" | awk \'NR==2 {print $4}\')',
  'printf "VDSTAGE %s %s %s %s\\n" "$d" "$free" "$(id -u)" "$(id -g)"',
].join('; ');

const REMOVE_SCRIPT = 'case "$1" in */.cache/virtdeck/transfer-*) rm -rf -- "$1" ;; esac';

export interface TransferStage {
  /** The stage folder on the host (the user's own). */
  readonly dir: string;
  readonly uid: number;
  readonly gid: number;
  /** Removes the folder and everything in it. */
  remove(): Promise<void>;
}

/**
 * Whether transfers may be staged at all: `VIRTDECK_STAGE_TRANSFERS=off` in VirtDeck's
 * environment keeps every byte out of the users' folders on the hosts (home folders with small
 * quotas), at libvirt's stream's speed.
 */
export function stagingAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.VIRTDECK_STAGE_TRANSFERS !== 'off';
}

/** A new stage folder with room for `bytes`, or undefined when the user's folder cannot hold them. */
export async function openTransferStage(host: LibvirtHost, bytes: number): Promise<TransferStage | undefined> {
  if (!stagingAllowed()) return undefined;
  const result = await collectOutput(host.runner.spawn(['sh', '-c', STAGE_SCRIPT], { channelWaitMs: 30_000 }));
  const match = /^VDSTAGE (\/\S+) (\d+) (\d+) (\d+)$/m.exec(result.stdout);
  if (result.exit.code !== 0 || !match) return undefined;
  const [, dir, freeKiB, uid, gid] = match as unknown as [string, string, string, string, string];
  const stage: TransferStage = {
    dir,
    uid: Number(uid),
    gid: Number(gid),
    remove: async () => {
      await collectOutput(host.runner.spawn(['sh', '-c', REMOVE_SCRIPT, 'sh', dir], { channelWaitMs: 30_000 })).catch(() => undefined);
    },
  };
  if (Number(freeKiB) * 1024 < bytes + STAGE_MARGIN_BYTES) {
    await stage.remove();
    return undefined;
  }
  return stage;
}

/** A name for a transient pool over a stage folder. */
export function stagePoolName(): string {
  return `virtdeck-transfer-${randomBytes(4).toString('hex')}`;
}

/** Runs `work` with a transient dir pool over `folder`, destroyed afterwards. */
export async function withStagePool<T>(host: LibvirtHost, folder: string, work: (pool: string) => Promise<T>): Promise<T> {
  const pool = stagePoolName();
  checkedResult(await host.session.run(['pool-create-as', '--name', pool, '--type', 'dir', '--target', folder]), 'virsh pool-create-as');
  try {
    return await work(pool);
  } finally {
    await host.session.run(['pool-destroy', '--pool', pool]).catch(() => undefined);
  }
}

/** The format libvirt sees in a volume (probed in a dir pool): raw, iso, qcow2, … */
export async function volumeFormat(host: LibvirtHost, pool: string, volume: string): Promise<string | undefined> {
  const xml = checkedResult(await host.session.run(['vol-dumpxml', '--pool', pool, '--vol', volume]), 'virsh vol-dumpxml');
  return StorageVolumeDocument.parse(xml).get(STORAGE_VOLUME.format);
}

/** Formats whose bytes libvirtd copies as they are (no qemu-img conversion). */
export function copiesAsBytes(format: string | undefined): boolean {
  return format === undefined || format === 'raw' || format === 'iso';
}

export interface RawCopyTarget {
  pool: string;
  name: string;
  capacityBytes: number;
  /** Owner of the new file (a stage the SSH user reads); libvirt's default (root) otherwise. */
  owner?: { uid: number; gid: number };
}

/**
 * libvirtd copies a volume into a new raw one on the host itself (`vol-create-from`): a byte
 * copy, sparse (allocation 0), as fast as the host's disks. Only for raw or ISO sources — any
 * other format would be converted by qemu-img, and an uploaded or downloaded image must stay
 * byte for byte what it was. A failed copy leaves no new volume (libvirt removes it).
 */
export async function copyAsRawVolume(host: LibvirtHost, from: { pool: string; volume: string }, to: RawCopyTarget, signal?: AbortSignal): Promise<void> {
  const document = StorageVolumeDocument.create();
  document.setName(to.name);
  document.setCapacity(to.capacityBytes);
  document.setAllocation(0);
  document.setFormat('raw');
  if (to.owner) document.setPermissions({ owner: to.owner.uid, group: to.owner.gid, mode: '0600' });
  await withXmlOnHost(host.runner, document.toXml(), (xml) =>
    runVirshJob(host, ['vol-create-from', '--pool', to.pool, '--file', xml, '--vol', from.volume, '--inputpool', from.pool], { timeoutMs: 6 * 60 * 60_000, ...(signal ? { signal } : {}) }),
  );
}

export function stageFailed(what: string, detail?: string): ContractError {
  return new ContractError('libvirt-error', `${what} failed on the host.`, detail);
}
