/**
 * One SSH connection to a host (through zero or more jump hosts), built on ssh2. It runs
 * processes for the virsh session and for streams as exec channels, capped below sshd's
 * MaxSessions. Host keys are never accepted here: every key goes to the HostKeyCheck.
 */
import { readFile } from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
// ssh2 is CommonJS: Node's ESM loader sees only some of its names, so take them off the default export.
import ssh2, { type AnyAuthMethod, type AuthHandlerMiddleware, type Client, type ClientChannel, type ConnectConfig, type ExecOptions } from 'ssh2';

const { Client: SshClient } = ssh2;
import { toDisposable, type Disposable } from '../core/disposable.js';
import { commandLine } from '../remote/quote.js';
import { ContractError } from '../../preload/contract.js';
import { channelFromDuplex, channelFromProcess, type ByteChannel, type TunnelOpener, type TunnelTarget } from './byteChannel.js';
import { ChannelLimiter } from './channelLimiter.js';
import { ConnectDeadline } from './connectDeadline.js';
import { preferredHostKeyAlgorithms } from './hostKeyAlgorithms.js';
import { collectOutput, type HostProcess, type ProcessRunner, type SpawnOptions } from './hostProcess.js';
import { SshProcess } from './sshProcess.js';

/** A secret given now, or fetched only when the server asks for it (after the host key). */
export type SecretSource = string | (() => Promise<string>);

export type SshAuth =
  | { method: 'agent'; socket?: string }
  | { method: 'key'; keyFile: string; passphrase?: SecretSource }
  | { method: 'password'; password: SecretSource }
  | { method: 'keyboard-interactive' };

export interface SshEndpoint {
  host: string;
  port: number;
  username: string;
  auth: SshAuth;
}

export interface KeyboardPrompt {
  prompt: string;
  echo: boolean;
}

/**
 * What the connection asks of its owner. The connect deadline is paused while checkHostKey,
 * answerPrompts or a SecretSource runs: they may wait for a person, and a person's time is
 * not a network timeout.
 */
export interface SshHooks {
  /** Decides whether the presented host key may be used; may ask a person. */
  checkHostKey(endpoint: SshEndpoint, key: Buffer): Promise<boolean>;
  /** Answers keyboard-interactive prompts (2FA codes, passwords); may ask a person. */
  answerPrompts?(endpoint: SshEndpoint, name: string, instructions: string, prompts: KeyboardPrompt[]): Promise<string[]>;
  /** Key types known_hosts holds for the endpoint, so the server is asked for one of those. */
  knownHostKeyTypes?(endpoint: SshEndpoint): Promise<string[]>;
}

export interface SshConnectOptions {
  /** Network time allowed per hop: TCP connect, key exchange, the server's answers. */
  handshakeTimeoutMs?: number;
}

export type SshFailureKind = 'unreachable' | 'auth-failed' | 'host-key-rejected' | 'timeout' | 'error';

export class SshFailure extends Error {
  constructor(
    readonly kind: SshFailureKind,
    message: string,
    readonly endpoint: SshEndpoint,
  ) {
    super(message);
    this.name = 'SshFailure';
  }
}

export const MAX_CHANNELS = 8;
const HANDSHAKE_TIMEOUT_MS = 15_000;
const KEEPALIVE_MS = 10_000;

/** What kind of failure ssh2 reported; exported for its unit test. */
export function classify(error: Error & { code?: string; level?: string }, hostKeyRejected: boolean): SshFailureKind {
  if (hostKeyRejected) return 'host-key-rejected';
  if (error.level === 'client-authentication' || /authentication methods failed/i.test(error.message)) return 'auth-failed';
  if (/timed out/i.test(error.message) || error.code === 'ETIMEDOUT') return 'timeout';
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET'].includes(error.code ?? '')) return 'unreachable';
  return 'error';
}

function resolveSecret(source: SecretSource, deadline: ConnectDeadline): Promise<string> {
  return typeof source === 'string' ? Promise.resolve(source) : deadline.whilePersonAnswers(source);
}

/**
 * The one method a profile allows, offered only when the server asks — so host-key questions
 * always come before password questions, as with OpenSSH. A failure to obtain the secret
 * (the user cancelled) is kept and reported instead of ssh2's generic message.
 */
