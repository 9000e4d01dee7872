/**
 * The application's root directory (where package.json lives), found by walking up from this
 * file, so the same code works from sources (tests), from out/ (web mode) and inside an asar.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  name: string;
  productName: string;
  version: string;
}

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'virtdeck') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('VirtDeck: cannot find the application root (package.json)');
    dir = parent;
  }
}

export const appRoot = findRoot();
export const packageInfo = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as PackageInfo;
