// Which files the import preview reads on the renderer's behalf: the SSH config VirtDeck was
// given (~/.ssh/config by default) and the files it includes, or a file the user picked in a
// file dialog shown by main. A path the renderer makes up is refused before anything is read.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../main/app.js';
import type { ImportCandidate } from '../../preload/contract.js';

describe('profiles.importPreview reads only files the user chose', () => {
  let dir: string;
  let app: App | undefined;
  let picked: string | undefined;
  let pickerShown = 0;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vd-import-files-'));
    await writeFile(join(dir, 'ssh_config'), `Host given\n  HostName 198.18.0.50\n  Include ${join(dir, 'included.conf')}\n`);
    await writeFile(join(dir, 'included.conf'), 'Host included\n  HostName 198.18.0.51\n');
    // Looks like an ssh config, so a reader that accepted any path would list its hosts.
    await writeFile(join(dir, 'not-chosen'), 'Host stolen\n  HostName 198.18.0.66\n');
    await writeFile(join(dir, 'picked_config'), 'Host picked\n  HostName 198.18.0.52\n');
    picked = undefined;
    pickerShown = 0;
  });
  afterEach(async () => {
    await app?.dispose();
    app = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (desktop: boolean) => {
    app = await createApp(
      {
        mode: desktop ? 'electron' : 'web',
        configDir: join(dir, 'config'),
        versions: {},
        systemLocale: 'en-US',
        sshConfigPath: join(dir, 'ssh_config'),
        ...(desktop ? { chooseSshConfigFile: async () => (pickerShown++, picked) } : {}),
      },
      { includeLocal: false, includeDemo: false },
    );
    return app;
  };
  const aliases = (list: unknown) => (list as ImportCandidate[]).map((candidate) => candidate.alias);

  it('reads the configured file and what it includes', async () => {
    const { registry } = await start(false);
    expect(aliases(await registry.call('profiles.importPreview', {}))).toEqual(['given', 'included']);
    expect(aliases(await registry.call('profiles.importPreview', { path: join(dir, 'ssh_config') }))).toEqual(['given', 'included']);
  });

  it('refuses any other path, saying what to do, without reading it', async () => {
    const { registry } = await start(false);
    for (const path of [join(dir, 'not-chosen'), join(dir, 'included.conf'), '/etc/passwd', `${dir}/../${dir.split('/').pop()}/not-chosen`]) {
      const error = await registry.call('profiles.importPreview', { path }).then(() => undefined, (failure: unknown) => failure);
      expect(error).toMatchObject({ code: 'import-file-not-chosen' });
      expect((error as Error).message).toMatch(/Choose file/);
    }
  });

  it('web mode shows no picker', async () => {
    const { registry } = await start(false);
    expect(await registry.call('profiles.importSource', {})).toEqual({ path: join(dir, 'ssh_config'), canChoose: false });
    await expect(registry.call('profiles.importChooseFile', {})).rejects.toMatchObject({ code: 'import-file-not-chosen' });
  });

  it('desktop: a file picked in main’s dialog may be read, and only that one', async () => {
    const { registry } = await start(true);
    expect(await registry.call('profiles.importSource', {})).toEqual({ path: join(dir, 'ssh_config'), canChoose: true });
    expect(await registry.call('profiles.importChooseFile', {})).toBeNull();
    picked = join(dir, 'picked_config');
    expect(await registry.call('profiles.importChooseFile', {})).toEqual({ path: picked });
    expect(pickerShown).toBe(2);
    expect(aliases(await registry.call('profiles.importPreview', { path: picked }))).toEqual(['picked']);
    await expect(registry.call('profiles.importPreview', { path: join(dir, 'not-chosen') })).rejects.toMatchObject({ code: 'import-file-not-chosen' });
  });
});
