// Questions that wait for a person, against the lab's real sshd (LoginGraceTime 30 s there):
// while a host-key, password or 2FA question is open no connection timeout runs, the host stays
// "waiting for you" with exactly one question — also after sshd itself gives up on the login —
// and answering it, however late, connects.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import type { App } from '../../main/app.js';
import type { HostProfile, Prompt } from '../../preload/contract.js';
import { readLabHosts, type LabHost } from '../lab/index.js';
import { AppWatcher, waitFor } from '../support/appEvents.js';
import { labProfileFields, startLabApp, type LabApp } from '../support/labApp.js';

const hosts = await readLabHosts();
const lab = (name: string): LabHost => hosts.find((host) => host.name === name)!;

let dir: string;
let labApp: LabApp;
let app: App;
let watch: AppWatcher;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vd-questions-'));
  await writeFile(join(dir, 'user_known_hosts'), '');
  // Nothing trusted yet, and a short backoff: a retry that opened a second question would do so within the test.
  labApp = await startLabApp({ userKnownHosts: join(dir, 'user_known_hosts'), retry: { baseMs: 200, capMs: 1000 } });
  ({ app, watch } = labApp);
});

afterAll(async () => {
  await labApp?.close();
  await rm(dir, { recursive: true, force: true });
});

const openFor = async (hostId: string): Promise<Prompt[]> => ((await app.registry.call('prompts.list', {})) as Prompt[]).filter((prompt) => prompt.hostId === hostId);
const openedFor = (hostId: string) => watch.of('prompt.opened').filter((prompt) => prompt.hostId === hostId);

/**
 * Watches a host for `ms` while its question stays unanswered: every look must find the
 * same single open question and the host waiting for the person. Returns how often it looked.
 */
async function unansweredFor(expect: ExpectStatic, hostId: string, question: Prompt, ms: number): Promise<number> {
  const until = Date.now() + ms;
  let looks = 0;
  while (Date.now() < until) {
    const open = await openFor(hostId);
    expect(open.map((prompt) => prompt.promptId)).toEqual([question.promptId]);
    const summary = await watch.host(hostId);
    expect(summary?.status).toBe('awaiting-user');
    expect(summary?.nextRetryAt).toBeUndefined();
    looks += 1;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return looks;
}

// The two tests wait out their timeouts at the same time: they use distinct lab hosts (lab2;
// pw and kbd), and every look filters the questions and the status by the test's own host.
describe.concurrent('a question left open for longer than any timeout', () => {
  it('a host-key question unanswered for 60 s is still one question, and answering it connects', { timeout: 120_000 }, async ({ expect }) => {
    const host = lab('lab2');
    const profile = (await app.registry.call('profiles.create', { fields: await labProfileFields(host.name, { label: `${host.name}-waits` }) })) as HostProfile;
    const question = await waitFor('the host-key question', async () => (await openFor(profile.id))[0]);
    expect(question.kind).toBe('host-key');
    // 60 s: past the old 15 s ready timeout and past the lab sshd's 30 s LoginGraceTime.
    expect(await unansweredFor(expect, profile.id, question, 60_000)).toBeGreaterThan(60);
    await app.registry.call('prompts.answer', { promptId: question.promptId, answer: { kind: 'host-key', decision: 'once' } });
    const connected = await watch.waitForStatus(profile.id, 'connected');
    expect(connected.hostname).toBe(host.name);
    expect(openedFor(profile.id)).toHaveLength(1);
    expect(await openFor(profile.id)).toEqual([]);
  });

  it('a password and a 2FA answer typed after sshd gave up on the login still connect, each asked once', { timeout: 120_000 }, async ({ expect }) => {
    const targets = [lab('pw'), lab('kbd')];
    const profiles = await Promise.all(targets.map(async (host) => (await app.registry.call('profiles.create', { fields: await labProfileFields(host.name, { label: `${host.name}-waits` }) })) as HostProfile));
    for (const profile of profiles) await watch.answer(profile.id, 'host-key', { kind: 'host-key', decision: 'once' });
    const questions = await Promise.all(
      profiles.map((profile) => waitFor('the login question', async () => (await openFor(profile.id)).find((prompt) => prompt.kind !== 'host-key'))),
    );
    expect(questions.map((question) => question.kind)).toEqual(['secret', 'keyboard-interactive']);
    // 35 s: past the lab sshd's LoginGraceTime of 30 s, so the server itself has closed these logins.
    await Promise.all(profiles.map((profile, index) => unansweredFor(expect, profile.id, questions[index]!, 35_000)));
    await app.registry.call('prompts.answer', { promptId: questions[0]!.promptId, answer: { kind: 'secret', value: targets[0]!.password ?? '', remember: false } });
    await app.registry.call('prompts.answer', { promptId: questions[1]!.promptId, answer: { kind: 'keyboard-interactive', answers: [targets[1]!.password ?? ''] } });
    for (const [index, profile] of profiles.entries()) {
      expect((await watch.waitForStatus(profile.id, 'connected')).hostname).toBe(targets[index]!.name);
      // One host-key question and one login question, nothing asked twice.
      expect(openedFor(profile.id).map((prompt) => prompt.kind)).toEqual(['host-key', questions[index]!.kind]);
    }
  });
});
