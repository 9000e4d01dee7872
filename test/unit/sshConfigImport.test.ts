// Import from ~/.ssh/config: real files in a temporary home directory, resolved the way
// OpenSSH resolves them (first value wins, wildcard blocks, Include, ProxyJump chains).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContractError, type HostProfile, type ImportCandidate } from '../../preload/contract.js';
import { previewSshConfigImport } from '../../main/services/profiles/sshConfigImport.js';

const localUser = userInfo().username;
const homes: string[] = [];
afterAll(async () => {
  for (const home of homes) await rm(home, { recursive: true, force: true });
});

/** A fresh home directory holding the given files (paths relative to it). */
async function makeHome(files: Record<string, string>): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'vd-sshconfig-'));
  homes.push(home);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(home, path)), { recursive: true });
    await writeFile(join(home, path), text);
  }
  return home;
}

async function preview(files: Record<string, string>, existing: HostProfile[] = []): Promise<{ home: string; byAlias: Map<string, ImportCandidate>; aliases: string[] }> {
  const home = await makeHome(files);
  const candidates = await previewSshConfigImport({ homeDir: home, existing });
  return { home, byAlias: new Map(candidates.map((c) => [c.alias, c])), aliases: candidates.map((c) => c.alias) };
}

function get(byAlias: Map<string, ImportCandidate>, alias: string): ImportCandidate {
  const candidate = byAlias.get(alias);
  if (!candidate) throw new Error(`no candidate ${alias}; have ${[...byAlias.keys()].join(', ')}`);
  return candidate;
}

const defaults = { uri: 'qemu:///system', sudo: false, folder: 'Imported', tags: [], rememberSecret: false, jumpHosts: [] };

describe('plain hosts', () => {
  it('takes HostName, Port, User; keywords in any case, with = or spaces', async () => {
    const { byAlias } = await preview({ '.ssh/config': 'host web\n  hostname web.example.com\n  PORT=2222\n\tUser = admin\n' });
    expect(get(byAlias, 'web')).toEqual({
      alias: 'web',
      fields: { ...defaults, label: 'web', address: 'web.example.com', port: 2222, user: 'admin', auth: 'agent' },
      notes: [],
    });
  });

  it('takes the sign-in method from PreferredAuthentications when it is password or keyboard-interactive', async () => {
    const { byAlias } = await preview({
      '.ssh/config': [
        'Host pw', '  PreferredAuthentications password,publickey', '  IdentityFile ~/.ssh/id_ed25519',
        'Host otp', '  PreferredAuthentications keyboard-interactive',
        'Host keyfirst', '  PreferredAuthentications publickey,password', '  IdentityFile ~/.ssh/id_ed25519',
        '',
      ].join('\n'),
    });
    expect(get(byAlias, 'pw').fields.auth).toBe('password');
    expect(get(byAlias, 'pw').fields.keyFile).toBeUndefined();
    expect(get(byAlias, 'otp').fields.auth).toBe('keyboard-interactive');
    expect(get(byAlias, 'keyfirst').fields.auth).toBe('key');
  });

  it('falls back to the alias, port 22, the local user and the agent', async () => {
    const { byAlias } = await preview({ '.ssh/config': '# my hosts\n\nHost plain.example.org\n' });
    expect(get(byAlias, 'plain.example.org').fields).toEqual({
      ...defaults,
      label: 'plain.example.org',
      address: 'plain.example.org',
      port: 22,
      user: localUser,
      auth: 'agent',
    });
  });

  it('one candidate per alias of a multi-alias Host line, in file order', async () => {
    const { aliases } = await preview({ '.ssh/config': 'Host b a\n  User x\nHost c\n' });
    expect(aliases).toEqual(['b', 'a', 'c']);
  });
});