function authHandler(endpoint: SshEndpoint, hooks: SshHooks, deadline: ConnectDeadline, onAbort: (error: Error) => void): AuthHandlerMiddleware {
  let offered = false;
  return (_methodsLeft, _partialSuccess, next) => {
    if (offered) {
      next(false as unknown as AnyAuthMethod);
      return;
    }
    offered = true;
    const { username, auth } = endpoint;
    const build = async (): Promise<AnyAuthMethod> => {
      switch (auth.method) {
        case 'agent': {
          const agent = auth.socket ?? process.env.SSH_AUTH_SOCK;
          if (!agent) throw new Error('No ssh-agent is running (SSH_AUTH_SOCK is not set).');
          return { type: 'agent', username, agent };
        }
        case 'key': {
          const key = await readFile(auth.keyFile);
          return auth.passphrase === undefined
            ? { type: 'publickey', username, key }
            : { type: 'publickey', username, key, passphrase: await resolveSecret(auth.passphrase, deadline) };
        }
        case 'password':
          return { type: 'password', username, password: await resolveSecret(auth.password, deadline) };
        case 'keyboard-interactive':
          return {
            type: 'keyboard-interactive',
            username,
            prompt: (name, instructions, _lang, prompts, finish) => {
              const answerPrompts = hooks.answerPrompts;
              if (!answerPrompts) return finish([]);
              const questions = prompts.map((p) => ({ prompt: p.prompt, echo: p.echo ?? false }));
              deadline
                .whilePersonAnswers(() => answerPrompts(endpoint, name, instructions, questions))
                .then(finish, (error: Error) => {
                  onAbort(error);
                  finish([]);
                });
            },
          };
      }
    };
    build().then(next, (error: Error) => {
      onAbort(error);
      next(false as unknown as AnyAuthMethod);
    });
  };
}

/**
 * One hop's ssh2 client. ssh2 reports failures as 'error' events, and an 'error' with no
 * listener would crash main, so its listeners are attached when it is created and never
 * removed: before the login they fail the connect, after it they close the connection (and
 * between hops, while the chain is still being built, they only record that the hop is gone).
 */
class Hop {
  readonly client: Client = new SshClient();
  private goneListener: ((error: Error | undefined) => void) | undefined;
  private goneWith: { error: Error | undefined } | undefined;

  constructor(readonly endpoint: SshEndpoint) {
    this.client.on('error', (error: Error) => this.markGone(error));
    this.client.on('close', () => this.markGone(undefined));
  }

  get isGone(): boolean {
    return this.goneWith !== undefined;
  }

  private markGone(error: Error | undefined): void {
    if (this.goneWith) return;
    this.goneWith = { error };
    this.goneListener?.(error);
  }

  /** Called once when the hop goes away (at once if it already has). */
  onGone(listener: (error: Error | undefined) => void): void {
    this.goneListener = listener;
    if (this.goneWith) listener(this.goneWith.error);
  }

  end(): void {
    this.client.end();
  }
}

/** Opens one hop; `sock` is the forwarded stream through the previous hop, if any. */
async function connectHop(endpoint: SshEndpoint, hooks: SshHooks, timeoutMs: number, sock?: ClientChannel): Promise<Hop> {
  const hop = new Hop(endpoint);
  const { client } = hop;
  const algorithms = preferredHostKeyAlgorithms((await hooks.knownHostKeyTypes?.(endpoint)) ?? []);
  const config: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.username,
    // ssh2's own ready timeout would also run while a person answers; ConnectDeadline does not.
    readyTimeout: 0,
    keepaliveInterval: KEEPALIVE_MS,
    keepaliveCountMax: 3,
  };
  // Known key types first, the rest of ssh2's defaults after them ('remove' runs before 'prepend').
  if (algorithms.length > 0) config.algorithms = { serverHostKey: { remove: algorithms, prepend: algorithms, append: [] } as never };

  return new Promise<Hop>((resolve, reject) => {
    // Our own TCP socket (or the forwarded channel), so a deadline can always tear it down,
    // also while the TCP connect itself still hangs.
    const socket: Duplex = sock ?? createConnection({ host: endpoint.host, port: endpoint.port });
    config.sock = socket;
    let settled = false;
    const fail = (failure: Error) => {
      if (settled) return;
      settled = true;
      deadline.stop();
      client.end();
      socket.destroy();
      reject(failure);
    };
    const deadline = new ConnectDeadline(timeoutMs, () =>
      fail(new SshFailure('timeout', `No answer from ${endpoint.host}:${endpoint.port} within ${Math.round(timeoutMs / 1000)} s (connecting, key exchange or login).`, endpoint)),
    );
    let aborted: Error | undefined;
    config.authHandler = authHandler(endpoint, hooks, deadline, (error) => {
      aborted = error;
    });
    let hostKeyRejected = false;
    config.hostVerifier = (key: Buffer, verify: (valid: boolean) => void) => {
      deadline.whilePersonAnswers(() => hooks.checkHostKey(endpoint, key)).then(
        (ok) => {
          hostKeyRejected = !ok;
          if (!settled) verify(ok);
        },
        () => {
          hostKeyRejected = true;
          if (!settled) verify(false);
        },
      );
    };
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      deadline.stop();
      resolve(hop);
    });
    hop.onGone((error) => {
      if (aborted) return fail(aborted);
      if (error) return fail(new SshFailure(classify(error as Error & { code?: string; level?: string }, hostKeyRejected), error.message, endpoint));
      fail(new SshFailure('unreachable', `${endpoint.host}:${endpoint.port} closed the connection before the login finished.`, endpoint));
    });
    deadline.start();
    try {
      client.connect(config);
    } catch (error) {
      // A configuration ssh2 refuses (e.g. an algorithm it does not know) throws at once.
      fail(error as Error);
    }
  });
}

