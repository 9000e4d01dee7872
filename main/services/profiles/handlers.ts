/** `profiles.*`: the user's SSH host profiles and importing them from ~/.ssh/config. */
import type { profileCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import type { ProfileStore } from './profileStore.js';
import type { ImportFiles } from './importFiles.js';
import { previewSshConfigImport } from './sshConfigImport.js';

export interface ProfileHandlerHooks {
  /** After a profile is gone: delete what was remembered for it. */
  afterRemove(profileId: string): Promise<void>;
}

export function profileHandlers(profiles: ProfileStore, importFiles: ImportFiles, hooks: ProfileHandlerHooks): HandlersOf<typeof profileCalls> {
  return {
    'profiles.list': async () => profiles.list(),
    'profiles.create': async ({ fields }) => profiles.create(fields),
    'profiles.update': async ({ id, fields }) => profiles.update(id, fields),
    'profiles.duplicate': async ({ id, label }) => profiles.duplicate(id, label),
    'profiles.remove': async ({ id }) => {
      await profiles.remove(id);
      await hooks.afterRemove(id);
      return null;
    },
    'profiles.importPreview': async ({ path }) => previewSshConfigImport({ path: importFiles.allowed(path), existing: profiles.list() }),
    'profiles.importSource': async () => importFiles.source(),
    'profiles.importChooseFile': async () => importFiles.choose(),
    'profiles.importApply': async ({ candidates }) => profiles.createMany(candidates),
  };
}
