/** The user's settings, kept as versioned JSON in the config directory. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Settings } from '../../../preload/contract.js';
import { writeFileAtomic } from '../../core/atomicFile.js';

const FILE_VERSION = 1;
const DEFAULTS: Settings = { language: null, theme: 'system', sidebarWidth: 280 };

export class SettingsStore {
  private current: Settings = DEFAULTS;
  private readonly path: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(configDir: string) {
    this.path = join(configDir, 'settings.json');
  }

  async load(): Promise<void> {
    try {
      const raw = JSON.parse(await readFile(this.path, 'utf8')) as { version?: number; settings?: unknown };
      const parsed = Settings.partial().safeParse(raw.settings);
      // An unreadable or foreign file falls back to defaults and is only replaced on the next change.
      if (parsed.success) this.current = { ...DEFAULTS, ...parsed.data };
    } catch {
      this.current = DEFAULTS;
    }
  }

  get(): Settings {
    return this.current;
  }

  async set(patch: Partial<Settings>): Promise<Settings> {
    this.current = { ...this.current, ...patch };
    const snapshot = JSON.stringify({ version: FILE_VERSION, settings: this.current }, null, 2);
    // Writes are serialised so an older value never lands after a newer one.
    this.writing = this.writing.then(() => writeFileAtomic(this.path, snapshot));
    await this.writing;
    return this.current;
  }
}
