/** Mounts the app-wide dialog named in the UI store (about, shortcuts, settings). */
import { useUiStore } from '../../store/uiStore.js';
import { AboutDialog } from '../dialogs/AboutDialog.js';
import { SettingsDialog } from '../dialogs/SettingsDialog.js';
import { ShortcutsDialog } from '../dialogs/ShortcutsDialog.js';

export function DialogHost() {
  const dialog = useUiStore((state) => state.dialog);
  const close = useUiStore((state) => state.closeDialog);
  switch (dialog) {
    case 'about':
      return <AboutDialog onClose={close} />;
    case 'shortcuts':
      return <ShortcutsDialog onClose={close} />;
    case 'settings':
      return <SettingsDialog onClose={close} />;
    case null:
      return null;
  }
}
