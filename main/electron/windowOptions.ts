/**
 * The options of VirtDeck's main window. Pure (type-only import of Electron) so a unit test can
 * assert the security settings without an Electron binary.
 */
import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';

/** Painted before the renderer's first frame, so the window never flashes the wrong colour. */
export const windowBackground = { light: '#f6f7f9', dark: '#1c1f24' } as const;

/** Where the build puts the pieces, relative to the app root (the folder with package.json). */
export function appPaths(appRoot: string): { preload: string; rendererIndex: string } {
  return {
    preload: path.join(appRoot, 'out', 'preload', 'index.cjs'),
    rendererIndex: path.join(appRoot, 'out', 'renderer', 'index.html'),
  };
}

export interface WindowOptionsInput {
  appRoot: string;
  /** nativeTheme.shouldUseDarkColors at the time the window is made. */
  dark: boolean;
}

export function windowOptions({ appRoot, dark }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'VirtDeck',
    width: 1280,
    height: 800,
    // Below this the host tree and a VM list no longer fit side by side.
    minWidth: 900,
    minHeight: 560,
    backgroundColor: dark ? windowBackground.dark : windowBackground.light,
    // Shown on 'ready-to-show', after the first paint.
    show: false,
    webPreferences: {
      preload: appPaths(appRoot).preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      // Host names, UUIDs and XML are not prose; red underlines there are noise.
      spellcheck: false,
    },
  };
}
