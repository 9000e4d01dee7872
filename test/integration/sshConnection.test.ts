// VirtDeck's own SSH layer (main/connection/sshConnection.ts) against the lab's real sshd and
// libvirtd: every auth method, a jump host, host-key trust decisions, the channel cap, and a
// framed virsh session reading a whole inventory over SSH.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHANNELS, SshConnection, SshFailure, type SshEndpoint, type SshHooks } from '../../main/connection/sshConnection.js';
import { statusForFailure } from '../../main/libvirt/connectionFailure.js';
import { readInventory } from '../../main/libvirt/inventoryReader.js';
import { VirshSession, VirshSessionClosed } from '../../main/libvirt/virshSession.js';
import { HostKeyTrust, type PresentedKey, type TrustDecision } from '../../main/services/hosts/hostKeyTrust.js';
import { labExec, labKnownHostsPath, labPopulate, labVmName, readLabHosts, type LabHost } from '../lab/index.js';
import { waitFor } from '../support/appEvents.js';

const hosts = await readLabHosts();
const byName = new Map(hosts.map((host) => [host.name, host]));
const lab = (name: string): LabHost => {
  const host = byName.get(name);
  if (!host) throw new Error(`no lab host ${name}`);
  return host;
};

function endpoint(host: LabHost, overrides: Partial<SshEndpoint> = {}): SshEndpoint {
  const auth: SshEndpoint['auth'] =
    host.auth === 'key'
      ? { method: 'key', keyFile: host.keyFile ?? '' }
      : host.auth === 'password'
        ? { method: 'password', password: host.password ?? '' }
        : { method: 'keyboard-interactive' };
  return { host: host.address, port: host.port, username: host.user, auth, ...overrides };
}

let dir: string;
const open: SshConnection[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vd-ssh-it-'));
});
afterAll(async () => {
  for (const connection of open) connection.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Hooks that trust exactly the lab's known_hosts and count every question asked. */
function labHooks(host: LabHost, decide: TrustDecision = 'reject', configDir = join(dir, 'trusted')) {
  const asked: PresentedKey[] = [];
  const trust = new HostKeyTrust({
    configDir,
    userKnownHosts: labKnownHostsPath(),
    ask: async (key) => {
      asked.push(key);
      return decide;
    },
  });
  const hooks: SshHooks = {
    checkHostKey: async (target, key) => (await trust.check(HostKeyTrust.describe(target.host, target.port, key))).ok,
    answerPrompts: async (_target, _name, _instructions, prompts) => prompts.map(() => host.password ?? ''),
  };
  return { hooks, asked, trust };
}

async function connect(host: LabHost, hooks = labHooks(host).hooks): Promise<SshConnection> {
  const jumps = host.jumpHost ? [endpoint(lab(host.jumpHost))] : [];
  const connection = await SshConnection.connect(endpoint(host), jumps, hooks);
  open.push(connection);
  return connection;
}

describe('SSH to every lab host with its own auth method', () => {
  for (const host of hosts.filter((h) => h.libvirtRunning)) {
    it(`${host.name} (${host.auth}${host.jumpHost ? ` via ${host.jumpHost}` : ''}): virsh session reads the inventory`, async () => {
      const connection = await connect(host);
      const session = await VirshSession.start(connection, host.libvirtUri);
      try {
        const inventory = await readInventory(session, host.name);
        expect(inventory.networks.map((network) => network.name)).toContain('default');
        expect(await session.runChecked(['hostname'])).toContain(host.name);
      } finally {
        session.dispose();
      }
    });
  }

  it('stopped: says libvirt is not running', async () => {
    const host = lab('stopped');
    const connection = await connect(host);
    const error = await VirshSession.start(connection, host.libvirtUri).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VirshSessionClosed);
    expect(statusForFailure(error as VirshSessionClosed)).toBe('libvirt-not-running');
  });
});

describe('failures end in a clear kind', () => {
  it('a wrong password is an authentication failure', async () => {
    const host = lab('pw');
    const error = await SshConnection.connect(endpoint(host, { auth: { method: 'password', password: 'wrong' } }), [], labHooks(host).hooks).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshFailure);
    expect((error as SshFailure).kind).toBe('auth-failed');
  });

  it('a key the host does not know is an authentication failure', async () => {
    const host = lab('lab1');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'stranger')]);
    const error = await SshConnection.connect(endpoint(host, { auth: { method: 'key', keyFile: join(dir, 'stranger') } }), [], labHooks(host).hooks).catch((e: unknown) => e);
    expect((error as SshFailure).kind).toBe('auth-failed');
  });

  it('an unknown user is an authentication failure', async () => {
    const host = lab('lab1');
    const error = await SshConnection.connect(endpoint(host, { username: 'nosuchuser' }), [], labHooks(host).hooks).catch((e: unknown) => e);
    expect((error as SshFailure).kind).toBe('auth-failed');
  });

  it('a closed port is unreachable', async () => {
    const host = lab('lab1');
    const error = await SshConnection.connect(endpoint(host, { port: 2 }), [], labHooks(host).hooks).catch((e: unknown) => e);
    expect((error as SshFailure).kind).toBe('unreachable');
  });
});

