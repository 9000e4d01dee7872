/** The application itself: its identity and the user's settings. */
import { z } from 'zod';
import { AdvisorSettings } from './advisor.js';

export const Language = z.enum(['en', 'zh-CN']);
export type Language = z.infer<typeof Language>;
export const ThemePreference = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof ThemePreference>;

export const Settings = z.object({
  /** null: follow the system language. */
  language: Language.nullable(),
  theme: ThemePreference,
  sidebarWidth: z.number().int().min(160).max(800),
  /** The fleet advisor's CPU ratio and silenced findings (set through `advisor.*`). */
  advisor: AdvisorSettings.optional(),
});
export type Settings = z.infer<typeof Settings>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  platform: z.string(),
  arch: z.string(),
  versions: z.record(z.string(), z.string()),
  /** The system language as main sees it (BCP 47). */
  systemLocale: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appCalls = {
  'app.info': { args: z.object({}).strict(), result: AppInfo },
  'settings.get': { args: z.object({}).strict(), result: Settings },
  'settings.set': { args: Settings.partial().strict(), result: Settings },
} as const;
