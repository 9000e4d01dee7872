/**
 * Which of a server's /etc/ssh/ssh_host_*_key.pub files holds a key of this type, so the
 * prompt can show the exact command to read its fingerprint on the server.
 */
export function hostKeyFileName(keyType: string): string {
  const type = keyType.toLowerCase();
  const kind = type.includes('ed25519')
    ? 'ed25519'
    : type.startsWith('ecdsa') || type.includes('nistp')
      ? 'ecdsa'
      : type.includes('rsa')
        ? 'rsa'
        : type.includes('dss') || type.includes('dsa')
          ? 'dsa'
          : '*';
  return `/etc/ssh/ssh_host_${kind}_key.pub`;
}
