/** The user's settings, kept as versioned JSON in the config directory. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Settings } from '../../../preload/contract.js';
import { writeFileAtomic } from '../../core/atomicFile.js';
import { fileQueue, type SerialQueue } from '../../core/serialQueue.js';

const FILE_VERSION = 1;
const DEFAULTS: Settings = { language: null, theme: 'system', sidebarWidth: 280 };

export class SettingsStore {
  private current: Settings = DEFAULTS;
  private readonly path: string;
  private readonly writes: SerialQueue;

  constructor(configDir: string) {
    this.path = join(configDir, 'settings.json');
    this.writes = fileQueue(this.path);
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

  /**
   * Changes are applied one after another, each to what the previous one left, so an older
   * value never lands after a newer one. The settings in memory change only once the file
   * holds them; a failed write fails its own call and leaves the next one free to succeed.
   */
  set(patch: Partial<Settings>): Promise<Settings> {
    return this.writes.run(async () => {
      const next = { ...this.current, ...patch };
      await writeFileAtomic(this.path, JSON.stringify({ version: FILE_VERSION, settings: next }, null, 2));
      this.current = next;
      return next;
    });
  }
}
