/**
 * VirtDeck's own key pair for libvirt's source → target connection, set up only with the user's
 * consent: generated on the source (~/.ssh/virtdeck_migrate), its public key authorised on the
 * target for the profile's user, and the target's host key — the one the app verified when it
 * connected — recorded in the source's known_hosts, so ssh there checks it instead of being told
 * not to. Every line VirtDeck adds carries a tag, and "remove" takes exactly those lines out.
 * The scripts are constant text; every value reaches them as an argument through the quoting function.
 */
import { ContractError } from '../../../preload/contract.js';
import type { ProcessRunner } from '../../connection/hostProcess.js';
import { fingerprintSha256, formatKnownHostLine } from '../../connection/knownHosts.js';
import { runRemoteJob } from '../../connection/remoteJob.js';
import { MIGRATION_KEY_NAME, MIGRATION_TAG } from '../../libvirt/migration.js';
import type { PresentedKey } from '../hosts/hostKeyTrust.js';

/** $1: key path below $HOME, $2: comment. Prints NEW when it made the pair, then the public key. */
const KEY_SCRIPT = 'set -e; umask 077; k="$HOME/$1"; mkdir -p "$(dirname "$k")"; if [ ! -f "$k" ]; then ssh-keygen -q -t ed25519 -N "" -C "$2" -f "$k" </dev/null; echo NEW; fi; cat "$k.pub"';
/** $1: file below $HOME, $2: the line. Prints ADDED when it was not there. */
const APPEND_SCRIPT = 'set -e; umask 077; mkdir -p "$HOME/.ssh"; f="$HOME/$1"; touch "$f"; if ! grep -qxF -- "$2" "$f"; then printf "%s\\n" "$2" >> "$f"; echo ADDED; fi';
/** $1: file below $HOME, $2: the line. Prints how many lines it removed (the file keeps its owner and mode). */
const REMOVE_SCRIPT = 'f="$HOME/$1"; [ -f "$f" ] || { echo 0; exit 0; }; n=$(grep -cxF -- "$2" "$f" || true); if [ "$n" -gt 0 ]; then t="$f.virtdeck.$$"; grep -vxF -- "$2" "$f" > "$t" || true; cat "$t" > "$f"; rm -f "$t"; fi; echo "$n"';
/** $1: key path below $HOME. Prints the absolute path of the private key when it exists. */
const KEY_PATH_SCRIPT = 'k="$HOME/$1"; if [ -f "$k" ]; then printf "%s" "$k"; fi';
const REMOVE_KEY_SCRIPT = 'rm -f "$HOME/$1" "$HOME/$1.pub"';

async function sh(runner: ProcessRunner, script: string, args: readonly string[]): Promise<string> {
  const result = await runRemoteJob(runner, ['sh', '-c', script, 'sh', ...args], { timeoutMs: 60_000 });
  if (result.code !== 0) throw new ContractError('file-error', 'A step of the key setup failed on the host.', result.stderr.trim());
  return result.stdout;
}

/** The absolute path of VirtDeck's private key on the source, when it was set up. */
export async function migrationKeyFile(source: ProcessRunner): Promise<string | undefined> {
  const path = (await sh(source, KEY_PATH_SCRIPT, [MIGRATION_KEY_NAME])).trim();
  return path === '' ? undefined : path;
}

export function knownHostsLine(targetKey: PresentedKey): string {
  return `${formatKnownHostLine(targetKey.host, targetKey.port, targetKey.keyType, targetKey.keyBase64)} ${MIGRATION_TAG}`;
}

/** Sets the key up; each step it made is undone when a later one fails. */
export async function setUpMigrationKey(source: ProcessRunner, target: ProcessRunner, targetKey: PresentedKey, sourceLabel: string): Promise<{ publicKey: string; fingerprint: string }> {
  const output = await sh(source, KEY_SCRIPT, [MIGRATION_KEY_NAME, `${MIGRATION_TAG}:${sourceLabel.replace(/\s+/g, '_')}`]);
  const generated = output.startsWith('NEW\n');
  const publicKey = (generated ? output.slice(4) : output).trim();
  const blob = publicKey.split(/\s+/)[1];
  if (!/^ssh-ed25519 /.test(publicKey) || !blob) throw new ContractError('file-error', 'The key pair on the source host could not be read.', publicKey.slice(0, 200));
  const hostLine = knownHostsLine(targetKey);
  let hostLineAdded = false;
  try {
    hostLineAdded = (await sh(source, APPEND_SCRIPT, ['.ssh/known_hosts', hostLine])).includes('ADDED');
    await sh(target, APPEND_SCRIPT, ['.ssh/authorized_keys', publicKey]);
  } catch (error) {
    if (hostLineAdded) await sh(source, REMOVE_SCRIPT, ['.ssh/known_hosts', hostLine]).catch(() => undefined);
    if (generated) await sh(source, REMOVE_KEY_SCRIPT, [MIGRATION_KEY_NAME]).catch(() => undefined);
    throw error;
  }
  return { publicKey, fingerprint: fingerprintSha256(blob) };
}

/** Takes VirtDeck's key out of the target's authorized_keys and its line for the target out of the source's known_hosts. */
export async function removeMigrationKey(source: ProcessRunner, target: ProcessRunner, targetKey: PresentedKey | undefined): Promise<{ removedAuthorizations: number; removedKnownHosts: number }> {
  const keyFile = await migrationKeyFile(source);
  let removedAuthorizations = 0;
  if (keyFile) {
    const publicKey = (await sh(source, 'cat "$HOME/$1.pub"', [MIGRATION_KEY_NAME])).trim();
    removedAuthorizations = Number((await sh(target, REMOVE_SCRIPT, ['.ssh/authorized_keys', publicKey])).trim()) || 0;
  }
  const removedKnownHosts = targetKey ? Number((await sh(source, REMOVE_SCRIPT, ['.ssh/known_hosts', knownHostsLine(targetKey)])).trim()) || 0 : 0;
  return { removedAuthorizations, removedKnownHosts };
}
