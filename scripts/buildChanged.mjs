#!/usr/bin/env node
/**
 * Builds only the parts whose sources changed since this folder's last build: main (tsc),
 * the preload and the renderer (Vite). Each part's inputs are fingerprinted by path, size and
 * modification time (a few hundred stats, milliseconds); the fingerprints of the last good
 * build live in out/.build-stamps.json. `npm run build` still builds everything.
 *   node scripts/buildChanged.mjs          build what is stale, say what was skipped
 *   node scripts/buildChanged.mjs --stamp  record the sources as built (after a full build)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampsFile = join(root, 'out', '.build-stamps.json');
const shared = ['package-lock.json', 'tsconfig.base.json', 'preload/contract.ts', 'preload/contract'];
const tools = {
  tsc: join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  vite: join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
};

export const parts = [
  { name: 'main', inputs: ['main', ...shared], output: 'out/main/main/web/index.js', command: [tools.tsc, '-p', 'main/tsconfig.json'] },
  { name: 'preload', inputs: ['preload', ...shared], output: 'out/preload/index.cjs', command: [tools.vite, 'build', '-c', 'preload/vite.config.ts', '--logLevel', 'warn'] },
  { name: 'renderer', inputs: ['renderer', ...shared], output: 'out/renderer/index.html', command: [tools.vite, 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'] },
];

function walk(path, lines) {
  let info;
  try {
    info = statSync(path);
  } catch {
    lines.push(`${relative(root, path)} missing`);
    return;
  }
  if (info.isDirectory()) {
    for (const entry of readdirSync(path).sort()) if (entry !== 'node_modules') walk(join(path, entry), lines);
  } else {
    lines.push(`${relative(root, path)} ${info.size} ${info.mtimeMs}`);
  }
}

export function fingerprint(part) {
  const lines = [];
  for (const input of part.inputs) walk(join(root, input), lines);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

function readStamps() {
  try {
    return JSON.parse(readFileSync(stampsFile, 'utf8'));
  } catch {
    return {};
  }
}

export function buildChanged(log = (line) => console.error(line)) {
  const stamps = readStamps();
  const built = [];
  for (const part of parts) {
    const print = fingerprint(part);
    if (stamps[part.name] === print && existsSync(join(root, part.output))) continue;
    log(`build: ${part.name} changed, building`);
    const result = spawnSync(process.execPath, part.command, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      delete stamps[part.name];
      mkdirSync(join(root, 'out'), { recursive: true });
      writeFileSync(stampsFile, JSON.stringify(stamps, null, 2));
      throw new Error(`build of ${part.name} failed`);
    }
    // The fingerprint taken before building: an edit made during the build is seen next time.
    stamps[part.name] = print;
    built.push(part.name);
  }
  mkdirSync(join(root, 'out'), { recursive: true });
  writeFileSync(stampsFile, JSON.stringify(stamps, null, 2));
  if (built.length === 0) log('build: nothing changed since the last build');
  return built;
}

export function stampAll() {
  const stamps = Object.fromEntries(parts.map((part) => [part.name, fingerprint(part)]));
  mkdirSync(join(root, 'out'), { recursive: true });
  writeFileSync(stampsFile, JSON.stringify(stamps, null, 2));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--stamp')) stampAll();
    else buildChanged();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
