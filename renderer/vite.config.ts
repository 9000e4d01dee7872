import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// No node: imports here: the renderer folder is linted as browser code.
const here = import.meta.dirname;

export default defineConfig({
  root: here,
  // Relative asset URLs: the same build loads from file:// in Electron and over http in web mode.
  base: './',
  plugins: [react()],
  build: {
    outDir: `${here}/../out/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
