import { createHmac, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fingerprintSha256,
  formatKnownHostLine,
  hostsFieldMatches,
  keyTypeOfBlob,
  knownKeyTypes,
  parseKnownHosts,
  removeHostLines,
  verifyHostKey,
} from '../../main/connection/knownHosts.js';

function realKey(): { type: string; key: string; fingerprint: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vd-kh-'));
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
    const [type, key] = readFileSync(join(dir, 'k.pub'), 'utf8').trim().split(' ');
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'k.pub')]).toString().split(' ')[1];
    return { type: type!, key: key!, fingerprint: fingerprint! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  const a = realKey();
  const b = realKey();

  it('computes the same SHA256 fingerprint as ssh-keygen, and reads the key type from the blob', () => {
    expect(fingerprintSha256(a.key)).toBe(a.fingerprint);
    expect(keyTypeOfBlob(Buffer.from(a.key, 'base64'))).toBe('ssh-ed25519');
  });

  it('matches plain, bracketed-port, pattern, negated and hashed names', () => {
    expect(hostsFieldMatches('host1,host2', 'host2', 22)).toBe(true);
    expect(hostsFieldMatches('host1', 'host1', 2222)).toBe(false);
    expect(hostsFieldMatches('[host1]:2222', 'host1', 2222)).toBe(true);
    expect(hostsFieldMatches('*.lab.example,!bad.lab.example', 'good.lab.example', 22)).toBe(true);
    expect(hostsFieldMatches('*.lab.example,!bad.lab.example', 'bad.lab.example', 22)).toBe(false);
    expect(hostsFieldMatches('10.0.0.?', '10.0.0.7', 22)).toBe(true);
    expect(hostsFieldMatches(hashed('hidden.example'), 'hidden.example', 22)).toBe(true);
    expect(hostsFieldMatches(hashed('[hidden.example]:2200'), 'hidden.example', 2200)).toBe(true);
    expect(hostsFieldMatches(hashed('hidden.example'), 'other.example', 22)).toBe(false);
  });

  it('says trusted, unknown, changed or revoked', () => {
    const file = parseKnownHosts(
      [
        '# comment',
        `host1 ${a.type} ${a.key}`,
        `${hashed('[host2]:2200')} ${b.type} ${b.key} comment here`,
        `@revoked * ${b.type} ${b.key}`,
        `@cert-authority *.example ${a.type} ${a.key}`,
        'garbage',
      ].join('\n'),
    );
    expect(verifyHostKey(file, 'host1', 22, a.type, a.key)).toEqual({ kind: 'trusted' });
    expect(verifyHostKey(file, 'host1', 22, a.type, realKey().key)).toEqual({ kind: 'changed', knownTypes: ['ssh-ed25519'] });
    expect(verifyHostKey(file, 'nobody', 22, a.type, a.key)).toEqual({ kind: 'unknown' });
    // A CA line alone never trusts a plain key.
    expect(verifyHostKey(file, 'x.example', 22, a.type, a.key)).toEqual({ kind: 'unknown' });
    // Revoked wins even where the key is also listed as trusted.
    expect(verifyHostKey(file, 'host2', 2200, b.type, b.key)).toEqual({ kind: 'revoked' });
    expect(knownKeyTypes(file, 'host1', 22)).toEqual(['ssh-ed25519']);
  });

  it('removes only the lines of one host and keeps revocations and comments', () => {
    const text = [`# mine`, formatKnownHostLine('h', 22, a.type, a.key), formatKnownHostLine('h', 2222, a.type, a.key), `@revoked h ${b.type} ${b.key}`].join('\n');
    const { text: after, removed } = removeHostLines(text, 'h', 22);
    expect(removed).toBe(1);
    expect(after).toContain('# mine');
    expect(after).toContain('[h]:2222');
    expect(after).toContain('@revoked');
  });
});
