import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../main/services/settings/settingsStore.js';

describe('SettingsStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vd-settings-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts from defaults, persists changes as versioned JSON, and reads them back', async () => {
    const store = new SettingsStore(dir);
    await store.load();
    expect(store.get()).toEqual({ language: null, theme: 'system', sidebarWidth: 280 });
    await store.set({ language: 'zh-CN', theme: 'dark' });
    const file = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
    expect(file).toEqual({ version: 1, settings: { language: 'zh-CN', theme: 'dark', sidebarWidth: 280 } });
    const again = new SettingsStore(dir);
    await again.load();
    expect(again.get().language).toBe('zh-CN');
    // No temporary files are left behind.
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('serialises concurrent writes so the last change wins on disk', async () => {
    const store = new SettingsStore(dir);
    await store.load();
    await Promise.all([store.set({ sidebarWidth: 300 }), store.set({ sidebarWidth: 400 }), store.set({ sidebarWidth: 500 })]);
    const file = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
    expect(file.settings.sidebarWidth).toBe(500);
  });

  it('falls back to defaults on a corrupt file without throwing', async () => {
    await writeFile(join(dir, 'settings.json'), '{ not json');
    const store = new SettingsStore(dir);
    await store.load();
    expect(store.get().theme).toBe('system');
  });

  it('reports the failure to its caller, keeps the last saved settings, and still saves the next change', async () => {
    const store = new SettingsStore(dir);
    await store.load();
    await store.set({ theme: 'light' });
    // A directory where the file should be: the rename over it fails.
    await rm(join(dir, 'settings.json'));
    await mkdir(join(dir, 'settings.json'));
    await expect(store.set({ theme: 'dark' })).rejects.toThrow();
    expect(store.get().theme).toBe('light');
    await rm(join(dir, 'settings.json'), { recursive: true });
    await expect(store.set({ sidebarWidth: 333 })).resolves.toMatchObject({ theme: 'light', sidebarWidth: 333 });
    const file = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'));
    expect(file.settings).toMatchObject({ theme: 'light', sidebarWidth: 333 });
  });
});
