/**
 * An OpenSSH client config (~/.ssh/config) read the way `ssh` reads it (ssh_config(5) and
 * OpenSSH's readconf.c): keywords are case-insensitive, the first value obtained for an option
 * wins, Host/Match blocks apply in file order, and Include is followed (relative to ~/.ssh,
 * with globs, inline at the place it appears).
 *
 * Written here rather than taken from the `ssh-config` npm package: its compute() runs
 * `Match exec` commands through a shell and `nslookup` synchronously by default, matches `?`
 * as "zero or one character", treats keywords case-sensitively unless asked, and does not
 * follow Include. Reading a config must never run anything.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, parse as parsePath, resolve } from 'node:path';

export interface SshConfigLine {
  /** Lower-cased, as ssh compares keywords. */
  keyword: string;
  args: string[];
  file: string;
  line: number;
}

/** Things a reader of the config should be told about; none of them stops the import. */
export type SshConfigIssue = 'include-missing' | 'include-cycle' | 'match-unsupported';

type Entry =
  | { kind: 'line'; line: SshConfigLine }
  | { kind: 'include'; line: SshConfigLine; files: SshConfigFile[]; issues: SshConfigIssue[] };

export interface SshConfigFile {
  path: string;
  entries: Entry[];
}

/** A line ssh itself would refuse (an unterminated quote). */
export class SshConfigSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file} line ${line}: ${message}`);
    this.name = 'SshConfigSyntaxError';
  }
}

/** ssh gives up beyond this many nested Includes (READCONF_MAX_DEPTH). */
const MAX_INCLUDE_DEPTH = 16;

/** Splits arguments like OpenSSH's argv_split: quotes, backslash escapes, `#` ends the line. */
function splitArguments(text: string): string[] | undefined {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i += 1;
      continue;
    }
    if (c === '#') break;
    let arg = '';
    let quote: string | undefined;
    for (; i < text.length; i += 1) {
      const ch = text[i] ?? '';
      const next = text[i + 1];
      if (ch === '\\' && (next === '"' || next === "'" || next === '\\' || (quote === undefined && next === ' '))) {
        arg += next;
        i += 1;
      } else if (quote === undefined && (ch === ' ' || ch === '\t')) break;
      else if (quote === undefined && (ch === '"' || ch === "'")) quote = ch;
      else if (quote !== undefined && ch === quote) quote = undefined;
      else arg += ch;
    }
    if (quote !== undefined) return undefined;
    args.push(arg);
  }
  return args;
}

