/**
 * Which host-key algorithms to ask a server for first. A server with several host keys shows
 * the one the client prefers; if known_hosts holds only its ecdsa key while our default
 * prefers ed25519, the server shows a key we have never seen and the host looks "changed".
 * OpenSSH avoids that by putting the algorithms of the key types it already knows for the host
 * first in HostKeyAlgorithms (order_hostkeyalgs in sshconnect2.c); so do we.
 */

/** ssh2's algorithm names per known_hosts key type, in OpenSSH's order of preference. */
const ALGORITHMS_BY_KEY_TYPE: ReadonlyArray<readonly [keyType: string, algorithms: readonly string[]]> = [
  ['ssh-ed25519', ['ssh-ed25519']],
  ['ecdsa-sha2-nistp256', ['ecdsa-sha2-nistp256']],
  ['ecdsa-sha2-nistp384', ['ecdsa-sha2-nistp384']],
  ['ecdsa-sha2-nistp521', ['ecdsa-sha2-nistp521']],
  // An RSA key signs with SHA-2 first; plain ssh-rsa (SHA-1) keeps its place at the end.
  ['ssh-rsa', ['rsa-sha2-512', 'rsa-sha2-256']],
];

/** The algorithms to move to the front for these known key types (none: keep the defaults). */
export function preferredHostKeyAlgorithms(knownKeyTypes: readonly string[]): string[] {
  const known = new Set(knownKeyTypes);
  return ALGORITHMS_BY_KEY_TYPE.filter(([keyType]) => known.has(keyType)).flatMap(([, algorithms]) => algorithms);
}
