// The state dir holds a private key and passwords, so it and the files the lab hands out are root-only.
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { labStateDir } from './paths.js';

export async function ensureStateDir(): Promise<void> {
  await mkdir(labStateDir(), { recursive: true, mode: 0o700 });
  await chmod(labStateDir(), 0o700);
}

/** Writes a 0600 file atomically, so readers never see half of hosts.json. */
export async function writePrivateFile(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}