describe('wildcard blocks', () => {
  it('skip pure patterns but apply their options; the first value obtained wins', async () => {
    const { aliases, byAlias } = await preview({
      '.ssh/config': [
        'Host db.corp',
        '  User dbadmin',
        'Host *.corp',
        '  User corpuser',
        '  Port 2200',
        'Host web.corp',
        '  HostName 10.0.0.5',
        '  Port 2300',
        'Host * !bastion',
        '  User fallback',
        '  Port 2201',
        'Host bastion',
        'Host !negated-only',
        '',
      ].join('\n'),
    });
    expect(aliases).toEqual(['db.corp', 'web.corp', 'bastion']);
    expect(get(byAlias, 'db.corp').fields).toMatchObject({ user: 'dbadmin', port: 2200, address: 'db.corp' });
    // Port 2300 comes after the *.corp block's Port, so it is not the first value obtained.
    expect(get(byAlias, 'web.corp').fields).toMatchObject({ user: 'corpuser', port: 2200, address: '10.0.0.5' });
    // The negated pattern keeps the `*` block away from bastion.
    expect(get(byAlias, 'bastion').fields).toMatchObject({ user: localUser, port: 22 });
  });

  it('`?` stands for exactly one character', async () => {
    const { byAlias } = await preview({ '.ssh/config': 'Host web?\n  User one\nHost web web1 web12\n' });
    expect(get(byAlias, 'web').fields.user).toBe(localUser);
    expect(get(byAlias, 'web1').fields.user).toBe('one');
    expect(get(byAlias, 'web12').fields.user).toBe(localUser);
  });

  it('a config of wildcard blocks only proposes nothing', async () => {
    const { aliases } = await preview({ '.ssh/config': 'Host *\n  User u\nHost *.example\n  Port 2\nHost !x\n' });
    expect(aliases).toEqual([]);
  });

  it('expands %h (and %%) in HostName to the alias', async () => {
    const { byAlias } = await preview({ '.ssh/config': 'Host node1 node2\nHost node*\n  HostName %h.lab.example.net\nHost pct\n  HostName 100%%.example\n' });
    expect(get(byAlias, 'node1').fields.address).toBe('node1.lab.example.net');
    expect(get(byAlias, 'node2').fields.address).toBe('node2.lab.example.net');
    expect(get(byAlias, 'pct').fields.address).toBe('100%.example');
  });

  it('applies Match host/user blocks but never runs Match exec', async () => {
    const { home, byAlias } = await preview({
      '.ssh/config': [
        'Host web',
        '  HostName web.example.com',
        'Match host *.example.com user ' + localUser,
        '  Port 2022',
        'Match exec "touch ran-exec"',
        '  User fromexec',
        '',
      ].join('\n'),
    });
    const web = get(byAlias, 'web');
    expect(web.fields).toMatchObject({ port: 2022, user: localUser });
    expect(web.notes).toContain('import.note.matchUnsupported');
    expect(existsSync(join(home, 'ran-exec'))).toBe(false);
    expect(existsSync('ran-exec')).toBe(false);
  });
});

describe('Include', () => {
  it('follows globs relative to ~/.ssh, in sorted order, without dot files', async () => {
    const { aliases, byAlias } = await preview({
      '.ssh/config': 'Include config.d/*\nHost main\n',
      '.ssh/config.d/20-beta.conf': 'Host beta\n  Port 2002\n',
      '.ssh/config.d/10-alpha.conf': 'Host alpha\n  HostName alpha.example\nHost *\n  User shared\n',
      '.ssh/config.d/.hidden': 'Host hidden\n',
      '.ssh/config.d/sub/deeper.conf': 'Host deeper\n',
    });
    expect(aliases).toEqual(['alpha', 'beta', 'main']);
    expect(get(byAlias, 'alpha').fields).toMatchObject({ address: 'alpha.example', user: 'shared' });
    expect(get(byAlias, 'main').fields.user).toBe('shared');
    expect(get(byAlias, 'main').notes).toEqual([]);
  });

  it('an Include inside a Host block applies to that host only', async () => {
    const { byAlias } = await preview({
      '.ssh/config': 'Host special\n  Include ~/.ssh/special.conf\nHost other\n',
      '.ssh/special.conf': 'User specialuser\nHost *\n  Port 2999\n',
    });
    expect(get(byAlias, 'special').fields).toMatchObject({ user: 'specialuser', port: 2999 });
    expect(get(byAlias, 'other').fields).toMatchObject({ user: localUser, port: 22 });
  });

  it('survives nested Includes that form a cycle, and says so', async () => {
    const { aliases, byAlias } = await preview({
      '.ssh/config': 'Include a.conf\nHost top\n',
      '.ssh/a.conf': 'Include b.conf\nHost from-a\n',
      '.ssh/b.conf': 'Include a.conf config\nHost from-b\n  User bee\n',
    });
    expect(aliases).toEqual(['from-b', 'from-a', 'top']);
    expect(get(byAlias, 'from-b').fields.user).toBe('bee');
    expect(get(byAlias, 'top').notes).toEqual(['import.note.includeCycle']);
  });

  it('a Host line in a file included from a block that does not apply never applies (as in ssh)', async () => {
    const { byAlias } = await preview({
      '.ssh/config': 'Host a\n  Include inner.conf\n',
      '.ssh/inner.conf': 'Host b\n  User from-inner\n',
    });
    expect(get(byAlias, 'b').fields.user).toBe(localUser);
  });

  it('a missing include file is a note, an unmatched glob is nothing', async () => {
    const { byAlias } = await preview({ '.ssh/config': 'Include not-there.conf nothing.d/*\nHost web\n' });
    expect(get(byAlias, 'web').notes).toEqual(['import.note.includeMissing']);
  });
});

