/** VM actions in flight, keyed by host and VM name, so the buttons can wait for them. */
import { create } from 'zustand';
import type { VmAction } from '../../../preload/contract.js';

interface VmActionsState {
  pending: Record<string, VmAction | undefined>;
  setPending(hostId: string, name: string, action: VmAction | undefined): void;
}

export function vmActionKey(hostId: string, name: string): string {
  return `${hostId}\u0000${name}`;
}

export const useVmActionsStore = create<VmActionsState>()((set) => ({
  pending: {},
  setPending: (hostId, name, action) =>
    set((state) => ({ pending: { ...state.pending, [vmActionKey(hostId, name)]: action } })),
}));
