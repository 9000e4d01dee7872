/** Which manage dialog (clone or delete) is open, and for which VM: opened from the VM's tab or its menu. */
import { create } from 'zustand';

export interface VmManageDialog {
  kind: 'clone' | 'delete';
  hostId: string;
  name: string;
}

interface VmManageState {
  dialog: VmManageDialog | undefined;
  open(dialog: VmManageDialog): void;
  close(): void;
}

export const useVmManageStore = create<VmManageState>((set) => ({
  dialog: undefined,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: undefined }),
}));
