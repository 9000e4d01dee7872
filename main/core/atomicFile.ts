/**
 * Files the app owns: written atomically, and never overwritten when they cannot be read.
 *
 * Writes a file so that a crash at any moment leaves either the old or the new content:
 * write a temporary file beside it, flush it to disk, then rename over the original.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

export async function writeFileAtomic(path: string, content: string, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Moves a file the app cannot read out of the way (`<name>.unreadable-<time>`), so the next
 * write starts afresh without destroying what the user may still want. Returns the new path.
 */
export async function moveAside(path: string): Promise<string> {
  const aside = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, aside);
  return aside;
}
