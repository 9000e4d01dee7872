import { describe, expect, it } from 'vitest';
import type { Prompt } from '../../preload/contract.js';
import { backoffDelay } from '../../main/core/backoff.js';
import { PromptBroker } from '../../main/services/prompts/promptBroker.js';

describe('PromptBroker', () => {
  it('announces a question, lists it, and resolves with the answer', async () => {
    const opened: Prompt[] = [];
    const closed: string[] = [];
    const broker = new PromptBroker((p) => opened.push(p), (p) => closed.push(p.promptId));
    const pending = broker.ask({ kind: 'host-key', hostId: 'h1', hostLabel: 'H1', host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:x' });
    expect(opened).toHaveLength(1);
    expect(broker.list()).toEqual(opened);
    expect(() => broker.answer(opened[0]!.promptId, { kind: 'secret', value: 'x', remember: false })).toThrow(/host-key answer/);
    broker.answer(opened[0]!.promptId, { kind: 'host-key', decision: 'once' });
    expect(await pending).toEqual({ kind: 'host-key', decision: 'once' });
    expect(closed).toEqual([opened[0]!.promptId]);
    expect(broker.list()).toEqual([]);
    expect(() => broker.answer(opened[0]!.promptId, { kind: 'host-key', decision: 'once' })).toThrow(/no longer open/);
  });

  it('withdraws the questions of one host only', async () => {
    const broker = new PromptBroker(() => undefined, () => undefined);
    const a = broker.ask({ kind: 'secret', hostId: 'a', hostLabel: 'A', secret: 'password', target: 'u@a', canRemember: false });
    broker.ask({ kind: 'secret', hostId: 'b', hostLabel: 'B', secret: 'password', target: 'u@b', canRemember: false });
    broker.withdrawFor('a');
    expect(await a).toBeNull();
    expect(broker.list().map((p) => p.hostId)).toEqual(['b']);
  });
});

describe('PromptBroker: at most one open question of a kind per host', () => {
  const hostKey = (hostId: string, fingerprint = 'SHA256:x') =>
    ({ kind: 'host-key', hostId, hostLabel: hostId.toUpperCase(), host: '198.18.0.10', port: 22, keyType: 'ssh-ed25519', fingerprint }) as const;

  it('the same question asked again (a retry) joins the open one: one prompt, one answer for both', async () => {
    const opened: Prompt[] = [];
    const joined: Prompt[] = [];
    const broker = new PromptBroker((p) => opened.push(p), () => undefined, (p) => joined.push(p));
    const first = broker.ask(hostKey('h1'));
    const second = broker.ask(hostKey('h1'));
    expect(opened).toHaveLength(1);
    expect(joined).toEqual(opened);
    expect(broker.list()).toHaveLength(1);
    broker.answer(opened[0]!.promptId, { kind: 'host-key', decision: 'always' });
    expect(await first).toEqual({ kind: 'host-key', decision: 'always' });
    expect(await second).toEqual({ kind: 'host-key', decision: 'always' });
  });

  it('a different question of the same kind replaces the open one, which is withdrawn', async () => {
    const closed: string[] = [];
    const broker = new PromptBroker(() => undefined, (p) => closed.push(p.promptId));
    const stale = broker.ask(hostKey('h1', 'SHA256:old'));
    const [old] = broker.list();
    const fresh = broker.ask(hostKey('h1', 'SHA256:new'));
    expect(await stale).toBeNull();
    expect(closed).toEqual([old!.promptId]);
    expect(broker.list().map((p) => p.kind === 'host-key' && p.fingerprint)).toEqual(['SHA256:new']);
    broker.answer(broker.list()[0]!.promptId, { kind: 'host-key', decision: 'once' });
    expect(await fresh).toEqual({ kind: 'host-key', decision: 'once' });
  });

  it('other kinds and other hosts are separate questions', () => {
    const broker = new PromptBroker(() => undefined, () => undefined);
    void broker.ask(hostKey('h1'));
    void broker.ask(hostKey('h2'));
    void broker.ask({ kind: 'secret', hostId: 'h1', hostLabel: 'H1', secret: 'password', target: 'u@h1', canRemember: false });
    expect(broker.list()).toHaveLength(3);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with jitter between half and all of it', () => {
    const options = { baseMs: 1000, capMs: 60_000 };
    expect(backoffDelay(0, { ...options, random: () => 0 })).toBe(500);
    expect(backoffDelay(0, { ...options, random: () => 1 })).toBe(1000);
    expect(backoffDelay(3, { ...options, random: () => 1 })).toBe(8000);
    expect(backoffDelay(20, { ...options, random: () => 0.5 })).toBe(45_000);
    const samples = Array.from({ length: 50 }, () => backoffDelay(4, options));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(8000);
    expect(Math.max(...samples)).toBeLessThanOrEqual(16_000);
    expect(new Set(samples).size).toBeGreaterThan(1);
  });
});
