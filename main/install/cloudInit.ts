/**
 * cloud-init NoCloud seeds for the cloud-image source: `user-data` (#cloud-config: hostname,
 * one user with sudo, its password as a SHA-512 crypt hash, SSH keys) and `meta-data`
 * (instance-id, local-hostname), built into an ISO9660 volume labelled `cidata` ON THE HOST
 * and stored in a pool.
 *
 * `seedFiles(input, instanceId)` is pure: it validates the input (`bad-seed`, params.field) and
 * hashes the password with `unixcrypt` ($6$, random salt), so the password itself is never
 * written anywhere, logged or sent to the host — only its hash.
 *
 * `createSeedVolume(host, { pool, name, input })` finds an ISO tool on the host (xorriso,
 * genisoimage/mkisofs or cloud-localds; `no-iso-tool` before anything changes), puts the two
 * files into a private scratch folder on the host through the file primitive, builds the ISO
 * there, creates the volume (`vol-create-as`) and fills it with `vol-upload` run on the host
 * from the host's own file, then removes the scratch folder whatever happened. A failure after
 * the volume was created deletes it again.
 */
import { encrypt } from 'unixcrypt';
import { stringify } from 'yaml';
import { ContractError } from '../../preload/contract.js';
import type { WizardSource } from '../../preload/contract/install.js';
import { putFile } from '../connection/hostFiles.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import { hostTempPath } from '../libvirt/definitions.js';
import { checkedResult } from '../libvirt/libvirtErrors.js';
import { runVirshJob, type LibvirtHost } from '../libvirt/libvirtHost.js';
import { InstallSourceError } from './sourceErrors.js';

export type SeedInput = Extract<WizardSource, { kind: 'cloud' }>['cloudInit'];

export interface SeedFiles {
  userData: string;
  metaData: string;
}

const HOSTNAME = /^(?=.{1,63}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const SSH_KEY = /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\n\r]*)?$/;
const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Names cloud-init's own defaults or the system already use for other things. */
const RESERVED_USERS: ReadonlySet<string> = new Set(['root', 'daemon', 'bin', 'sys', 'nobody']);

function badSeed(field: string, message: string): InstallSourceError {
  return new InstallSourceError('bad-arguments', 'bad-seed', message, { field });
}

/** Checks the seed's input; throws `bad-seed` with the field at fault. */
export function checkSeedInput(input: SeedInput): void {
  if (!HOSTNAME.test(input.hostname)) throw badSeed('hostname', `${input.hostname || 'An empty name'} is not a host name (letters, digits and hyphens, up to 63 characters).`);
  if (!USER.test(input.user) || RESERVED_USERS.has(input.user)) throw badSeed('user', `${input.user || 'An empty name'} cannot be the guest's user (lower-case letters, digits, _ and -, not a system account).`);
  if (input.password !== undefined && input.password !== '' && (/[\0\n\r]/.test(input.password) || input.password.length > 256)) throw badSeed('password', 'The password may not contain line breaks.');
  const hasPassword = input.password !== undefined && input.password !== '';
  if (!hasPassword && input.sshKeys.length === 0) throw badSeed('sshKeys', 'Give the user a password or an SSH key, or nobody can log in.');
  input.sshKeys.forEach((key, index) => {
    if (!SSH_KEY.test(key.trim())) throw badSeed('sshKeys', `SSH key ${index + 1} is not an OpenSSH public key (one line: type, key, optional comment).`);
  });
}

/** The seed's two files (see the top of this file). The password appears only as its hash. */
export function seedFiles(input: SeedInput, instanceId: string): SeedFiles {
  checkSeedInput(input);
  if (!INSTANCE_ID.test(instanceId)) throw badSeed('instanceId', `${instanceId} is not an instance id.`);
  const hasPassword = input.password !== undefined && input.password !== '';
  const user: Record<string, unknown> = {
    name: input.user,
    groups: ['sudo'],
    shell: '/bin/bash',
    sudo: 'ALL=(ALL) NOPASSWD:ALL',
    lock_passwd: !hasPassword,
  };
  if (hasPassword) user.passwd = encrypt(input.password!);
  if (input.sshKeys.length > 0) user.ssh_authorized_keys = input.sshKeys.map((key) => key.trim());
  const config: Record<string, unknown> = {
    hostname: input.hostname,
    preserve_hostname: false,
    users: [user],
    ssh_pwauth: hasPassword,
  };
  return {
    userData: `#cloud-config\n${stringify(config, { lineWidth: 0 })}`,
    metaData: stringify({ 'instance-id': instanceId, 'local-hostname': input.hostname }, { lineWidth: 0 }),
  };
}

/**
 * Arguments: DIR. Finds the host's ISO tool; with one, makes DIR (mode 0700) and prints
 * `VDTOOL <name>`; without, prints `VDTOOL none` and changes nothing.
 */
