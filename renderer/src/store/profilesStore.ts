/** The SSH host profiles the user added (from profiles.list and profiles.changed). */
import { create } from 'zustand';
import type { HostProfile } from '../../../preload/contract.js';

interface ProfilesState {
  profiles: HostProfile[];
  /** By id; rebuilt with the list so lookups from every tree row stay O(1). */
  byId: Record<string, HostProfile>;
  setProfiles(profiles: HostProfile[]): void;
  upsertProfile(profile: HostProfile): void;
}

function index(profiles: readonly HostProfile[]): Record<string, HostProfile> {
  return Object.fromEntries(profiles.map((profile) => [profile.id, profile]));
}

export const useProfilesStore = create<ProfilesState>()((set) => ({
  profiles: [],
  byId: {},
  setProfiles: (profiles) => set({ profiles, byId: index(profiles) }),
  upsertProfile: (profile) =>
    set((state) => {
      const exists = state.byId[profile.id] !== undefined;
      const profiles = exists
        ? state.profiles.map((existing) => (existing.id === profile.id ? profile : existing))
        : [...state.profiles, profile];
      return { profiles, byId: index(profiles) };
    }),
}));
