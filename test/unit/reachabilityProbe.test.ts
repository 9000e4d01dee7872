// Knocking on an unreachable host's SSH port: reconnect as soon as it opens again, never while
// it has answered all along, never more than once per interval.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeOffset, tcpAnswers, watchReachability } from '../../main/services/hosts/reachabilityProbe.js';
import { waitFor } from '../support/appEvents.js';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

describe('reachability probe', () => {
  it('tells an open TCP port from a closed one', async () => {
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    expect(await tcpAnswers({ address: '127.0.0.1', port })).toBe(true);
    server.close();
    await new Promise((resolve) => server!.once('close', resolve));
    expect(await tcpAnswers({ address: '127.0.0.1', port })).toBe(false);
  });

  it('calls back once when the port opens after having been closed', async () => {
    const answers = [false, false, true, true];
    const probed: number[] = [];
    let called = 0;
    const watch = watchReachability({
      hostId: 'h1',
      target: { address: '127.0.0.1', port: 1 },
      intervalMs: 20,
      probe: async () => {
        probed.push(Date.now());
        return answers.shift() ?? true;
      },
      onAnswer: () => (called += 1),
    });
    await waitFor('the callback', () => called === 1 || undefined, 2_000, 5);
    await new Promise((resolve) => setTimeout(resolve, 60));
    watch.dispose();
    expect(called).toBe(1);
    expect(probed).toHaveLength(3);
    for (let i = 1; i < probed.length; i += 1) expect(probed[i]! - probed[i - 1]!).toBeGreaterThanOrEqual(18);
  });

  it('never calls back for a port that answered all along', async () => {
    let probes = 0;
    let called = false;
    const watch = watchReachability({ hostId: 'h2', target: { address: '127.0.0.1', port: 1 }, intervalMs: 10, probe: async () => (probes += 1) > 0, onAnswer: () => (called = true) });
    await waitFor('a few probes', () => probes >= 4 || undefined, 2_000, 5);
    watch.dispose();
    expect(called).toBe(false);
  });

  it('spreads hosts over the interval', () => {
    const offsets = new Set(Array.from({ length: 50 }, (_, i) => Math.floor(probeOffset(`host-${i}`, 3_000) / 100)));
    expect(offsets.size).toBeGreaterThan(15);
  });
});
