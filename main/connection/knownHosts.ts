/**
 * known_hosts files: parsing, matching and editing, in OpenSSH's format.
 *
 * Supported: plain and hashed (`|1|salt|hash`) host names, `[host]:port`, comma-separated
 * patterns with `*`, `?` and `!` negation, and `@revoked` lines. `@cert-authority` lines are
 * read but never trust a key by themselves (VirtDeck does not verify host certificates).
 */
import { createHash, createHmac } from 'node:crypto';

export interface KnownHostLine {
  /** 0-based line number in its file. */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  hosts: string;
  keyType: string;
  /** The key blob, base64 as in the file. */
  key: string;
}

export type HostKeyVerdict =
  | { kind: 'trusted' }
  | { kind: 'unknown' }
  | { kind: 'changed'; knownTypes: string[] }
  | { kind: 'revoked' };

export function parseKnownHosts(text: string): KnownHostLine[] {
  const entries: KnownHostLine[] = [];
  text.split('\n').forEach((raw, line) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostLine['marker'];
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift();
      if (name === '@revoked') marker = 'revoked';
      else if (name === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) return;
    entries.push(marker ? { line, marker, hosts, keyType, key } : { line, hosts, keyType, key });
  });
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function hashedMatches(entry: string, name: string): boolean {
  const [, , salt, hash] = entry.split('|');
  if (!salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** Whether a host-names field (comma-separated patterns, or one hashed name) matches. */
export function hostsFieldMatches(field: string, host: string, port: number): boolean {
  const name = hostKeyName(host, port);
  if (field.startsWith('|1|')) return hashedMatches(field, name);
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (globToRegExp(body).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

export function verifyHostKey(entries: readonly KnownHostLine[], host: string, port: number, keyType: string, keyBase64: string): HostKeyVerdict {
  if (entries.some((entry) => entry.marker === 'revoked' && entry.key === keyBase64)) return { kind: 'revoked' };
  const known = entries.filter((entry) => entry.marker === undefined && hostsFieldMatches(entry.hosts, host, port));
  if (known.some((entry) => entry.keyType === keyType && entry.key === keyBase64)) return { kind: 'trusted' };
  if (known.length > 0) return { kind: 'changed', knownTypes: [...new Set(known.map((entry) => entry.keyType))] };
  return { kind: 'unknown' };
}

/** Key types on record for a host, so the connection can ask the server for one of those. */
export function knownKeyTypes(entries: readonly KnownHostLine[], host: string, port: number): string[] {
  return [...new Set(entries.filter((entry) => entry.marker === undefined && hostsFieldMatches(entry.hosts, host, port)).map((entry) => entry.keyType))];
}

/** OpenSSH's fingerprint: SHA256, base64 without padding. */
export function fingerprintSha256(keyBase64: string): string {
  const digest = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** Reads the key type from an SSH public key blob (a length-prefixed string comes first). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('ascii');
}

export function formatKnownHostLine(host: string, port: number, keyType: string, keyBase64: string): string {
  return `${hostKeyName(host, port)} ${keyType} ${keyBase64}`;
}

/** The file's text without the lines that name this host (revocations stay). */
export function removeHostLines(text: string, host: string, port: number): { text: string; removed: number } {
  const drop = new Set(
    parseKnownHosts(text)
      .filter((entry) => entry.marker === undefined && hostsFieldMatches(entry.hosts, host, port))
      .map((entry) => entry.line),
  );
  const lines = text.split('\n').filter((_line, index) => !drop.has(index));
  return { text: lines.join('\n'), removed: drop.size };
}
