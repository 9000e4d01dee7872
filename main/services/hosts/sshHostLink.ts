/**
 * Opens an SSH host link from a host profile: builds the jump chain, answers authentication
 * from remembered or typed secrets, sends every host key through HostKeyTrust and every
 * question through the PromptBroker, and turns failures into host statuses.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
// ssh2 is CommonJS: Node's ESM loader sees only some of its names, so take them off the default export.
import ssh2 from 'ssh2';
import type { HostProfile, JumpHost } from '../../../preload/contract.js';
import { SshConnection, SshFailure, type SshAuth, type SshEndpoint, type SshFailureKind, type SshHooks } from '../../connection/sshConnection.js';
import type { HostKeyVerdict } from '../../connection/knownHosts.js';
import { HostKeyTrust, type PresentedKey } from './hostKeyTrust.js';
import { LinkFailure, type HostLink, type LinkOpener } from './hostLink.js';
import { PersonWaits } from './personWaits.js';
import type { PromptBroker } from '../prompts/promptBroker.js';
import type { SecretVault } from '../secrets/secretVault.js';

export interface SshLinkContext {
  /** One trust store for every host, so "accept once" lasts for the whole run. */
  trust: HostKeyTrust;
  prompts: PromptBroker;
  vault: SecretVault;
  /** Secrets typed during this run, by vault key: memory only, for reconnects. */
  sessionSecrets: Map<string, string>;
}

export function expandHome(path: string): string {
  return path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
}

function secretKey(profile: HostProfile, kind: 'password' | 'passphrase', keyFile?: string): string {
  return kind === 'password' ? `password:${profile.id}` : `passphrase:${profile.id}:${keyFile ?? ''}`;
}

/**
 * Whether a vault key holds a secret of this profile — every passphrase, also of key files it
 * no longer names after an edit — so removing the profile leaves nothing of it behind.
 */
export function isSecretOfProfile(key: string, profileId: string): boolean {
  return key === `password:${profileId}` || key.startsWith(`passphrase:${profileId}:`);
}

async function keyNeedsPassphrase(keyFile: string): Promise<boolean> {
  let data: Buffer;
  try {
    data = await readFile(keyFile);
  } catch (error) {
    throw new LinkFailure('auth-failed', `Cannot read the key file ${keyFile}: ${(error as Error).message}`, false);
  }
  const parsed = ssh2.utils.parseKey(data);
  return parsed instanceof Error && /encrypted|passphrase/i.test(parsed.message);
}

/** Failures of the network, not of the login: worth connecting again once a person has answered. */
const LOST_WHILE_ASKING: ReadonlySet<SshFailureKind> = new Set(['unreachable', 'timeout', 'error']);