/** `Keyword args`, `Keyword=args` or `Keyword = args`; undefined for blank and comment lines. */
function parseLine(raw: string, file: string, line: number): SshConfigLine | undefined {
  const match = /^[ \t]*([^ \t=#"][^ \t="]*)(?:[ \t]*=[ \t]*|[ \t]+)(.*)$/.exec(raw.replace(/[ \t\r\f]+$/, ''));
  if (!match?.[1]) return undefined;
  const args = splitArguments(match[2] ?? '');
  if (args === undefined) throw new SshConfigSyntaxError(file, line, 'unterminated quote');
  // ssh refuses a keyword without arguments; there is nothing to take from it.
  if (args.length === 0) return undefined;
  return { keyword: match[1].toLowerCase(), args, file, line };
}

/** HostName allows only %h (the name as typed) and %%. */
export function expandHostName(value: string, host: string): string {
  return value.replace(/%([%h])/g, (_, token: string) => (token === 'h' ? host : '%'));
}

export function expandTilde(path: string, homeDir: string): string {
  if (path === '~') return homeDir;
  return path.startsWith('~/') || path.startsWith('~\\') ? join(homeDir, path.slice(2)) : path;
}

const GLOB_CHARS = /[*?[]/;

/** One path segment of a glob(3) pattern as a regular expression. */
function segmentRegex(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i += 1) {
    const c = segment[i] ?? '';
    const close = c === '[' ? segment.indexOf(']', i + 2) : -1;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (close > 0) {
      const set = segment.slice(i + 1, close);
      source += `[${set.startsWith('!') ? `^${set.slice(1)}` : set}]`.replace(/\\/g, '\\\\');
      i = close;
    } else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Expands a glob the way glob(3) does for Include: sorted, dot files only when asked for. */
async function expandGlob(pattern: string): Promise<string[]> {
  const { root } = parsePath(pattern);
  const segments = pattern.slice(root.length).split(/[\\/]+/).filter((segment) => segment.length > 0);
  let paths = [root];
  for (const segment of segments) {
    if (!GLOB_CHARS.test(segment)) {
      paths = paths.map((path) => join(path, segment));
      continue;
    }
    const regex = segmentRegex(segment);
    const next: string[] = [];
    for (const path of paths) {
      const names = await readdir(path).catch(() => [] as string[]);
      for (const name of names) {
        if (regex.test(name) && (segment.startsWith('.') || !name.startsWith('.'))) next.push(join(path, name));
      }
    }
    paths = next;
  }
  // Directories that match (config.d/* next to a config.d/old/ folder) read as empty for ssh.
  const files = await Promise.all(paths.map(async (path) => ((await stat(path).catch(() => undefined))?.isFile() ? path : undefined)));
  return files.filter((path): path is string => path !== undefined).sort();
}

interface LoadContext {
  homeDir: string;
  /** Real paths of the files that include the one being read, to stop cycles. */
  ancestors: string[];
}

async function includeTargets(line: SshConfigLine, homeDir: string): Promise<string[]> {
  const targets: string[] = [];
  for (const arg of line.args) {
    const expanded = expandTilde(arg, homeDir);
    // Relative Include paths in a user's config are relative to ~/.ssh, not to the file.
    const absolute = isAbsolute(expanded) ? expanded : join(homeDir, '.ssh', expanded);
    // A glob that matches nothing is fine for ssh; a named file that is missing gets a note.
    targets.push(...(GLOB_CHARS.test(absolute) ? await expandGlob(absolute) : [absolute]));
  }
  return targets;
}

async function loadFile(path: string, context: LoadContext): Promise<SshConfigFile> {
  // A byte-order mark (Windows editors) would otherwise glue itself to the first keyword.
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const self = await realpath(path).catch(() => resolve(path));
  const entries: Entry[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = parseLine(raw, path, index + 1);
    if (!line) continue;
    if (line.keyword !== 'include') {
      entries.push({ kind: 'line', line });
      continue;
    }
    const include: Extract<Entry, { kind: 'include' }> = { kind: 'include', line, files: [], issues: [] };
    for (const target of await includeTargets(line, context.homeDir)) {
      const real = await realpath(target).catch(() => resolve(target));
      if (real === self || context.ancestors.includes(real) || context.ancestors.length + 1 >= MAX_INCLUDE_DEPTH) {
        include.issues.push('include-cycle');
        continue;
      }
      try {
        include.files.push(await loadFile(target, { ...context, ancestors: [...context.ancestors, self] }));
      } catch (error) {
        if (error instanceof SshConfigSyntaxError) throw error;
        // Missing, a directory, or not readable: ssh would skip or complain; we tell the user.
        include.issues.push('include-missing');
      }
    }
    entries.push(include);
  }
  return { path, entries };
}

/** Reads a config file and everything it includes. Errors reading the file itself are thrown. */
export function readSshConfig(path: string, homeDir: string): Promise<SshConfigFile> {
  return loadFile(path, { homeDir, ancestors: [] });
}

function* allLines(file: SshConfigFile): Generator<SshConfigLine> {
  for (const entry of file.entries) {
    yield entry.line;
    if (entry.kind === 'include') for (const included of entry.files) yield* allLines(included);
  }
}

const isPattern = (arg: string): boolean => arg.startsWith('!') || /[*?]/.test(arg);

/** Host names written out in `Host` lines (not patterns or negations), in file order. */
export function hostAliases(config: SshConfigFile): string[] {
  const aliases = new Set<string>();
  for (const line of allLines(config)) {
    if (line.keyword === 'host') for (const arg of line.args) if (!isPattern(arg)) aliases.add(arg);
  }
  return [...aliases];
}

/** ssh's match_pattern: `*` is any run of characters, `?` exactly one. */
export function matchPattern(text: string, pattern: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(text);
}

/** A comma-separated pattern list: any negated match vetoes, otherwise any match counts. */
function matchPatternList(text: string, list: string): boolean {
  let matched = false;
  for (const pattern of list.split(',')) {
    if (pattern.startsWith('!')) {
      if (matchPattern(text, pattern.slice(1))) return false;
    } else if (matchPattern(text, pattern)) matched = true;
  }
  return matched;
}

/** Options may be repeated and all of them kept (ssh tries every IdentityFile in order). */
const CUMULATIVE = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward', 'sendenv', 'setenv']);

export class ResolvedSshOptions {
  private readonly values = new Map<string, string[]>();
  readonly issues = new Set<SshConfigIssue>();

  /** The arguments of the first occurrence of a keyword (all occurrences for cumulative ones). */
  get(keyword: string): string[] | undefined {
    return this.values.get(keyword.toLowerCase());
  }

  first(keyword: string): string | undefined {
    return this.get(keyword)?.[0];
  }

  set(keyword: string, args: string[]): void {
    const existing = this.values.get(keyword);
    if (CUMULATIVE.has(keyword)) {
      this.values.set(keyword, [...(existing ?? []), ...args]);
      return;
    }
    // ProxyJump and ProxyCommand exclude each other: whichever comes first is used.
    if ((keyword === 'proxyjump' || keyword === 'proxycommand') && (this.values.has('proxyjump') || this.values.has('proxycommand'))) return;
    // ProxyCommand is a command line; ssh keeps it whole.
    if (existing === undefined) this.values.set(keyword, keyword === 'proxycommand' ? [args.join(' ')] : args);
  }
}

export interface ResolveContext {
  /** The user running VirtDeck (ssh's %u, and `Match localuser`). */
  localUser: string;
  /** Given on the "command line" (e.g. `user@` in a ProxyJump hop): wins over the config. */
  user?: string;
  port?: string;
}

const SUPPORTED_MATCH = new Set(['all', 'host', 'originalhost', 'user', 'localuser']);

/**
 * `Match` blocks are honoured for the criteria that need nothing outside the config; `exec`,
 * `canonical`, `final`, `localnetwork` and the like are not evaluated (never run a command).
 */
function matchBlockApplies(args: string[], host: string, options: ResolvedSshOptions, context: ResolveContext): boolean {
  const hostName = expandHostName(options.first('hostname') ?? host, host);
  const user = options.first('user') ?? context.localUser;
  let unsupported = false;
  for (let i = 0; i < args.length; i += 1) {
    const raw = args[i] ?? '';
    const negated = raw.startsWith('!');
    const criterion = (negated ? raw.slice(1) : raw).toLowerCase();
    if (criterion === 'all' || criterion === 'canonical' || criterion === 'final') {
      if (criterion !== 'all') unsupported = true;
      continue;
    }
    const value = args[i + 1] ?? '';
    i += 1;
    if (!SUPPORTED_MATCH.has(criterion)) {
      unsupported = true;
      continue;
    }
    const subject = criterion === 'host' ? hostName : criterion === 'originalhost' ? host : criterion === 'user' ? user : context.localUser;
    if (matchPatternList(subject, value) === negated) return false;
  }
  if (unsupported) options.issues.add('match-unsupported');
  return !unsupported;
}

function hostBlockApplies(args: string[], host: string): boolean {
  let matched = false;
  for (const arg of args) {
    if (arg.startsWith('!')) {
      if (matchPattern(host, arg.slice(1))) return false;
    } else if (matchPattern(host, arg)) matched = true;
  }
  return matched;
}

/** Everything ssh would use to connect to `host` (as typed on its command line). */
export function resolveSshOptions(config: SshConfigFile, host: string, context: ResolveContext): ResolvedSshOptions {
  const options = new ResolvedSshOptions();
  if (context.user !== undefined) options.set('user', [context.user]);
  if (context.port !== undefined) options.set('port', [context.port]);
  const state = { active: true };

  const walk = (file: SshConfigFile, neverMatch: boolean): void => {
    for (const entry of file.entries) {
      const { keyword, args } = entry.line;
      if (entry.kind === 'include') {
        if (state.active) for (const issue of entry.issues) options.issues.add(issue);
        // An included file starts in the including block's state, and cannot leave it for
        // good: afterwards the including file carries on as before (readconf.c does the same).
        const outer = state.active;
        for (const included of entry.files) {
          walk(included, neverMatch || !outer);
          state.active = outer;
        }
      } else if (keyword === 'host') state.active = !neverMatch && hostBlockApplies(args, host);
      else if (keyword === 'match') state.active = !neverMatch && matchBlockApplies(args, host, options, context);
      else if (state.active) options.set(keyword, args);
    }
  };
  walk(config, false);
  return options;
}
