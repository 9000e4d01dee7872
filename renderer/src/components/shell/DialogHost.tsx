/** Mounts the app-wide dialog named in the UI store. */
import { lazy, Suspense } from 'react';
import { useUiStore } from '../../store/uiStore.js';
import { AboutDialog } from '../dialogs/AboutDialog.js';
import { SettingsDialog } from '../dialogs/SettingsDialog.js';
import { ShortcutsDialog } from '../dialogs/ShortcutsDialog.js';
import { ForgetHostKeyDialog } from '../hosts/ForgetHostKeyDialog.js';
import { RemoveHostDialog } from '../profiles/RemoveHostDialog.js';

// The host editor and the import dialog load on first use; they are most of the forms code.
const HostDialog = lazy(() => import('../profiles/HostDialog.js').then((module) => ({ default: module.HostDialog })));
const NewVmWizard = lazy(() => import('../install/NewVmWizard.js').then((module) => ({ default: module.NewVmWizard })));
const ImportDialog = lazy(() => import('../profiles/ImportDialog.js').then((module) => ({ default: module.ImportDialog })));

export function DialogHost() {
  const dialog = useUiStore((state) => state.dialog);
  const target = useUiStore((state) => state.dialogTarget);
  const close = useUiStore((state) => state.closeDialog);
  switch (dialog) {
    case 'about':
      return <AboutDialog onClose={close} />;
    case 'shortcuts':
      return <ShortcutsDialog onClose={close} />;
    case 'settings':
      return <SettingsDialog onClose={close} />;
    case 'host-editor':
      // Keyed so switching from one profile to another starts a fresh draft.
      return (
        <Suspense fallback={null}>
          <HostDialog key={target ?? 'new'} profileId={target} onClose={close} />
        </Suspense>
      );
    case 'import-ssh-config':
      return (
        <Suspense fallback={null}>
          <ImportDialog onClose={close} />
        </Suspense>
      );
    case 'remove-host':
      return target ? <RemoveHostDialog profileId={target} onClose={close} /> : null;
    case 'forget-host-key':
      return target ? <ForgetHostKeyDialog hostId={target} onClose={close} /> : null;
    case 'new-vm':
      return (
        <Suspense fallback={null}>
          <NewVmWizard hostId={target} onClose={close} />
        </Suspense>
      );
    case null:
      return null;
  }
}
