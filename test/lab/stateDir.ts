// The state dir holds a private key and passwords, so it and the files the lab hands out are root-only.
import { chmod, lstat, mkdir, readlink, rename, symlink, unlink, writeFile } from 'node:fs/promises';
import { LAB_STATE_ROOT, labStateDir, labStateLink } from './paths.js';

export async function ensureStateDir(): Promise<void> {
  await mkdir(LAB_STATE_ROOT, { recursive: true, mode: 0o700 });
  await chmod(LAB_STATE_ROOT, 0o700);
  await mkdir(labStateDir(), { recursive: true, mode: 0o700 });
  await chmod(labStateDir(), 0o700);
  await linkFromCheckout();
}

/** test/lab/.state → the state dir; an older layout's real directory there is left alone. */
async function linkFromCheckout(): Promise<void> {
  const link = labStateLink();
  const existing = await lstat(link).catch(() => undefined);
  if (existing && !existing.isSymbolicLink()) {
    console.error(`lab: ${link} is a directory of an older layout (the lab now keeps its state in ${labStateDir()}); remove it when no lab of it runs`);
    return;
  }
  if (existing && (await readlink(link)) === labStateDir()) return;
  if (existing) await unlink(link);
  await symlink(labStateDir(), link);
}

/** Writes a 0600 file atomically, so readers never see half of hosts.json. */
export async function writePrivateFile(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}
