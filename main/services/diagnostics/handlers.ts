/** Benchmarks read main's own costs through the contract (see core/perfTrace.ts). */
import type { diagnosticsCalls } from '../../../preload/contract/diagnostics.js';
import { perf } from '../../core/perfTrace.js';
import type { HandlersOf } from '../../core/registry.js';

export function diagnosticsHandlers(): HandlersOf<typeof diagnosticsCalls> {
  return {
    'diagnostics.perf': async ({ reset }) => {
      const snapshot = perf.snapshot();
      if (reset) perf.reset();
      return snapshot;
    },
  };
}
