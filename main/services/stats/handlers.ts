/** `stats.*`: which hosts' statistics a window has on screen. */
import type { statsCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import type { StatsPoller } from './statsPoller.js';

export function statsHandlers(stats: StatsPoller): HandlersOf<typeof statsCalls> {
  return {
    'stats.watch': async ({ hostIds }, { clientId }) => {
      stats.watch(clientId, hostIds);
      return null;
    },
  };
}
