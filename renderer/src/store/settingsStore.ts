/** Persisted preferences (from main's settings.get) and the system language. */
import { create } from 'zustand';
import type { Settings } from '../../../preload/contract.js';

export const DEFAULT_SIDEBAR_WIDTH = 280;
export const MIN_SIDEBAR_WIDTH = 180;
export const MAX_SIDEBAR_WIDTH = 600;

export const defaultSettings: Settings = { language: null, theme: 'system', sidebarWidth: DEFAULT_SIDEBAR_WIDTH };

interface SettingsState {
  /** null until settings.get answered; defaults apply meanwhile. */
  settings: Settings | null;
  /** BCP 47; the browser's until AppInfo.systemLocale arrives. */
  systemLocale: string;
  setSettings(settings: Settings): void;
  patchSettings(patch: Partial<Settings>): void;
  setSystemLocale(locale: string): void;
}

function browserLocale(): string {
  return typeof navigator === 'undefined' ? 'en' : navigator.language || 'en';
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: null,
  systemLocale: browserLocale(),
  setSettings: (settings) => set({ settings }),
  patchSettings: (patch) => set((state) => ({ settings: { ...(state.settings ?? defaultSettings), ...patch } })),
  setSystemLocale: (systemLocale) => set({ systemLocale }),
}));

export function clampSidebarWidth(width: number): number {
  return Math.round(Math.min(MAX_SIDEBAR_WIDTH, Math.max(MIN_SIDEBAR_WIDTH, width)));
}
