/**
 * A host's menu (right-click on its tree row, or "⋯" on the row and on its overview):
 * reconnect, and for hosts the user added: edit, duplicate, remove.
 */
import { hostDisplayName } from '../../i18n/hostDisplayName.js';
import { useT } from '../../i18n/useT.js';
import { duplicateProfile } from '../../services/profileActions.js';
import { reconnectHost } from '../../services/hostReconnect.js';
import { findHost, useHostsStore } from '../../store/hostsStore.js';
import { useProfilesStore } from '../../store/profilesStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { Menu, type MenuEntry, type MenuPosition } from '../common/Menu.js';
import { useInstallAvailable } from '../install/installClient.js';

interface HostMenuProps {
  hostId: string;
  position: MenuPosition;
  onClose(): void;
  /** Offer "Open" (the tree does; the overview is already open). */
  withOpen?: boolean;
}

export function HostMenu({ hostId, position, onClose, withOpen }: HostMenuProps) {
  const t = useT();
  const host = useHostsStore((state) => findHost(state.hosts, hostId));
  const profile = useProfilesStore((state) => state.byId[hostId]);
  const canCreate = useInstallAvailable();
  if (!host) return null;
  const label = hostDisplayName(host, t);
  const ui = useUiStore.getState();
  const entries: MenuEntry[] = [];
  if (withOpen) entries.push({ id: 'open', label: t('hostMenu.open'), icon: 'server', testId: 'host-menu-open', onSelect: () => ui.openTab({ kind: 'host', hostId }) });
  if (canCreate && host.status === 'connected') entries.push({ id: 'new-vm', label: t('install.wizard.open'), icon: 'plus', testId: 'host-menu-new-vm', onSelect: () => ui.openDialog('new-vm', hostId) });
  entries.push({ id: 'reconnect', label: t('host.reconnect'), icon: 'refresh', testId: 'host-menu-reconnect', onSelect: () => void reconnectHost(hostId) });
  if (profile) {
    entries.push(
      'separator',
      { id: 'edit', label: t('hostMenu.edit'), icon: 'pencil', testId: 'host-menu-edit', onSelect: () => ui.openDialog('host-editor', profile.id) },
      { id: 'duplicate', label: t('hostMenu.duplicate'), icon: 'copy', testId: 'host-menu-duplicate', onSelect: () => void duplicateProfile(profile.id, label) },
      'separator',
      { id: 'remove', label: t('hostMenu.remove'), icon: 'trash', danger: true, testId: 'host-menu-remove', onSelect: () => ui.openDialog('remove-host', profile.id) },
    );
  }
  return <Menu label={t('hostMenu.label', { host: label })} entries={entries} position={position} onClose={onClose} testId="host-menu" />;
}
