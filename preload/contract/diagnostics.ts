/** What benchmarks ask main about its own costs (answered only when main runs with VIRTDECK_PERF=1). */
import { z } from 'zod';

export const PerfSnapshot = z.object({
  enabled: z.boolean(),
  sinceMs: z.number(),
  cpuUserMs: z.number(),
  cpuSystemMs: z.number(),
  /** Synchronous work by phase (parsing, building inventories, encoding messages). */
  phases: z.record(z.string(), z.object({ ms: z.number(), count: z.number() })),
  /** Per host: when each step of a connect finished (ms since epoch). */
  marks: z.array(z.object({ hostId: z.string(), name: z.string(), at: z.number() })),
  messages: z.record(z.string(), z.object({ count: z.number(), bytes: z.number() })),
  eventLoopMaxDelayMs: z.number(),
});
export type PerfSnapshot = z.infer<typeof PerfSnapshot>;

export const diagnosticsCalls = {
  /** main's counters since the last reset; `reset` starts a new measurement after reading. */
  'diagnostics.perf': { args: z.object({ reset: z.boolean().optional() }).strict(), result: PerfSnapshot },
} as const;
