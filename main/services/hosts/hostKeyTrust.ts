/**
 * Decides whether a host key may be used. Keys are checked against the user's
 * ~/.ssh/known_hosts (read only, except for an explicit "forget the old key") and the app's
 * own known_hosts in its config directory. An unknown key is shown to a person, who accepts it
 * once or for good; a changed or revoked key refuses the connection. Nothing is accepted
 * silently.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomicFile.js';
import { fileQueue } from '../../core/serialQueue.js';
import {
  fingerprintSha256,
  formatKnownHostLine,
  keyTypeOfBlob,
  knownKeyTypes,
  parseKnownHosts,
  removeHostLines,
  verifyHostKey,
  type HostKeyVerdict,
} from '../../connection/knownHosts.js';

export interface PresentedKey {
  host: string;
  port: number;
  keyType: string;
  keyBase64: string;
  fingerprint: string;
}

export type TrustDecision = 'once' | 'always' | 'reject';

export interface HostKeyTrustOptions {
  configDir: string;
  /** ~/.ssh/known_hosts unless told otherwise (tests). */
  userKnownHosts?: string;
  /** Asks a person about an unknown key (each check may bring its own). */
  ask?: (key: PresentedKey) => Promise<TrustDecision>;
}

export type AskAboutKey = (key: PresentedKey) => Promise<TrustDecision>;

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

export class HostKeyTrust {
  private readonly appFile: string;
  private readonly userFile: string;
  /** Keys accepted "once": for as long as the app runs. */
  private readonly sessionKeys = new Set<string>();
  /** The key each host:port last presented and that was found trusted (what a connection was made with). */
  private readonly verified = new Map<string, PresentedKey>();

  constructor(private readonly options: HostKeyTrustOptions) {
    this.appFile = join(options.configDir, 'known_hosts');
    this.userFile = options.userKnownHosts ?? join(homedir(), '.ssh', 'known_hosts');
  }

  static describe(host: string, port: number, key: Buffer): PresentedKey {
    const keyBase64 = key.toString('base64');
    return { host, port, keyType: keyTypeOfBlob(key), keyBase64, fingerprint: fingerprintSha256(keyBase64) };
  }

  private async entries() {
    return [...parseKnownHosts(await readText(this.userFile)), ...parseKnownHosts(await readText(this.appFile))];
  }

  /** Key types on record for host:port (both files, and keys accepted once), to ask the server for. */
  async knownKeyTypes(host: string, port: number): Promise<string[]> {
    const prefix = `${host}:${port}:`;
    const accepted = [...this.sessionKeys].filter((entry) => entry.startsWith(prefix)).map((entry) => entry.slice(prefix.length).split(':')[0] ?? '');
    return [...new Set([...knownKeyTypes(await this.entries(), host, port), ...accepted])];
  }

  async verdict(key: PresentedKey): Promise<HostKeyVerdict> {
    const entries = await this.entries();
    const verdict = verifyHostKey(entries, key.host, key.port, key.keyType, key.keyBase64);
    if (verdict.kind === 'unknown' && this.sessionKeys.has(this.sessionKey(key))) return { kind: 'trusted' };
    return verdict;
  }

  private sessionKey(key: PresentedKey): string {
    return `${key.host}:${key.port}:${key.keyType}:${key.keyBase64}`;
  }

  /** Returns true to use the key. Unknown keys are asked about; the others are final. */
  async check(key: PresentedKey, ask: AskAboutKey | undefined = this.options.ask): Promise<{ ok: boolean; verdict: HostKeyVerdict }> {
    const verdict = await this.verdict(key);
    if (verdict.kind !== 'unknown') {
      if (verdict.kind === 'trusted') this.verified.set(`${key.host}:${key.port}`, key);
      return { ok: verdict.kind === 'trusted', verdict };
    }
    const decision = ask ? await ask(key) : 'reject';
    if (decision === 'reject') return { ok: false, verdict };
    if (decision === 'once') this.sessionKeys.add(this.sessionKey(key));
    else await this.remember(key);
    this.verified.set(`${key.host}:${key.port}`, key);
    return { ok: true, verdict: { kind: 'trusted' } };
  }

  /** The key host:port presented when it was last connected and found trusted (this run). */
  verifiedKey(host: string, port: number): PresentedKey | undefined {
    return this.verified.get(`${host}:${port}`);
  }

  /** Appends to the app's file; read and write happen in that file's queue, so none is lost. */
  private remember(key: PresentedKey): Promise<void> {
    return fileQueue(this.appFile).run(async () => {
      const current = await readText(this.appFile);
      const line = formatKnownHostLine(key.host, key.port, key.keyType, key.keyBase64);
      const separator = current === '' || current.endsWith('\n') ? '' : '\n';
      await writeFileAtomic(this.appFile, `${current}${separator}${line}\n`, 0o600);
    });
  }

  /**
   * The explicit "forget the old key" action. Removes the host's lines from the app's store
   * and from ~/.ssh/known_hosts; the user's file is first copied to known_hosts.old, as
   * `ssh-keygen -R` does, so nothing of theirs is lost.
   */
  async forget(host: string, port: number): Promise<{ removed: number }> {
    let removed = 0;
    for (const file of [this.appFile, this.userFile]) {
      removed += await fileQueue(file).run(async () => {
        const text = await readText(file);
        if (text === '') return 0;
        const result = removeHostLines(text, host, port);
        if (result.removed === 0) return 0;
        if (file === this.userFile) await copyFile(file, `${file}.old`);
        await writeFileAtomic(file, result.text, 0o600);
        return result.removed;
      });
    }
    this.verified.delete(`${host}:${port}`);
    for (const entry of [...this.sessionKeys]) {
      if (entry.startsWith(`${host}:${port}:`)) this.sessionKeys.delete(entry);
    }
    return { removed };
  }
}
