import { describe, expect, it } from 'vitest';
import { classify } from '../../main/connection/sshConnection.js';

const failure = (message: string, extra: { code?: string; level?: string } = {}) => Object.assign(new Error(message), extra);

describe('classify (ssh2 errors → what the tree shows)', () => {
  // An unresolvable name is not tried against the lab: a lookup would leave this closed machine.
  it.each([
    [failure('getaddrinfo ENOTFOUND kvm99.example', { code: 'ENOTFOUND' }), 'unreachable'],
    [failure('getaddrinfo EAI_AGAIN kvm99.example', { code: 'EAI_AGAIN' }), 'unreachable'],
    [failure('connect ECONNREFUSED 10.0.0.1:22', { code: 'ECONNREFUSED' }), 'unreachable'],
    [failure('connect EHOSTUNREACH', { code: 'EHOSTUNREACH' }), 'unreachable'],
    [failure('Timed out while waiting for handshake'), 'timeout'],
    [failure('All configured authentication methods failed', { level: 'client-authentication' }), 'auth-failed'],
    [failure('something odd'), 'error'],
  ] as const)('%s → %s', (error, kind) => {
    expect(classify(error, false)).toBe(kind);
  });

  it('a refused host key wins over whatever ssh2 said', () => {
    expect(classify(failure('Handshake failed: signature verification failed'), true)).toBe('host-key-rejected');
  });
});