function forward(client: Client, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

/** The channel to the next hop, through the jump host; the jump host must answer in time. */
function forwardHop(client: Client, endpoint: SshEndpoint, timeoutMs: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new SshFailure('timeout', `The jump host did not open a connection to ${endpoint.host}:${endpoint.port} within ${Math.round(timeoutMs / 1000)} s.`, endpoint));
    }, timeoutMs);
    // forward() also fails when ssh2 throws because the jump host's connection is already gone.
    forward(client, endpoint.host, endpoint.port).then(
      (channel) => {
        clearTimeout(timer);
        // Too late: nobody will use it.
        if (timedOut) channel.close();
        else resolve(channel);
      },
      (error: Error) => {
        clearTimeout(timer);
        reject(new SshFailure('unreachable', error.message, endpoint));
      },
    );
  });
}

function forwardStreamLocal(client: Client, path: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.openssh_forwardOutStreamLocal(path, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

const TUNNEL_CHANNEL_WAIT_MS = 30_000;

type SocketHelper = 'socat' | 'nc';

/** Which helper the host has: socat first; nc only when it is the OpenBSD one with -U. */
async function findSocketHelper(runner: ProcessRunner): Promise<SocketHelper | undefined> {
  const probe = runner.spawn(['sh', '-c', 'if command -v socat >/dev/null 2>&1; then echo socat; elif nc -h 2>&1 | grep -q -- "-U"; then echo nc; fi'], { channelWaitMs: TUNNEL_CHANNEL_WAIT_MS });
  const { stdout } = await collectOutput(probe);
  const found = stdout.trim();
  return found === 'socat' || found === 'nc' ? found : undefined;
}

function helperArgv(helper: SocketHelper, path: string): string[] {
  if (helper === 'nc') return ['nc', '-U', path];
  // socat parses its address argument: characters it treats specially are escaped for it.
  return ['socat', '-', `UNIX-CONNECT:${path.replace(/([\\:,!"'])/g, '\\$1')}`];
}

export class SshConnection implements ProcessRunner, TunnelOpener, Disposable {
  private readonly limiter = new ChannelLimiter(MAX_CHANNELS);
  private readonly emitter = new EventEmitter();
  private readonly clients: Client[];
  private closed = false;

  private constructor(
    hops: readonly Hop[],
    private readonly prefix: readonly string[],
  ) {
    this.clients = hops.map((hop) => hop.client);
    // Any hop going away takes the whole chain with it — also one that went while the chain
    // was still being built.
    for (const hop of hops) hop.onGone(() => this.markClosed());
  }

  /**
   * Connects through `jumps` (in order) to `target`. `prefix` is put before every command
   * (e.g. ['sudo', '-n'] for users outside the libvirt group).
   */
  static async connect(
    target: SshEndpoint,
    jumps: SshEndpoint[],
    hooks: SshHooks,
    prefix: readonly string[] = [],
    options: SshConnectOptions = {},
  ): Promise<SshConnection> {
    const timeoutMs = options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
    const hops: Hop[] = [];
    try {
      let sock: ClientChannel | undefined;
      for (const [index, endpoint] of [...jumps, target].entries()) {
        const previous = hops[index - 1];
        if (previous) {
          if (previous.isGone) throw new SshFailure('unreachable', `The connection to the jump host ${previous.endpoint.host} was lost.`, endpoint);
          sock = await forwardHop(previous.client, endpoint, timeoutMs);
        }
        hops.push(await connectHop(endpoint, hooks, timeoutMs, sock));
      }
    } catch (error) {
      // Only hops that logged in are in `hops`; if one of them is gone, the next one failed
      // because of it: name the hop that was lost.
      const lostJump = hops.find((hop) => hop.isGone);
      for (const hop of [...hops].reverse()) hop.end();
      if (lostJump && error instanceof SshFailure) {
        throw new SshFailure('unreachable', `The connection to the jump host ${lostJump.endpoint.host} was lost: ${error.message}`, lostJump.endpoint);
      }
      throw error;
    }
    return new SshConnection(hops, prefix);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(listener: () => void): Disposable {
    if (this.closed) {
      queueMicrotask(listener);
      return toDisposable(() => undefined);
    }
    this.emitter.once('close', listener);
    return toDisposable(() => this.emitter.off('close', listener));
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.emitter.emit('close');
    this.dispose();
  }

  spawn(argv: readonly string[], options: SpawnOptions = {}): HostProcess {
    const client = this.clients[this.clients.length - 1]!;
    // English messages from the host, so failures can be recognised; data stays untouched.
    const command = commandLine([...this.prefix, 'env', 'LC_MESSAGES=C', ...argv]);
    const execOptions: ExecOptions = options.pty ? { pty: { rows: options.pty.rows, cols: options.pty.cols, term: options.pty.term ?? 'xterm-256color' } } : {};
    const start = (async () => {
      if (this.closed) throw new Error('SSH connection closed');
      const release = await this.limiter.acquire(options.channelWaitMs === undefined ? {} : { timeoutMs: options.channelWaitMs });
      try {
        const channel = await new Promise<ClientChannel>((resolve, reject) => {
          client.exec(command, execOptions, (error, stream) => (error ? reject(error) : resolve(stream)));
        });
        channel.once('close', release);
        return channel;
      } catch (error) {
        release();
        throw error;
      }
    })();
    return new SshProcess(start);
  }

  /**
   * A tunnel through this connection to a TCP port (direct-tcpip, the address as the host sees
   * it) or a unix socket (OpenSSH's stream-local forwarding). Where sshd refuses stream-local
   * forwarding (AllowStreamLocalForwarding no), a helper on the host carries the bytes instead:
   * socat, or an nc that knows -U. Forwarded channels are not sessions, so MaxSessions does
   * not count them; a helper is a session and waits for a channel like any process.
   */
  async openTunnel(target: TunnelTarget): Promise<ByteChannel> {
    if (this.closed) throw new Error('SSH connection closed');
    const client = this.clients[this.clients.length - 1]!;
    if (target.kind === 'tcp') return channelFromDuplex(await forward(client, target.host, target.port));
    if (!this.streamLocalRefused) {
      try {
        return channelFromDuplex(await forwardStreamLocal(client, target.path));
      } catch {
        // OpenSSH answers a refused forward and a missing socket alike ("open failed"): the
        // helper tells them apart, and its own error says what is wrong with the socket.
      }
    }
    const channel = await this.tunnelThroughHelper(target.path);
    this.streamLocalRefused = true;
    return channel;
  }

  private helper: Promise<SocketHelper | undefined> | undefined;
  /** Set once a helper carried a socket the server would not forward: skip asking again. */
  private streamLocalRefused = false;

  private async tunnelThroughHelper(path: string): Promise<ByteChannel> {
    this.helper ??= findSocketHelper(this);
    const helper = await this.helper;
    if (!helper) {
      throw new ContractError(
        'host-unavailable',
        'The host refuses SSH forwarding to unix sockets and has neither socat nor an nc with -U to carry the connection.',
        'Install socat on the host (Debian/Ubuntu: apt install socat; Fedora/RHEL: dnf install socat), or allow StreamLocal forwarding in its sshd.',
      );
    }
    return channelFromProcess(this.spawn(helperArgv(helper, path), { channelWaitMs: TUNNEL_CHANNEL_WAIT_MS }));
  }

  /** Channels in use and waiting, for diagnostics and tests. */
  get channelUse(): { inUse: number; queued: number } {
    return { inUse: this.limiter.inUse, queued: this.limiter.queued };
  }

  dispose(): void {
    this.closed = true;
    for (const client of [...this.clients].reverse()) client.end();
  }
}