describe('host key trust', () => {
  it('asks about an unknown key with its SHA256 fingerprint; "reject" refuses the connection', async () => {
    const host = lab('lab2');
    const asked: PresentedKey[] = [];
    const trust = new HostKeyTrust({ configDir: join(dir, 'fresh'), userKnownHosts: join(dir, 'none'), ask: async (key) => (asked.push(key), 'reject') });
    const hooks: SshHooks = { checkHostKey: async (t, key) => (await trust.check(HostKeyTrust.describe(t.host, t.port, key))).ok };
    const error = await SshConnection.connect(endpoint(host), [], hooks).catch((e: unknown) => e);
    expect((error as SshFailure).kind).toBe('host-key-rejected');
    expect(asked).toHaveLength(1);
    const labLine = (await readFile(labKnownHostsPath(), 'utf8')).split('\n').find((line) => line.startsWith(`${host.address} `))!;
    await writeFile(join(dir, 'one.pub'), labLine.split(' ').slice(1).join(' '));
    const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'one.pub')]).toString().split(' ')[1];
    expect(asked[0]?.fingerprint).toBe(expected);
    expect(asked[0]?.keyType).toBe('ssh-ed25519');
  });

  it('"accept for good" stores the key so the next connection asks nothing', async () => {
    const host = lab('lab2');
    const configDir = join(dir, 'always');
    const userKnownHosts = join(dir, 'none');
    let questions = 0;
    const make = () => {
      const trust = new HostKeyTrust({ configDir, userKnownHosts, ask: async () => (questions++, 'always') });
      return { checkHostKey: async (t: SshEndpoint, key: Buffer) => (await trust.check(HostKeyTrust.describe(t.host, t.port, key))).ok };
    };
    (await connect(host, make())).dispose();
    (await connect(host, make())).dispose();
    expect(questions).toBe(1);
    expect(await readFile(join(configDir, 'known_hosts'), 'utf8')).toContain(`${host.address} ssh-ed25519 `);
  });

  it('a changed key is refused without asking, until the old key is forgotten', async () => {
    const host = lab('lab1');
    const configDir = join(dir, 'changed');
    const userKnownHosts = join(dir, 'changed_user_known_hosts');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'impostor')]);
    const impostor = (await readFile(join(dir, 'impostor.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
    await writeFile(userKnownHosts, `# mine\n${host.address} ${impostor}\n`);
    let questions = 0;
    const trust = new HostKeyTrust({ configDir, userKnownHosts, ask: async () => (questions++, 'always') });
    const hooks: SshHooks = { checkHostKey: async (t, key) => (await trust.check(HostKeyTrust.describe(t.host, t.port, key))).ok };
    const error = await SshConnection.connect(endpoint(host), [], hooks).catch((e: unknown) => e);
    expect((error as SshFailure).kind).toBe('host-key-rejected');
    expect(questions).toBe(0);

    expect(await trust.forget(host.address, host.port)).toEqual({ removed: 1 });
    // The user's file was backed up before the line was removed.
    expect(await readFile(`${userKnownHosts}.old`, 'utf8')).toContain(impostor);
    expect(await readFile(userKnownHosts, 'utf8')).toBe('# mine\n');
    (await connect(host, hooks)).dispose();
    expect(questions).toBe(1);
  });
});

describe('channels', () => {
  it(`caps channels at ${MAX_CHANNELS} (below sshd's MaxSessions) and still runs everything`, async () => {
    const host = lab('lab1');
    const connection = await connect(host);
    let peak = 0;
    const runs = Array.from({ length: 20 }, () =>
      new Promise<number | null>((resolve) => {
        const process = connection.spawn(['sh', '-c', 'sleep 0.2; echo ok']);
        let out = '';
        process.onStdout((chunk) => {
          out += chunk.toString();
          peak = Math.max(peak, connection.channelUse.inUse);
        });
        process.onExit((exit) => resolve(out.trim() === 'ok' ? exit.code : -1));
      }),
    );
    expect(await Promise.all(runs)).toEqual(Array(20).fill(0));
    expect(peak).toBeLessThanOrEqual(MAX_CHANNELS);
    expect(peak).toBeGreaterThan(1);
  });

  it('hostile names reach virsh over SSH exactly (no shell runs them)', async () => {
    const host = lab('lab1');
    await labPopulate({ host: host.name, vms: 1 });
    const connection = await connect(host);
    const session = await VirshSession.start(connection, host.libvirtUri);
    try {
      const name = labVmName(host.name, 1);
      expect(await session.runChecked(['domstate', '--domain', name])).toContain('shut off');
      // World-writable, so the lab user could create it if any shell ever ran the name.
      const marker = `/tmp/vd-pwned-${process.pid}-${Date.now()}`;
      const hostile = `$(touch ${marker})\`touch ${marker}\`;touch ${marker}`;
      const result = await session.run(['domstate', '--domain', hostile]);
      expect(result.ok).toBe(false);
      expect(result.stderr).toContain(hostile);
      // Looked for on the host itself, where a shell that ran the name would have created it.
      expect((await labExec(host.name, ['test', '-e', marker])).code).not.toBe(0);
      expect(existsSync(marker)).toBe(false);
    } finally {
      session.dispose();
    }
  });
});

