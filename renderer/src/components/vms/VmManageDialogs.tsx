/** The clone and delete dialogs, mounted once: the VM's tab and its menus only say which to open. */
import { useInventoryStore } from '../../store/inventoryStore.js';
import { useVmManageStore } from '../../store/vmManageStore.js';
import { lazy, Suspense } from 'react';

// The dialogs are chunks of their own: the window's first bundle carries neither form.
const CloneDialog = lazy(() => import('./CloneDialog.js').then((module) => ({ default: module.CloneDialog })));
const DeleteVmDialog = lazy(() => import('./DeleteVmDialog.js').then((module) => ({ default: module.DeleteVmDialog })));

export function VmManageDialogs() {
  const dialog = useVmManageStore((state) => state.dialog);
  const close = useVmManageStore((state) => state.close);
  const vm = useInventoryStore((state) => (dialog ? state.byHost[dialog.hostId]?.vms.find((candidate) => candidate.name === dialog.name) : undefined));
  if (!dialog || !vm) return null;
  return (
    <Suspense fallback={null}>
      {dialog.kind === 'clone' ? <CloneDialog hostId={dialog.hostId} vm={vm} onClose={close} /> : <DeleteVmDialog hostId={dialog.hostId} vm={vm} onClose={close} />}
    </Suspense>
  );
}

/** Whether a VM can be cloned now (a full clone copies the disks of a shut-off, persistent VM). */
export function canCloneVm(vm: { state: string; persistent: boolean }): boolean {
  return vm.state === 'shutoff' && vm.persistent;
}
