import { describe, expect, it } from 'vitest';
import { PersonWaits } from '../../main/services/hosts/personWaits.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((done, fail) => ((resolve = done), (reject = fail)));
  return { promise, resolve, reject };
}

describe('PersonWaits', () => {
  it('knows whether a failed attempt left a person answering, and waits for the answer', async () => {
    const waits = new PersonWaits();
    waits.begin();
    const question = deferred<string>();
    const hook = waits.track(() => question.promise);
    expect(waits.failed()).toBe(true);
    let done = false;
    const waiting = waits.answered().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    question.resolve('yes');
    await waiting;
    await expect(hook).resolves.toBe('yes');
    waits.begin();
    expect(waits.failed()).toBe(false);
  });

  it('a question that ends in an error (cancelled) also counts as answered', async () => {
    const waits = new PersonWaits();
    waits.begin();
    const question = deferred<string>();
    const hook = waits.track(() => question.promise);
    question.reject(new Error('cancelled'));
    await expect(hook).rejects.toThrow('cancelled');
    await waits.answered();
    expect(waits.failed()).toBe(false);
  });

  it('carries keyboard answers typed after their login ended to the next identical question only', async () => {
    const waits = new PersonWaits();
    waits.begin();
    const typed = deferred<string[]>();
    const first = waits.keyboardAnswers('Password:', () => typed.promise);
    waits.failed();
    typed.resolve(['hunter2']);
    await first;
    waits.begin();
    let asked = 0;
    expect(await waits.keyboardAnswers('Verification code:', async () => (asked++, ['123456']))).toEqual(['123456']);
    expect(await waits.keyboardAnswers('Password:', async () => (asked++, ['typed again']))).toEqual(['hunter2']);
    expect(await waits.keyboardAnswers('Password:', async () => (asked++, ['typed again']))).toEqual(['typed again']);
    expect(asked).toBe(2);
  });

  it('answers given while their login was still alive are not carried', async () => {
    const waits = new PersonWaits();
    waits.begin();
    await waits.keyboardAnswers('Password:', async () => ['used']);
    waits.failed();
    waits.begin();
    expect(await waits.keyboardAnswers('Password:', async () => ['fresh'])).toEqual(['fresh']);
  });
});