/** Local ports of this process's established TCP connections to address:22. */
function sshSocketsTo(address: string): Set<string> {
  const out = execFileSync('ss', ['-Htn', 'state', 'established', 'dst', address, 'dport', '=', '22']).toString();
  return new Set(out.split('\n').map((line) => line.trim().split(/\s+/)[2]?.split(':').pop()).filter((port): port is string => !!port));
}

describe('a jump host failing between hops', () => {
  it('an error on the jump connection while the next hop connects fails the connect and never crashes main', async () => {
    const host = lab('behind');
    const jump = lab('jump');
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const before = sshSocketsTo(jump.address);
      const { hooks: trusting } = labHooks(host);
      let killed = 0;
      const hooks: SshHooks = {
        ...trusting,
        checkHostKey: async (target, key) => {
          if (target.host === host.address) {
            // The jump hop is up; its TCP connection is torn down under it (ECONNABORTED), as
            // a dying bastion or a firewall would, while the hidden host's handshake runs.
            for (const port of sshSocketsTo(jump.address)) {
              if (before.has(port)) continue;
              execFileSync('ss', ['-K', 'dst', jump.address, 'dport', '=', '22', 'sport', '=', port]);
              killed += 1;
            }
          }
          return trusting.checkHostKey(target, key);
        },
      };
      const error = await SshConnection.connect(endpoint(host), [endpoint(jump)], hooks).catch((e: unknown) => e);
      expect(killed).toBe(1);
      expect(error).toBeInstanceOf(SshFailure);
      expect((error as SshFailure).kind).toBe('unreachable');
      // Late events of the dead hops (their close, a verdict arriving after it) land nowhere harmful.
      await new Promise((resolve) => setImmediate(resolve));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('after a jump hop dies, the built connection reports itself closed', async () => {
    const host = lab('behind');
    const jump = lab('jump');
    const before = sshSocketsTo(jump.address);
    const connection = await SshConnection.connect(endpoint(host), [endpoint(jump)], labHooks(host).hooks);
    open.push(connection);
    let closed = false;
    connection.onClose(() => (closed = true));
    for (const port of sshSocketsTo(jump.address)) if (!before.has(port)) execFileSync('ss', ['-K', 'dst', jump.address, 'dport', '=', '22', 'sport', '=', port]);
    await waitFor('the connection to close', () => closed);
    expect(connection.isClosed).toBe(true);
  });
});

describe('time a person takes is not a network timeout', () => {
  it('a host-key question answered after the handshake timeout still connects', async () => {
    const host = lab('lab2');
    const { hooks: trusting } = labHooks(host);
    let askedAt = 0;
    let answeredAt = 0;
    const hooks: SshHooks = {
      ...trusting,
      checkHostKey: async (target, key) => {
        askedAt = Date.now();
        // The person reads the fingerprint for longer than the whole handshake may take.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        answeredAt = Date.now();
        return trusting.checkHostKey(target, key);
      },
    };
    const connection = await SshConnection.connect(endpoint(host), [], hooks, [], { handshakeTimeoutMs: 1_500 });
    open.push(connection);
    expect(answeredAt - askedAt).toBeGreaterThanOrEqual(3_000);
    expect(await new Promise<string>((resolve) => {
      let out = '';
      const child = connection.spawn(['hostname']);
      child.onStdout((chunk) => (out += chunk.toString()));
      child.onExit(() => resolve(out.trim()));
    })).toBe(host.name);
  });

  it('a password typed after the handshake timeout still logs in', async () => {
    const host = lab('pw');
    const slowPassword = async () => {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return host.password ?? '';
    };
    const connection = await SshConnection.connect(endpoint(host, { auth: { method: 'password', password: slowPassword } }), [], labHooks(host).hooks, [], { handshakeTimeoutMs: 1_500 });
    open.push(connection);
    expect(connection.isClosed).toBe(false);
  });

  it('a 2FA answer typed after the handshake timeout still logs in', async () => {
    const host = lab('kbd');
    const { hooks: trusting } = labHooks(host);
    const hooks: SshHooks = {
      ...trusting,
      answerPrompts: async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        return trusting.answerPrompts!(...args);
      },
    };
    const connection = await SshConnection.connect(endpoint(host), [], hooks, [], { handshakeTimeoutMs: 1_500 });
    open.push(connection);
    expect(connection.isClosed).toBe(false);
  });

  it('a server that never answers still times out', async () => {
    // Accepts TCP and says nothing: no SSH banner, no key exchange.
    const sockets: import('node:net').Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const error = await SshConnection.connect({ host: '127.0.0.1', port, username: 'nobody', auth: { method: 'agent' } }, [], labHooks(lab('lab1')).hooks, [], {
        handshakeTimeoutMs: 1_000,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SshFailure);
      expect((error as SshFailure).kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
