/** The channel budget of one SSH connection: a slot per channel, waiting with a deadline. */
import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from '../../main/connection/channelLimiter.js';

describe('ChannelLimiter', () => {
  it('gives out at most its limit and hands a released slot to the next waiter', async () => {
    const limiter = new ChannelLimiter(2);
    const a = await limiter.acquire();
    await limiter.acquire();
    let third = false;
    const waiting = limiter.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    expect(limiter.queued).toBe(1);
    a();
    await waiting;
    expect(limiter.inUse).toBe(2);
  });

  it('says the host is busy when no channel came free in time, and forgets the waiter', async () => {
    const limiter = new ChannelLimiter(1);
    const release = await limiter.acquire();
    await expect(limiter.acquire({ timeoutMs: 50 })).rejects.toMatchObject({ code: 'host-busy', message: expect.stringContaining('busy') });
    expect(limiter.queued).toBe(0);
    release();
    expect(limiter.inUse).toBe(0);
  });

  it('stops waiting when the work is cancelled', async () => {
    const limiter = new ChannelLimiter(1);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    expect(limiter.queued).toBe(0);
  });
});
