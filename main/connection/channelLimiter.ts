/**
 * Caps how many SSH session channels one connection holds at once. sshd refuses sessions beyond
 * its MaxSessions (10 by default), so we stay below it and queue the rest. Waiting has a
 * deadline: a host whose channels are all taken by long work says so ("host-busy") instead of
 * leaving a request waiting forever.
 */
import { ContractError } from '../../preload/contract.js';

export interface AcquireOptions {
  /** Fail with host-busy after this long without a free channel (default: wait forever). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Waiter {
  grant(): void;
  fail(error: Error): void;
}

export class ChannelLimiter {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limit: number) {}

  async acquire(options: AcquireOptions = {}): Promise<() => void> {
    if (options.signal?.aborted) throw new ContractError('cancelled', 'Cancelled before a channel was free.');
    if (this.active < this.limit) {
      this.active += 1;
    } else {
      await new Promise<void>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const done = () => {
          if (timer) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
        };
        const waiter: Waiter = {
          grant: () => {
            done();
            resolve();
          },
          fail: (error) => {
            done();
            reject(error);
          },
        };
        const onAbort = () => waiter.fail(new ContractError('cancelled', 'Cancelled while waiting for a free channel.'));
        options.signal?.addEventListener('abort', onAbort, { once: true });
        if (options.timeoutMs !== undefined) {
          timer = setTimeout(
            () =>
              waiter.fail(
                new ContractError(
                  'host-busy',
                  `The host is busy: all ${this.limit} channels VirtDeck may open there are in use.`,
                  `waited ${Math.round(options.timeoutMs! / 1000)} s for a free SSH channel`,
                ),
              ),
            options.timeoutMs,
          );
        }
        this.waiting.push(waiter);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter; `active` stays the same.
      if (next) next.grant();
      else this.active -= 1;
    };
  }

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }
}