describe('ProxyJump', () => {
  const config = [
    'Host bastion',
    '  HostName bastion.example.com',
    '  User jumper',
    '  Port 2022',
    '  IdentityFile ~/.ssh/bastion_key',
    'Host inner',
    '  HostName 10.1.0.5',
    '  ProxyJump bastion,ops@10.1.0.1:2200',
    'Host deep',
    '  ProxyJump inner',
    'Host override',
    '  ProxyJump other@bastion:2023',
    'Host direct',
    '  ProxyJump none',
    'Host loop-a',
    'Host loop-b',
    'Match originalhost loop-a',
    '  ProxyJump loop-b',
    'Match originalhost loop-b',
    '  ProxyJump loop-a',
    'Host * !bastion',
    '  ProxyJump bastion',
    '',
  ].join('\n');
  let home: string;
  let byAlias: Map<string, ImportCandidate>;
  const bastionHop = () => ({ address: 'bastion.example.com', port: 2022, user: 'jumper', auth: 'key', keyFile: join(home, '.ssh/bastion_key') });

  it('resolves an alias hop from the config and takes a user@host:port hop as written', async () => {
    ({ home, byAlias } = await preview({ '.ssh/config': config, '.ssh/bastion_key': 'not really a key' }));
    const inner = get(byAlias, 'inner');
    expect(inner.fields.jumpHosts).toEqual([bastionHop(), { address: '10.1.0.1', port: 2200, user: 'ops', auth: 'agent' }]);
    expect(inner.notes).toEqual([]);
  });

  it("reaches the first hop through that hop's own ProxyJump", () => {
    expect(get(byAlias, 'deep').fields.jumpHosts).toEqual([bastionHop(), { address: '10.1.0.1', port: 2200, user: 'ops', auth: 'agent' }, { address: '10.1.0.5', port: 22, user: localUser, auth: 'agent' }]);
  });

  it('user and port written in the hop win over the config', () => {
    expect(get(byAlias, 'override').fields.jumpHosts).toEqual([{ ...bastionHop(), user: 'other', port: 2023 }]);
  });

  it('`ProxyJump none` means no hops, and stops later ProxyJump lines', () => {
    expect(get(byAlias, 'direct').fields.jumpHosts).toEqual([]);
    expect(get(byAlias, 'bastion').fields.jumpHosts).toEqual([]);
  });

  it('a loop of jump hosts is refused with a note', () => {
    const loop = get(byAlias, 'loop-a');
    expect(loop.fields.jumpHosts).toEqual([]);
    expect(loop.notes).toContain('import.note.proxyJumpInvalid');
  });

  it('ProxyCommand is not followed and says so', async () => {
    const { byAlias: result } = await preview({ '.ssh/config': 'Host pc\n  ProxyCommand ssh -W "%h:%p" gw\n  ProxyJump gw\n' });
    const pc = get(result, 'pc');
    expect(pc.fields.jumpHosts).toEqual([]);
    expect(pc.notes).toEqual(['import.note.proxyCommandIgnored']);
  });
});

describe('IdentityFile', () => {
  it('expands ~ and %d/%u/%h/%r; the first file is used; a missing file is a note', async () => {
    const { home, byAlias } = await preview({
      '.ssh/config': [
        'Host web',
        '  HostName web.example.com',
        '  User admin',
        '  IdentityFile ~/.ssh/%r@%h',
        '  IdentityFile ~/.ssh/second',
        'Host other',
        '  IdentityFile %d/keys/%u.key',
        'Host spaced',
        '  IdentityFile "~/.ssh/my key"',
        '',
      ].join('\n'),
      '.ssh/admin@web.example.com': 'key',
      '.ssh/my key': 'key',
    });
    expect(get(byAlias, 'web')).toMatchObject({
      fields: { auth: 'key', keyFile: join(home, '.ssh/admin@web.example.com') },
      notes: [],
    });
    expect(get(byAlias, 'other')).toMatchObject({
      fields: { auth: 'key', keyFile: join(home, 'keys', `${localUser}.key`) },
      notes: ['import.note.identityFileMissing'],
    });
    expect(get(byAlias, 'spaced').fields.keyFile).toBe(join(home, '.ssh/my key'));
  });
});

