/**
 * The user's host profiles: versioned JSON in the config directory, written atomically (a
 * crash mid-write leaves the old list or the new one, never half of either). A file that
 * cannot be read is moved aside, never overwritten.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ContractError, HostProfile, HostProfileFields } from '../../../preload/contract.js';
import { moveAside, writeFileAtomic } from '../../core/atomicFile.js';
import { fileQueue, type SerialQueue } from '../../core/serialQueue.js';

const FILE_VERSION = 1;
const ProfileFile = z.object({ version: z.number().int(), profiles: z.array(HostProfile) });

export class ProfileStore {
  private profiles: HostProfile[] = [];
  private readonly path: string;
  private readonly writes: SerialQueue;
  /** Where an unreadable file was moved, so the UI can say so. */
  movedAside: string | undefined;

  constructor(
    configDir: string,
    private readonly onChange: (profiles: HostProfile[]) => void = () => undefined,
  ) {
    this.path = join(configDir, 'hosts.json');
    this.writes = fileQueue(this.path);
  }

  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    let parsed: z.infer<typeof ProfileFile> | undefined;
    try {
      const result = ProfileFile.safeParse(JSON.parse(text));
      if (result.success && result.data.version <= FILE_VERSION) parsed = result.data;
    } catch {
      parsed = undefined;
    }
    if (!parsed) {
      // Keep the user's file: move it aside and start empty, rather than overwrite it later.
      this.movedAside = await moveAside(this.path);
      return;
    }
    this.profiles = parsed.profiles;
  }

  list(): HostProfile[] {
    return this.profiles;
  }

  get(id: string): HostProfile {
    const profile = this.profiles.find((candidate) => candidate.id === id);
    if (!profile) throw new ContractError('not-found', `No host profile ${id}`);
    return profile;
  }

  private validate(fields: unknown): HostProfileFields {
    const parsed = HostProfileFields.safeParse(fields);
    if (!parsed.success) throw new ContractError('invalid-profile', 'The host profile is not valid.', parsed.error.message);
    if (parsed.data.auth === 'key' && !parsed.data.keyFile) {
      throw new ContractError('invalid-profile', 'Key authentication needs a key file.', 'keyFile');
    }
    return parsed.data;
  }

  async create(fields: HostProfileFields): Promise<HostProfile> {
    return (await this.createMany([fields]))[0]!;
  }

  async createMany(list: HostProfileFields[]): Promise<HostProfile[]> {
    const now = Date.now();
    const created = list.map((fields) => ({ ...this.validate(fields), id: randomUUID(), createdAt: now, updatedAt: now }));
    await this.mutate((profiles) => [...profiles, ...created]);
    return created;
  }

  async update(id: string, fields: HostProfileFields): Promise<HostProfile> {
    const valid = this.validate(fields);
    let updated: HostProfile | undefined;
    await this.mutate((profiles) => {
      const current = profiles.find((profile) => profile.id === id);
      if (!current) throw new ContractError('not-found', `No host profile ${id}`);
      updated = { ...valid, id, createdAt: current.createdAt, updatedAt: Date.now() };
      return profiles.map((profile) => (profile.id === id ? updated! : profile));
    });
    return updated!;
  }

  async duplicate(id: string, label?: string): Promise<HostProfile> {
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = this.get(id);
    return this.create({ ...fields, label: label ?? `${fields.label} (copy)` });
  }

  async remove(id: string): Promise<void> {
    await this.mutate((profiles) => {
      if (!profiles.some((profile) => profile.id === id)) throw new ContractError('not-found', `No host profile ${id}`);
      return profiles.filter((profile) => profile.id !== id);
    });
  }

  /**
   * Changes run one after another, each on the list the previous one left, so concurrent
   * changes never lose each other; the list in memory changes only once the file holds it.
   */
  private mutate(change: (profiles: HostProfile[]) => HostProfile[]): Promise<void> {
    return this.writes.run(async () => {
      const next = change(this.profiles);
      await writeFileAtomic(this.path, JSON.stringify({ version: FILE_VERSION, profiles: next }, null, 2), 0o600);
      this.profiles = next;
      this.onChange(next);
    });
  }
}
