import { afterEach, describe, expect, it } from 'vitest';
import { StatsPoller } from '../../main/services/stats/statsPoller.js';

describe('StatsPoller watch sets', () => {
  // No hosts are known, so nothing is read: this is only the bookkeeping of who watches what.
  const poller = new StatsPoller({ find: () => undefined }, () => undefined, 60_000);
  afterEach(() => poller.dispose());

  it('polls the union of what each window has on screen, and drops a window that went away', () => {
    poller.watch('window-1', ['a', 'b']);
    poller.watch('web-2', ['b', 'c']);
    expect(poller.watchedHosts).toEqual(['a', 'b', 'c']);
    poller.watch('window-1', []);
    expect(poller.watchedHosts).toEqual(['b', 'c']);
    poller.forget('web-2');
    expect(poller.watchedHosts).toEqual([]);
  });
});
