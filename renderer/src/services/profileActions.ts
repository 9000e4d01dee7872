/** Creating, changing, copying and removing host profiles; importing from ~/.ssh/config. */
import type { HostProfile, HostProfileFields, ImportCandidate } from '../../../preload/contract.js';
import { toErrorInfo } from '../errors/errorInfo.js';
import { currentTranslator } from '../i18n/currentTranslator.js';
import { nodeKey } from '../navigation/nodeRef.js';
import { requireClient } from '../store/connectionStore.js';
import { useProfilesStore } from '../store/profilesStore.js';
import { useToastStore } from '../store/toastStore.js';
import { useUiStore } from '../store/uiStore.js';

/** Saves the dialog's fields: a new profile, or changes to `id`. Errors go back to the dialog. */
export async function saveProfile(id: string | null, fields: HostProfileFields): Promise<HostProfile> {
  const client = requireClient();
  const profile = id === null ? await client.call('profiles.create', { fields }) : await client.call('profiles.update', { id, fields });
  useProfilesStore.getState().upsertProfile(profile);
  // The host itself arrives with hosts.changed; selecting its key now highlights it then.
  useUiStore.getState().select(nodeKey({ kind: 'host', hostId: profile.id }));
  return profile;
}

export async function duplicateProfile(id: string, label: string): Promise<void> {
  try {
    const original = useProfilesStore.getState().profiles.find((profile) => profile.id === id);
    const copyLabel = original ? currentTranslator()('hostMenu.copyLabel', { label: original.label }) : undefined;
    const copy = await requireClient().call('profiles.duplicate', copyLabel ? { id, label: copyLabel } : { id });
    useProfilesStore.getState().upsertProfile(copy);
    useUiStore.getState().select(nodeKey({ kind: 'host', hostId: copy.id }));
  } catch (error) {
    useToastStore.getState().showError('hostMenu.duplicateFailed', toErrorInfo(error), { host: label });
  }
}

/** Removes the profile (VirtDeck forgets the host; nothing on the host changes). */
export async function removeProfile(id: string, label: string): Promise<void> {
  try {
    await requireClient().call('profiles.remove', { id });
    const ui = useUiStore.getState();
    const hostKey = nodeKey({ kind: 'host', hostId: id });
    const prefix = `/${encodeURIComponent(id)}/`;
    // Close the host's own tabs: what they show is gone.
    for (const tab of ui.tabs) {
      if (tab.key === hostKey || tab.key.includes(prefix)) useUiStore.getState().closeTab(tab.key);
    }
  } catch (error) {
    useToastStore.getState().showError('hostMenu.removeFailed', toErrorInfo(error), { host: label });
  }
}

export function importPreview(path?: string): Promise<ImportCandidate[]> {
  return requireClient().call('profiles.importPreview', path ? { path } : {});
}

/** The file read by default, and whether main can show a file dialog to pick another. */
export function importSource(): Promise<{ path: string; canChoose: boolean }> {
  return requireClient().call('profiles.importSource', {});
}

/** Desktop only: main shows a file dialog; the picked path, or null when cancelled. */
export async function importChooseFile(): Promise<string | null> {
  return (await requireClient().call('profiles.importChooseFile', {}))?.path ?? null;
}

export async function importApply(candidates: HostProfileFields[]): Promise<HostProfile[]> {
  const created = await requireClient().call('profiles.importApply', { candidates });
  for (const profile of created) useProfilesStore.getState().upsertProfile(profile);
  return created;
}