const PREPARE_SCRIPT =
  'set -u; t=none; for c in xorriso genisoimage mkisofs cloud-localds; do if command -v "$c" >/dev/null 2>&1; then t=$c; break; fi; done; ' +
  'if [ "$t" != none ]; then mkdir -m 0700 -- "$1" || exit 2; fi; echo "VDTOOL $t"';

/** Arguments: DIR TOOL. Builds DIR/seed.iso (volume id cidata) from DIR/user-data and DIR/meta-data; prints its size. */
const BUILD_SCRIPT =
  'set -u; cd -- "$1" || exit 2; ' +
  'case $2 in ' +
  'xorriso) xorriso -as mkisofs -quiet -output seed.iso -volid cidata -joliet -rock user-data meta-data;; ' +
  'genisoimage|mkisofs) "$2" -quiet -output seed.iso -volid cidata -joliet -rock user-data meta-data;; ' +
  'cloud-localds) cloud-localds seed.iso user-data meta-data;; ' +
  '*) exit 3;; esac || exit 4; wc -c < seed.iso';

const REMOVE_DIR_SCRIPT = 'case $1 in /tmp/virtdeck-*) rm -rf -- "$1";; esac';

export interface SeedVolumeSpec {
  pool: string;
  /** The volume's name in the pool (e.g. `<vm>-seed.iso`). */
  name: string;
  input: SeedInput;
  /** Default: the volume name. */
  instanceId?: string;
  signal?: AbortSignal;
}

/** Builds the seed on the host into a new volume of the pool; see the top of this file. */
export async function createSeedVolume(host: LibvirtHost, spec: SeedVolumeSpec): Promise<{ path: string }> {
  const files = seedFiles(spec.input, spec.instanceId ?? spec.name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, 'i'));
  const signal = spec.signal ? { signal: spec.signal } : {};
  const dir = hostTempPath('-seed');
  const prepared = await runRemoteJob(host.runner, ['sh', '-c', PREPARE_SCRIPT, 'sh', dir], { timeoutMs: 30_000, ...signal });
  const tool = /VDTOOL (\S+)/.exec(prepared.stdout)?.[1];
  if (tool === 'none') throw new InstallSourceError('file-error', 'no-iso-tool', 'The host has none of xorriso, genisoimage or cloud-localds to build the cloud-init seed.', { tool: 'xorriso' });
  if (prepared.code !== 0 || !tool) throw new ContractError('file-error', `Preparing the cloud-init seed on the host failed (${prepared.code ?? prepared.signal}): ${prepared.stderr.trim()} ${prepared.stdout.trim()}`.trim());
  let created = false;
  try {
    for (const [file, text] of [['user-data', files.userData], ['meta-data', files.metaData]] as const) {
      const bytes = Buffer.from(text, 'utf8');
      await putFile(host.runner, `${dir}/${file}`, bytes, { size: bytes.length, mode: 0o600, ...signal });
    }
    const built = await runRemoteJob(host.runner, ['sh', '-c', BUILD_SCRIPT, 'sh', dir, tool], { timeoutMs: 120_000, ...signal });
    const size = Number(built.stdout.trim());
    if (built.code !== 0 || !Number.isSafeInteger(size) || size <= 0) throw new ContractError('file-error', `Building the cloud-init seed with ${tool} on the host failed.`, built.stderr.trim() || undefined);
    checkedResult(await host.session.run(['vol-create-as', '--pool', spec.pool, '--name', spec.name, '--capacity', String(size), '--format', 'raw']), 'virsh vol-create-as');
    created = true;
    await runVirshJob(host, ['vol-upload', '--pool', spec.pool, '--vol', spec.name, '--file', `${dir}/seed.iso`, '--length', String(size)], { timeoutMs: 120_000, ...signal });
    checkedResult(await host.session.run(['pool-refresh', '--pool', spec.pool]), 'virsh pool-refresh');
    const path = checkedResult(await host.session.run(['vol-path', '--pool', spec.pool, '--vol', spec.name]), 'virsh vol-path').trim();
    return { path };
  } catch (error) {
    if (created) await host.session.run(['vol-delete', '--pool', spec.pool, '--vol', spec.name]).catch(() => undefined);
    throw error;
  } finally {
    await runRemoteJob(host.runner, ['sh', '-c', REMOVE_DIR_SCRIPT, 'sh', dir], { timeoutMs: 30_000 }).catch(() => undefined);
  }
}

/** Deletes a seed volume (a missing one is fine: the seed is for the first boot only). */
export async function removeSeedVolume(host: LibvirtHost, pool: string, name: string): Promise<void> {
  const result = await host.session.run(['vol-delete', '--pool', pool, '--vol', name]);
  if (!result.ok && !/not found|no storage vol/i.test(result.stderr)) checkedResult(result, 'virsh vol-delete');
}