describe('duplicates', () => {
  it('points at an existing profile with the same user, address and port', async () => {
    const profile = (id: string, address: string, port: number): HostProfile => ({
      ...defaults,
      id,
      label: id,
      address,
      port,
      user: 'admin',
      auth: 'agent',
      createdAt: 0,
      updatedAt: 0,
    });
    const { byAlias } = await preview({ '.ssh/config': 'Host web\n  HostName web.example.com\n  User admin\nHost web-alt\n  HostName web.example.com\n  User admin\n  Port 2222\n' }, [
      profile('other-port', 'web.example.com', 2200),
      profile('same', 'WEB.example.com', 22),
    ]);
    expect(get(byAlias, 'web').existingId).toBe('same');
    expect(get(byAlias, 'web-alt').existingId).toBeUndefined();
  });
});

describe('agrees with OpenSSH', () => {
  const sshAvailable = (() => {
    try {
      execFileSync('ssh', ['-V'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  // `ssh -G` prints what ssh would use without connecting. Paths are absolute because ssh
  // expands ~ to the real home directory, not to the temporary one.
  it.skipIf(!sshAvailable)('resolves HostName, Port and User like `ssh -G`', async () => {
    const home = await makeHome({});
    const files: Record<string, string> = {
      config: [
        'Host db.corp',
        '  User dbadmin',
        'Host *.corp',
        '  User corpuser',
        '  Port 2200',
        'Host web.corp',
        '  HostName 10.0.0.5',
        '  Port 2300',
        'Host web?',
        '  User one',
        'Host special',
        `  Include ${join(home, 'special.conf')}`,
        'Host a',
        `  Include ${join(home, 'inner.conf')}`,
        // Still inside `Host a`: indentation means nothing to ssh.
        `Include ${join(home, 'd')}/*`,
        'Match host *.example.com',
        '  Port 2022',
        'Host web web1 web12 other bastion',
        'Host web',
        '  HostName web.example.com',
        'Match originalhost web1 !user nobody',
        '  HostName %h.example.com',
        'Host * !bastion',
        '  User fallback',
        '  Port 2201',
        '',
      ].join('\n'),
      'special.conf': 'User specialuser\nHost *\n  Port 2999\n',
      'inner.conf': 'Host b\n  User from-inner\n',
      'd/10.conf': 'Host alpha\n  HostName alpha.example\n',
    };
    for (const [name, text] of Object.entries(files)) {
      await mkdir(dirname(join(home, name)), { recursive: true });
      await writeFile(join(home, name), text);
    }
    const candidates = await previewSshConfigImport({ homeDir: home, path: join(home, 'config'), existing: [] });
    expect(candidates.length).toBeGreaterThan(8);
    for (const candidate of candidates) {
      const printed = execFileSync('ssh', ['-G', '-F', join(home, 'config'), candidate.alias], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const value = (key: string) => new RegExp(`^${key} (.*)$`, 'm').exec(printed)?.[1];
      expect([candidate.alias, candidate.fields.address, String(candidate.fields.port), candidate.fields.user]).toEqual([
        candidate.alias,
        value('hostname'),
        value('port'),
        value('user'),
      ]);
    }
  });
});

describe('bad input', () => {
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

  it('a missing file is an import failure that says what to do', async () => {
    const home = await makeHome({});
    const error = await failure(previewSshConfigImport({ homeDir: home, existing: [] }));
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).code).toBe('import-failed');
    expect((error as ContractError).message).toContain(join(home, '.ssh', 'config'));
  });

  it('a directory is not a config file', async () => {
    const home = await makeHome({ 'somewhere/file': '' });
    const error = await failure(previewSshConfigImport({ homeDir: home, path: join(home, 'somewhere'), existing: [] }));
    expect((error as ContractError).code).toBe('import-failed');
    expect((error as ContractError).message).toMatch(/not a file/);
  });

  it('a line ssh would refuse is reported with its place', async () => {
    const home = await makeHome({ 'cfg/custom': 'Host ok\nHost "broken\n' });
    const error = await failure(previewSshConfigImport({ homeDir: home, path: '~/cfg/custom', existing: [] }));
    expect((error as ContractError).code).toBe('import-failed');
    expect((error as ContractError).message).toMatch(/custom line 2: unterminated quote/);
  });
});
