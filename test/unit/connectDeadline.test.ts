import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectDeadline } from '../../main/connection/connectDeadline.js';

describe('ConnectDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires after its budget of network time', () => {
    const expired = vi.fn();
    const deadline = new ConnectDeadline(15_000, expired);
    deadline.start();
    vi.advanceTimersByTime(14_999);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('does not count the time a person takes, and counts on afterwards', async () => {
    const expired = vi.fn();
    const deadline = new ConnectDeadline(15_000, expired);
    deadline.start();
    vi.advanceTimersByTime(10_000);
    let answer!: (value: string) => void;
    const asked = deadline.whilePersonAnswers(() => new Promise<string>((resolve) => (answer = resolve)));
    expect(deadline.isPaused).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(expired).not.toHaveBeenCalled();
    answer('yes');
    await expect(asked).resolves.toBe('yes');
    expect(deadline.isPaused).toBe(false);
    vi.advanceTimersByTime(4_999);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('stays paused while any of several overlapping questions is open, also when one fails', async () => {
    const expired = vi.fn();
    const deadline = new ConnectDeadline(1_000, expired);
    deadline.start();
    const first = deadline.whilePersonAnswers(() => Promise.reject(new Error('cancelled')));
    let finish!: () => void;
    const second = deadline.whilePersonAnswers(() => new Promise<void>((resolve) => (finish = resolve)));
    await expect(first).rejects.toThrow('cancelled');
    vi.advanceTimersByTime(5_000);
    expect(expired).not.toHaveBeenCalled();
    finish();
    await second;
    vi.advanceTimersByTime(1_000);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('never fires once stopped, even when a question ends later', async () => {
    const expired = vi.fn();
    const deadline = new ConnectDeadline(1_000, expired);
    deadline.start();
    let finish!: () => void;
    const asked = deadline.whilePersonAnswers(() => new Promise<void>((resolve) => (finish = resolve)));
    deadline.stop();
    finish();
    await asked;
    vi.advanceTimersByTime(10_000);
    expect(expired).not.toHaveBeenCalled();
  });
});