export function sshLinkOpener(profile: HostProfile, context: SshLinkContext): LinkOpener {
  return async (): Promise<HostLink> => {
    const { prompts, vault, sessionSecrets } = context;
    const usedSecrets: string[] = [];
    const waits = new PersonWaits();
    /** The person declined (cancelled a password or 2FA question): final for this attempt. */
    let declined: LinkFailure | undefined;

    /** A remembered secret, or one the user types now (null when they cancel). */
    const obtainSecret = async (kind: 'password' | 'passphrase', target: string, keyFile?: string): Promise<string> => {
      const key = secretKey(profile, kind, keyFile);
      const known = sessionSecrets.get(key) ?? (await vault.get(key));
      if (known !== undefined) {
        usedSecrets.push(key);
        return known;
      }
      const answer = await prompts.ask({
        kind: 'secret',
        hostId: profile.id,
        hostLabel: profile.label,
        secret: kind,
        target,
        canRemember: vault.canRemember,
      });
      if (!answer || answer.kind !== 'secret' || answer.value === null) {
        declined = new LinkFailure('auth-failed', 'Authentication was cancelled.', false);
        throw declined;
      }
      sessionSecrets.set(key, answer.value);
      usedSecrets.push(key);
      if (answer.remember && profile.rememberSecret && vault.canRemember) await vault.set(key, answer.value);
      return answer.value;
    };

    const keyAuth = async (keyFile: string): Promise<SshAuth> => {
      const path = expandHome(keyFile);
      if (await keyNeedsPassphrase(path)) return { method: 'key', keyFile: path, passphrase: () => waits.track(() => obtainSecret('passphrase', keyFile, keyFile)) };
      return { method: 'key', keyFile: path };
    };

    const hopEndpoint = async (hop: JumpHost): Promise<SshEndpoint> => ({
      host: hop.address,
      port: hop.port,
      username: hop.user,
      auth: hop.auth === 'key' && hop.keyFile ? await keyAuth(hop.keyFile) : { method: 'agent' },
    });

    const target = `${profile.user}@${profile.address}`;
    let auth: SshAuth;
    switch (profile.auth) {
      case 'agent':
        auth = { method: 'agent' };
        break;
      case 'key':
        auth = await keyAuth(profile.keyFile ?? '');
        break;
      case 'password':
        auth = { method: 'password', password: () => waits.track(() => obtainSecret('password', target)) };
        break;
      case 'keyboard-interactive':
        auth = { method: 'keyboard-interactive' };
        break;
    }
    const endpoint: SshEndpoint = { host: profile.address, port: profile.port, username: profile.user, auth };
    const jumps = await Promise.all(profile.jumpHosts.map(hopEndpoint));

    // The last refusal, so a failed connect can say whether the key changed or was declined.
    let refusal: { verdict: HostKeyVerdict; key: PresentedKey } | undefined;
    const askAboutKey = async (key: PresentedKey) => {
      const answer = await prompts.ask({
        kind: 'host-key',
        hostId: profile.id,
        hostLabel: profile.label,
        host: key.host,
        port: key.port,
        keyType: key.keyType,
        fingerprint: key.fingerprint,
      });
      return answer?.kind === 'host-key' ? answer.decision : 'reject';
    };
    const hooks: SshHooks = {
      checkHostKey: (dialled, blob) =>
        waits.track(async () => {
          const key = HostKeyTrust.describe(dialled.host, dialled.port, blob);
          const result = await context.trust.check(key, askAboutKey);
          if (!result.ok) refusal = { verdict: result.verdict, key };
          return result.ok;
        }),
      // Ask the server for a key type we already know, as OpenSSH does, so a host with several
      // keys is not taken for a changed one.
      knownHostKeyTypes: (dialled) => context.trust.knownKeyTypes(dialled.host, dialled.port),
      answerPrompts: (_dialled, name, instructions, questions) =>
        waits.track(() =>
          waits.keyboardAnswers(JSON.stringify([name, instructions, questions]), async () => {
            const answer = await prompts.ask({ kind: 'keyboard-interactive', hostId: profile.id, hostLabel: profile.label, name, instructions, prompts: questions });
            if (answer?.kind === 'keyboard-interactive' && answer.answers) return answer.answers;
            declined = new LinkFailure('auth-failed', 'Authentication was cancelled.', false);
            return [];
          }),
        ),
    };

    const hostKeyFailure = (where: string): LinkFailure => {
      const presented = refusal ? { keyType: refusal.key.keyType, fingerprint: refusal.key.fingerprint } : undefined;
      const kind = refusal?.verdict.kind;
      const status = kind === 'changed' ? 'host-key-changed' : kind === 'revoked' ? 'host-key-revoked' : 'host-key-rejected';
      return new LinkFailure(status, `${where}: host key not accepted`, false, presented);
    };

    const linkFailure = async (error: unknown): Promise<unknown> => {
      if (!(error instanceof SshFailure)) return error;
      const where = `${error.endpoint.username}@${error.endpoint.host}:${error.endpoint.port}`;
      // A key refused while the server had already gone is still a refused key.
      if (refusal) return hostKeyFailure(`${refusal.key.host}:${refusal.key.port}`);
      switch (error.kind) {
        case 'unreachable':
        case 'timeout':
          return new LinkFailure('unreachable', `${where}: ${error.message}`, true);
        case 'auth-failed':
          // A remembered secret that no longer works is forgotten, so the next try asks.
          for (const key of usedSecrets) {
            sessionSecrets.delete(key);
            await vault.delete(key);
          }
          return new LinkFailure('auth-failed', `${where}: ${error.message}`, false);
        case 'host-key-rejected':
          return hostKeyFailure(where);
        default:
          return new LinkFailure('error', `${where}: ${error.message}`, true);
      }
    };

    for (;;) {
      waits.begin();
      try {
        const connection = await SshConnection.connect(endpoint, jumps, hooks);
        return { runner: connection, onClose: (listener) => connection.onClose(listener), dispose: () => connection.dispose() };
      } catch (error) {
        // The server gave up on the login (LoginGraceTime) while the person was still answering:
        // wait for that answer — the one open question — and connect again with it.
        if (error instanceof SshFailure && LOST_WHILE_ASKING.has(error.kind) && waits.failed()) {
          await waits.answered();
          if (!declined && !refusal) continue;
        }
        if (declined) throw declined;
        throw await linkFailure(error);
      }
    }
  };
}
