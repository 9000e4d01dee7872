import { describe, expect, it } from 'vitest';
import { preferredHostKeyAlgorithms } from '../../main/connection/hostKeyAlgorithms.js';

describe('preferredHostKeyAlgorithms (OpenSSH order_hostkeyalgs)', () => {
  it('puts the algorithms of the known key types first, in the default order of preference', () => {
    expect(preferredHostKeyAlgorithms(['ecdsa-sha2-nistp256'])).toEqual(['ecdsa-sha2-nistp256']);
    expect(preferredHostKeyAlgorithms(['ssh-rsa', 'ssh-ed25519'])).toEqual(['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256']);
  });

  it('leaves the defaults alone for unknown hosts and types ssh2 cannot verify', () => {
    expect(preferredHostKeyAlgorithms([])).toEqual([]);
    expect(preferredHostKeyAlgorithms(['ssh-ed25519-cert-v01@openssh.com', 'sk-ssh-ed25519@openssh.com', 'ssh-dss'])).toEqual([]);
  });
});
