/**
 * Proposes host profiles from the user's OpenSSH config: one candidate per Host alias, filled
 * with what ssh itself would use to connect to it. Nothing is saved here; the user picks.
 */
import { stat } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ContractError, HostProfileFields, type HostProfile, type ImportCandidate, type JumpHost } from '../../../preload/contract.js';
import {
  expandHostName,
  expandTilde,
  hostAliases,
  readSshConfig,
  resolveSshOptions,
  SshConfigSyntaxError,
  type ResolvedSshOptions,
  type SshConfigFile,
  type SshConfigIssue,
} from './sshConfig.js';

/** Catalog keys of the notes a candidate may carry (the renderer translates them). */
export const ImportNote = {
  proxyCommandIgnored: 'import.note.proxyCommandIgnored',
  proxyJumpInvalid: 'import.note.proxyJumpInvalid',
  includeMissing: 'import.note.includeMissing',
  includeCycle: 'import.note.includeCycle',
  matchUnsupported: 'import.note.matchUnsupported',
  identityFileMissing: 'import.note.identityFileMissing',
  portInvalid: 'import.note.portInvalid',
} as const;

const ISSUE_NOTES: Record<SshConfigIssue, string> = {
  'include-missing': ImportNote.includeMissing,
  'include-cycle': ImportNote.includeCycle,
  'match-unsupported': ImportNote.matchUnsupported,
};

const MAX_JUMP_HOSTS = 8;
const DEFAULT_PORT = 22;

function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // userInfo() throws for a uid without a passwd entry (some containers).
    return process.env.USER ?? process.env.USERNAME ?? 'root';
  }
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

interface Endpoint {
  address: string;
  port: number;
  user: string;
  keyFile?: string;
}

