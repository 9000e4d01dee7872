/**
 * While a host is unreachable, its SSH port is knocked on cheaply — a TCP connect, no SSH
 * handshake — every few seconds, each host at its own offset so a fleet never knocks at once.
 * When the port answers after having been closed, the host reconnects at once instead of
 * waiting out its backoff (which stays for full attempts that fail). A port that answers all
 * along (sshd up, libvirt down) never triggers anything: only the change from closed to open does.
 */
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { toDisposable, type Disposable } from '../../core/disposable.js';

export const PROBE_INTERVAL_MS = 3_000;
const PROBE_TIMEOUT_MS = 2_000;

export interface ProbeTarget {
  address: string;
  port: number;
}

/** True when something accepts a TCP connection at the target within the timeout. */
export function tcpAnswers(target: ProbeTarget, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.address, port: target.port });
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Where in the interval this host probes: stable per host, spread over the fleet. */
export function probeOffset(hostId: string, intervalMs = PROBE_INTERVAL_MS): number {
  return createHash('sha256').update(hostId).digest().readUInt32BE(0) % intervalMs;
}

export interface ReachabilityOptions {
  hostId: string;
  target: ProbeTarget;
  /** The port answered after having been closed: reconnect now. */
  onAnswer(): void;
  intervalMs?: number;
  probe?: (target: ProbeTarget) => Promise<boolean>;
}

/** Probes until the port opens (then calls onAnswer once) or until disposed. */
export function watchReachability(options: ReachabilityOptions): Disposable {
  const interval = options.intervalMs ?? PROBE_INTERVAL_MS;
  const probe = options.probe ?? tcpAnswers;
  let sawClosed = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (delay: number) => {
    timer = setTimeout(() => void tick(), delay);
  };
  const tick = async () => {
    timer = undefined;
    const answered = await probe(options.target);
    if (stopped) return;
    if (!answered) sawClosed = true;
    else if (sawClosed) {
      stopped = true;
      options.onAnswer();
      return;
    }
    schedule(interval);
  };
  schedule(probeOffset(options.hostId, interval));
  return toDisposable(() => {
    stopped = true;
    if (timer) clearTimeout(timer);
  });
}
