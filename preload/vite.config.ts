/**
 * Bundles the preload into one CommonJS file, out/preload/index.cjs. A sandboxed preload can
 * `require('electron')` and nothing else, so everything it imports (the contract, zod) is
 * inlined and only `electron` stays external.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  root: here('.'),
  // No public/ folder to copy and no .env files to read for a preload.
  publicDir: false,
  envDir: false,
  logLevel: 'warn',
  build: {
    outDir: here('../out/preload'),
    // Empties out/preload only; main and renderer builds live in sibling folders.
    emptyOutDir: true,
    // Electron 45 ships Chromium 140 and Node 22.
    target: ['chrome140', 'node22'],
    minify: false,
    sourcemap: true,
    copyPublicDir: false,
    lib: {
      entry: here('index.ts'),
      formats: ['cjs'],
      fileName: () => 'index.cjs',
    },
    rolldownOptions: {
      external: ['electron'],
    },
  },
});