/** One `[user@]host[:port]` (or `ssh://…`) hop of a ProxyJump chain. */
function parseJumpSpec(raw: string): { host: string; user?: string; port?: string } | undefined {
  let spec = raw.trim();
  if (/^ssh:\/\//i.test(spec)) spec = spec.slice('ssh://'.length).replace(/\/$/, '');
  let user: string | undefined;
  const at = spec.lastIndexOf('@');
  if (at >= 0) {
    user = spec.slice(0, at);
    spec = spec.slice(at + 1);
    if (!user) return undefined;
  }
  let host = spec;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(spec);
  if (bracketed) {
    host = bracketed[1] ?? '';
    port = bracketed[2];
  } else if (spec.split(':').length === 2) {
    // More than one colon without brackets is a bare IPv6 address, not host:port.
    [host = '', port] = spec.split(':');
  }
  if (!host || (port !== undefined && parsePort(port) === undefined)) return undefined;
  const hop: { host: string; user?: string; port?: string } = { host };
  if (user !== undefined) hop.user = user;
  if (port !== undefined) hop.port = port;
  return hop;
}

/** Reads one config into candidates; holds what every candidate's resolution needs. */
class CandidateBuilder {
  private readonly localUser = localUserName();

  constructor(
    private readonly config: SshConfigFile,
    private readonly homeDir: string,
  ) {}

  /** Expands an IdentityFile path as ssh does: `~` first, then %-tokens. */
  private keyPath(value: string, tokens: Record<string, string>): string {
    const expanded = expandTilde(value, this.homeDir).replace(/%([%a-zA-Z])/g, (whole, token: string) => (token === '%' ? '%' : (tokens[token] ?? whole)));
    // ssh reads a relative path from its working directory, which for someone at a terminal
    // is nearly always their home; VirtDeck's own working directory means nothing to them.
    return isAbsolute(expanded) ? expanded : resolve(this.homeDir, expanded);
  }

  private endpoint(host: string, given: { user?: string; port?: string }, notes: Set<string>): { options: ResolvedSshOptions; endpoint: Endpoint } {
    const options = resolveSshOptions(this.config, host, { localUser: this.localUser, ...given });
    for (const issue of options.issues) notes.add(ISSUE_NOTES[issue]);
    const address = expandHostName(options.first('hostname') ?? host, host);
    const portText = options.first('port');
    let port = portText === undefined ? DEFAULT_PORT : parsePort(portText);
    if (port === undefined) {
      notes.add(ImportNote.portInvalid);
      port = DEFAULT_PORT;
    }
    const user = options.first('user') ?? this.localUser;
    const endpoint: Endpoint = { address, port, user };
    // ssh offers every IdentityFile in turn; a profile holds one, so the first it would try.
    const identity = options.get('identityfile')?.[0];
    if (identity !== undefined) {
      endpoint.keyFile = this.keyPath(identity, { d: this.homeDir, u: this.localUser, h: address, r: user, p: String(port), n: host });
    }
    return { options, endpoint };
  }

  private proxyNotes(options: ResolvedSshOptions, notes: Set<string>): void {
    const command = options.first('proxycommand');
    if (command !== undefined && command.toLowerCase() !== 'none') notes.add(ImportNote.proxyCommandIgnored);
  }

  /**
   * The hops of a ProxyJump chain, first hop first. ssh reaches the first hop with that hop's
   * own config — including its own ProxyJump — so that chain comes in front. Undefined for a
   * chain that cannot be followed (unparsable hop, or a loop).
   */
  private jumpChain(spec: string, visited: ReadonlySet<string>, notes: Set<string>): JumpHost[] | undefined {
    if (spec.toLowerCase() === 'none') return [];
    const hops: JumpHost[] = [];
    for (const [index, hopSpec] of spec.split(',').entries()) {
      const parsed = parseJumpSpec(hopSpec);
      if (!parsed) return undefined;
      const given: { user?: string; port?: string } = {};
      if (parsed.user !== undefined) given.user = parsed.user;
      if (parsed.port !== undefined) given.port = parsed.port;
      const { options, endpoint } = this.endpoint(parsed.host, given, notes);
      if (index === 0) {
        if (visited.has(parsed.host)) return undefined;
        const ownJump = options.first('proxyjump');
        if (ownJump !== undefined) {
          const inner = this.jumpChain(ownJump, new Set([...visited, parsed.host]), notes);
          if (!inner) return undefined;
          hops.push(...inner);
        }
        this.proxyNotes(options, notes);
      }
      const hop: JumpHost = { address: endpoint.address, port: endpoint.port, user: endpoint.user, auth: endpoint.keyFile ? 'key' : 'agent' };
      if (endpoint.keyFile) hop.keyFile = endpoint.keyFile;
      hops.push(hop);
    }
    return hops;
  }

  async candidate(alias: string, existing: readonly HostProfile[]): Promise<ImportCandidate | undefined> {
    const notes = new Set<string>();
    const { options, endpoint } = this.endpoint(alias, {}, notes);
    this.proxyNotes(options, notes);
    let jumpHosts: JumpHost[] = [];
    const jumpSpec = options.first('proxyjump');
    if (jumpSpec !== undefined) {
      const chain = this.jumpChain(jumpSpec, new Set([alias]), notes);
      if (chain && chain.length <= MAX_JUMP_HOSTS) jumpHosts = chain;
      else notes.add(ImportNote.proxyJumpInvalid);
    }
    const keyFiles = [endpoint.keyFile, ...jumpHosts.map((hop) => hop.keyFile)].filter((file): file is string => file !== undefined);
    for (const file of keyFiles) {
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) notes.add(ImportNote.identityFileMissing);
    }

    // PreferredAuthentications names what the user actually signs in with; its first method that
    // a profile can hold wins (publickey falls through to key or agent below).
    const preferred = (options.first('preferredauthentications') ?? '').split(',').map((method) => method.trim().toLowerCase());
    const firstInteractive = preferred.find((method) => method === 'password' || method === 'keyboard-interactive' || method === 'publickey');
    const auth = firstInteractive === 'password' || firstInteractive === 'keyboard-interactive' ? firstInteractive : endpoint.keyFile ? 'key' : 'agent';
    const parsed = HostProfileFields.safeParse({
      label: alias,
      address: endpoint.address,
      port: endpoint.port,
      user: endpoint.user,
      auth,
      ...(auth === 'key' && endpoint.keyFile ? { keyFile: endpoint.keyFile } : {}),
      jumpHosts,
      uri: 'qemu:///system',
      sudo: false,
      folder: 'Imported',
      tags: [],
      rememberSecret: false,
    });
    // A value no profile can hold (e.g. a 300-character user name) could not be saved anyway.
    if (!parsed.success) return undefined;
    const fields = parsed.data;
    const candidate: ImportCandidate = { alias, fields, notes: [...notes] };
    const same = existing.find(
      (profile) => profile.user === fields.user && profile.port === fields.port && profile.address.toLowerCase() === fields.address.toLowerCase(),
    );
    if (same) candidate.existingId = same.id;
    return candidate;
  }
}

function errorDetail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readConfig(path: string, homeDir: string): Promise<SshConfigFile> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    const message =
      error.code === 'ENOENT'
        ? `There is no SSH config file at ${path}. Choose the file you use with ssh (usually ~/.ssh/config).`
        : `Cannot read ${path}. Check that your user may read it.`;
    throw new ContractError('import-failed', message, errorDetail(error));
  });
  if (!info.isFile()) {
    throw new ContractError('import-failed', `${path} is not a file. Choose your SSH config file (usually ~/.ssh/config).`);
  }
  try {
    return await readSshConfig(path, homeDir);
  } catch (error) {
    if (error instanceof SshConfigSyntaxError) {
      throw new ContractError('import-failed', `Cannot import: ${error.message}. ssh would refuse this file too; fix that line and try again.`, error.message);
    }
    throw new ContractError('import-failed', `Cannot read ${path}. Check that your user may read it.`, errorDetail(error));
  }
}

/** Reads ~/.ssh/config (or `path`) and proposes one profile per Host alias; changes nothing. */
export async function previewSshConfigImport(options: { path?: string; homeDir?: string; existing: HostProfile[] }): Promise<ImportCandidate[]> {
  const homeDir = options.homeDir ?? homedir();
  const path = options.path === undefined ? join(homeDir, '.ssh', 'config') : resolve(homeDir, expandTilde(options.path, homeDir));
  const config = await readConfig(path, homeDir);
  const builder = new CandidateBuilder(config, homeDir);
  const candidates: ImportCandidate[] = [];
  for (const alias of hostAliases(config)) {
    const candidate = await builder.candidate(alias, options.existing);
    if (candidate) candidates.push(candidate);
  }
  return candidates;
}
