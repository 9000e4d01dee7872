import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostProfile, HostProfileFields } from '../../preload/contract.js';
import { ProfileStore } from '../../main/services/profiles/profileStore.js';

const fields = (label: string, extra: Partial<HostProfileFields> = {}): HostProfileFields => ({
  label,
  address: `${label}.example`,
  port: 22,
  user: 'admin',
  auth: 'agent',
  jumpHosts: [],
  uri: 'qemu:///system',
  sudo: false,
  folder: '',
  tags: [],
  rememberSecret: false,
  ...extra,
});

describe('ProfileStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vd-profiles-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds, edits, duplicates and removes, persisting versioned JSON atomically', async () => {
    const changes: HostProfile[][] = [];
    const store = new ProfileStore(dir, (list) => changes.push(list));
    await store.load();
    const a = await store.create(fields('alpha', { tags: ['prod'], folder: 'dc1/rack2' }));
    const b = await store.duplicate(a.id);
    expect(b.label).toBe('alpha (copy)');
    expect(b.id).not.toBe(a.id);
    const edited = await store.update(a.id, fields('alpha-renamed'));
    expect(edited.createdAt).toBe(a.createdAt);
    await store.remove(b.id);
    expect(changes).toHaveLength(4);

    const file = JSON.parse(await readFile(join(dir, 'hosts.json'), 'utf8'));
    expect(file.version).toBe(1);
    expect(file.profiles.map((p: HostProfile) => p.label)).toEqual(['alpha-renamed']);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const again = new ProfileStore(dir);
    await again.load();
    expect(again.list().map((p) => p.label)).toEqual(['alpha-renamed']);
  });

  it('loses nothing when many changes arrive at once', async () => {
    const store = new ProfileStore(dir);
    await store.load();
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(fields(`h${i}`))));
    expect(store.list()).toHaveLength(20);
    await Promise.all(created.slice(0, 15).map((profile) => store.remove(profile.id)));
    const again = new ProfileStore(dir);
    await again.load();
    expect(again.list().map((p) => p.label).sort()).toEqual(['h15', 'h16', 'h17', 'h18', 'h19']);
  });

  it('refuses invalid profiles with a typed error and changes nothing', async () => {
    const store = new ProfileStore(dir);
    await store.load();
    await expect(store.create(fields('', {}))).rejects.toMatchObject({ code: 'invalid-profile' });
    await expect(store.create(fields('x', { port: 70000 }))).rejects.toMatchObject({ code: 'invalid-profile' });
    await expect(store.create(fields('x', { uri: 'not a uri' }))).rejects.toMatchObject({ code: 'invalid-profile' });
    await expect(store.create(fields('x', { auth: 'key' }))).rejects.toMatchObject({ code: 'invalid-profile' });
    await expect(store.update('nope', fields('x'))).rejects.toMatchObject({ code: 'not-found' });
    expect(store.list()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('moves an unreadable file aside instead of overwriting it', async () => {
    await writeFile(join(dir, 'hosts.json'), '{"version":1,"profiles":[{"broken":');
    const store = new ProfileStore(dir);
    await store.load();
    expect(store.list()).toEqual([]);
    expect(store.movedAside).toMatch(/hosts\.json\.unreadable-/);
    await store.create(fields('fresh'));
    const names = await readdir(dir);
    expect(names).toContain('hosts.json');
    const aside = names.find((name) => name.startsWith('hosts.json.unreadable-'))!;
    expect(await readFile(join(dir, aside), 'utf8')).toBe('{"version":1,"profiles":[{"broken":');
  });
});
