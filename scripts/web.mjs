#!/usr/bin/env node
/**
 * `npm run web`: builds only what changed since the last build (scripts/buildChanged.mjs), then
 * runs web mode in this same process (no second Node start-up). Arguments go to web mode.
 */
import { buildChanged } from './buildChanged.mjs';

try {
  buildChanged();
} catch (error) {
  console.error(`virtdeck web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
await import('../out/main/main/web/index.js');
