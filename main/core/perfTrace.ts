/**
 * Where main's time goes, for benchmarks: off unless VIRTDECK_PERF=1, and then cheap (a CPU
 * clock read around synchronous work). Synchronous sections — parsing virsh output and XML,
 * building inventories, encoding contract messages — are timed by phase in CPU time. Everything else main spent (ssh2's handshakes and ciphers, channel and virsh framing)
 * is the rest of process.cpuUsage(). Per host, marks record when each step of a connect finished.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface PerfPhase {
  ms: number;
  count: number;
}

export interface PerfMark {
  hostId: string;
  name: string;
  /** ms since epoch. */
  at: number;
}

export interface PerfSnapshot {
  enabled: boolean;
  /** Since the last reset. */
  sinceMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  phases: Record<string, PerfPhase>;
  marks: PerfMark[];
  /** Contract messages sent to pages, by event name (or 'result'). */
  messages: Record<string, { count: number; bytes: number }>;
  /** The longest the event loop was blocked (ms). */
  eventLoopMaxDelayMs: number;
}

class PerfTrace {
  readonly enabled = process.env.VIRTDECK_PERF === '1';
  private phases = new Map<string, PerfPhase>();
  private marks: PerfMark[] = [];
  private messages = new Map<string, { count: number; bytes: number }>();
  private since = Date.now();
  private cpu = process.cpuUsage();
  private readonly delay: IntervalHistogram | undefined;

  constructor() {
    if (this.enabled) {
      this.delay = monitorEventLoopDelay({ resolution: 10 });
      this.delay.enable();
    }
  }

  /**
   * Runs fn and adds the process CPU time it took to the phase (CPU, not wall time: on a busy
   * machine a section's wall time includes the time others had the core).
   */
  time<T>(phase: string, fn: () => T): T {
    if (!this.enabled) return fn();
    const start = process.cpuUsage();
    try {
      return fn();
    } finally {
      const used = process.cpuUsage(start);
      this.add(phase, (used.user + used.system) / 1000);
    }
  }

  add(phase: string, ms: number): void {
    if (!this.enabled) return;
    const entry = this.phases.get(phase) ?? { ms: 0, count: 0 };
    entry.ms += ms;
    entry.count += 1;
    this.phases.set(phase, entry);
  }

  mark(hostId: string, name: string): void {
    if (this.enabled) this.marks.push({ hostId, name, at: Date.now() });
  }

  message(name: string, bytes: number): void {
    if (!this.enabled) return;
    const entry = this.messages.get(name) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += bytes;
    this.messages.set(name, entry);
  }

  reset(): void {
    this.phases = new Map();
    this.marks = [];
    this.messages = new Map();
    this.since = Date.now();
    this.cpu = process.cpuUsage();
    this.delay?.reset();
  }

  snapshot(): PerfSnapshot {
    const cpu = process.cpuUsage(this.cpu);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      enabled: this.enabled,
      sinceMs: Date.now() - this.since,
      cpuUserMs: round(cpu.user / 1000),
      cpuSystemMs: round(cpu.system / 1000),
      phases: Object.fromEntries([...this.phases].map(([name, phase]) => [name, { ms: round(phase.ms), count: phase.count }])),
      marks: [...this.marks],
      messages: Object.fromEntries(this.messages),
      eventLoopMaxDelayMs: this.delay ? round(this.delay.max / 1e6) : 0,
    };
  }
}

export const perf = new PerfTrace();
