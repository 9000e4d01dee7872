/**
 * VM actions in flight, keyed by host and VM name, so the buttons can wait for them; and the
 * two questions VM actions ask: "really force off / discard?" before, and "force it off?" after
 * a shutdown that the guest ignored.
 */
import { create } from 'zustand';
import type { VmAction, VmTarget } from '../../../preload/contract.js';

export interface VmActionQuestion {
  action: VmAction;
  targets: VmTarget[];
}

interface VmActionsState {
  pending: Record<string, VmAction | undefined>;
  /** An action that asks first, waiting for the answer. */
  asking: VmActionQuestion | null;
  /** VMs whose shutdown timed out: offered a force off. */
  forceOffOffer: VmTarget[] | null;
  setPending(hostId: string, name: string, action: VmAction | undefined): void;
  setPendingMany(targets: readonly VmTarget[], action: VmAction | undefined): void;
  ask(question: VmActionQuestion | null): void;
  offerForceOff(targets: VmTarget[] | null): void;
}

export function vmActionKey(hostId: string, name: string): string {
  return `${hostId}\u0000${name}`;
}

export const useVmActionsStore = create<VmActionsState>()((set) => ({
  pending: {},
  asking: null,
  forceOffOffer: null,
  setPending: (hostId, name, action) =>
    set((state) => ({ pending: { ...state.pending, [vmActionKey(hostId, name)]: action } })),
  setPendingMany: (targets, action) =>
    set((state) => {
      const pending = { ...state.pending };
      for (const target of targets) pending[vmActionKey(target.hostId, target.name)] = action;
      return { pending };
    }),
  ask: (asking) => set({ asking }),
  offerForceOff: (targets) =>
    set((state) => {
      if (targets === null) return { forceOffOffer: null };
      // Another timeout while the offer is open joins it.
      const known = new Set((state.forceOffOffer ?? []).map((target) => vmActionKey(target.hostId, target.name)));
      return { forceOffOffer: [...(state.forceOffOffer ?? []), ...targets.filter((target) => !known.has(vmActionKey(target.hostId, target.name)))] };
    }),
}));
