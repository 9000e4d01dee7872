/** The clone and delete dialogs, mounted once: the VM's tab and its menus only say which to open. */
import { useInventoryStore } from '../../store/inventoryStore.js';
import { useVmManageStore } from '../../store/vmManageStore.js';
import { CloneDialog } from './CloneDialog.js';
import { DeleteVmDialog } from './DeleteVmDialog.js';

export function VmManageDialogs() {
  const dialog = useVmManageStore((state) => state.dialog);
  const close = useVmManageStore((state) => state.close);
  const vm = useInventoryStore((state) => (dialog ? state.byHost[dialog.hostId]?.vms.find((candidate) => candidate.name === dialog.name) : undefined));
  if (!dialog || !vm) return null;
  return dialog.kind === 'clone' ? <CloneDialog hostId={dialog.hostId} vm={vm} onClose={close} /> : <DeleteVmDialog hostId={dialog.hostId} vm={vm} onClose={close} />;
}

/** Whether a VM can be cloned now (a full clone copies the disks of a shut-off, persistent VM). */
export function canCloneVm(vm: { state: string; persistent: boolean }): boolean {
  return vm.state === 'shutoff' && vm.persistent;
}
