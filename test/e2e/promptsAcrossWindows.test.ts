// One question, two windows: two Chromium pages on the same web-mode process see the same
// host-key question; when main withdraws it (the host was removed) or one window answers it,
// it closes in both, and the other window never answers a question that is gone.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostProfile, Prompt } from '../../preload/contract.js';
import { labProfileFields } from '../support/labApp.js';
import { startHarness, type Harness } from './webModeHarness.js';


let work: string;
let harness: Harness;
let first: Page;
let second: Page;

const dialogIn = (page: Page) => page.locator('[data-testid="prompt-dialog"][data-kind="host-key"]');

async function openQuestion(label: string): Promise<{ profile: HostProfile; promptId: string }> {
  const profile = (await harness.contract.call('profiles.create', { fields: await labProfileFields('lab3', { label }) })) as HostProfile;
  for (const page of [first, second]) {
    await dialogIn(page).waitFor({ timeout: 20_000 });
  }
  const ids = await Promise.all([first, second].map((page) => dialogIn(page).getAttribute('data-prompt-id')));
  const open = (await harness.contract.call('prompts.list', {})) as Prompt[];
  expect(open.map((prompt) => prompt.promptId)).toEqual([ids[0]]);
  expect(ids[1]).toBe(ids[0]);
  expect(await dialogIn(first).getAttribute('data-host-id')).toBe(profile.id);
  return { profile, promptId: ids[0]! };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vd-e2e-prompts-'));
  await writeFile(join(work, 'known_hosts'), '');
  harness = await startHarness({ includeLocal: false, includeDemo: false, knownHosts: join(work, 'known_hosts') });
  first = harness.page;
  // A second window of the same browser session (the token cookie is shared, as with two tabs).
  second = await harness.context.newPage();
  await second.goto(harness.origin + '/');
  for (const page of [first, second]) await page.locator('[data-testid="empty-add-host"], [data-testid="add-host-button"]').first().waitFor();
});

afterAll(async () => {
  await harness?.close();
  await rm(work, { recursive: true, force: true });
});

describe('a question open in two windows', () => {
  it('withdrawn by main (the host was removed), it closes in every window', async () => {
    const { profile } = await openQuestion('lab3-withdrawn');
    const closed: string[] = [];
    const stop = harness.contract.onEvent('prompt.closed', ({ promptId }) => closed.push(promptId));
    await harness.contract.call('profiles.remove', { id: profile.id });
    for (const page of [first, second]) await dialogIn(page).waitFor({ state: 'detached', timeout: 10_000 });
    stop();
    expect(closed).toHaveLength(1);
    expect(await harness.contract.call('prompts.list', {})).toEqual([]);
  });

  it('answered in one window, it closes in the other and the host connects', async () => {
    const { profile, promptId } = await openQuestion('lab3-answered');
    await dialogIn(first).locator('[data-testid="prompt-hostkey-once"]').click();
    await dialogIn(second).waitFor({ state: 'detached', timeout: 10_000 });
    await dialogIn(first).waitFor({ state: 'detached', timeout: 10_000 });
    const node = (page: Page) => page.locator(`[data-testid="tree-host"][data-host-id="${profile.id}"]`);
    for (const page of [first, second]) await expect.poll(() => node(page).getAttribute('data-status'), { timeout: 20_000 }).toBe('connected');
    // The closed question is gone for good: answering it now is refused, not applied.
    await expect(harness.contract.call('prompts.answer', { promptId, answer: { kind: 'host-key', decision: 'reject' } })).rejects.toMatchObject({ code: 'not-found' });
  });
});
