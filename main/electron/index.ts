/**
 * The Electron entry: one instance, one window, the contract served over IPC. All the
 * services come from createApp (shared with web mode); this file only adds the desktop shell.
 */
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, nativeTheme, safeStorage, session, shell } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, type App } from '../app.js';
import { appRoot } from '../core/appRoot.js';
import { contentSecurityPolicy } from './contentSecurityPolicy.js';
import { installContentSecurityPolicy, installContentsGuards, installSessionGuards } from './guards.js';
import { IpcTransport } from './ipcTransport.js';
import { SafeStorageVault } from './safeStorageVault.js';
import { appPaths, windowOptions } from './windowOptions.js';

// appRoot is found from this module's URL (the folder with package.json, also inside
// app.asar, which Electron's fs reads like a folder).
const paths = appPaths(appRoot);
// A development server only for unpackaged runs: a packaged app never loads a URL from the
// environment, or anyone who can set a variable could give the preload API to their page.
const devUrl = app.isPackaged ? undefined : process.env['VIRTDECK_RENDERER_URL'] || undefined;
const appUrl = devUrl ?? pathToFileURL(paths.rendererIndex).href;

/** If quitting takes longer than this, quit anyway: a hung SSH close must not hang the app. */
const disposeTimeoutMs = 5000;

let services: App | undefined;
let transport: IpcTransport | undefined;
let mainWindow: BrowserWindow | undefined;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(windowOptions({ appRoot, dark: nativeTheme.shouldUseDarkColors }));
  transport?.addWindow(win.webContents);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  const loading = devUrl ? win.loadURL(devUrl) : win.loadFile(paths.rendererIndex);
  loading.catch((error: unknown) => {
    console.error('VirtDeck: the window could not load its page:', error);
  });
  return win;
}

/** A second launch lands here: show the window we have (on macOS it may have been closed). */
function focusMainWindow(): void {
  if (!mainWindow) {
    if (services) mainWindow = createWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function chooseSshConfigFile(): Promise<string | undefined> {
  const options = { defaultPath: join(homedir(), '.ssh'), properties: ['openFile', 'showHiddenFiles'] as ('openFile' | 'showHiddenFiles')[] };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled ? undefined : result.filePaths[0];
}

async function start(): Promise<void> {
  await app.whenReady();

  installSessionGuards(session.defaultSession);
  // The dev server needs inline scripts and a ws: socket for hot reload, so it keeps its own
  // headers; the strict policy guards the built files.
  if (!devUrl) installContentSecurityPolicy(session.defaultSession, appUrl, contentSecurityPolicy());

  services = await createApp({
    mode: 'electron',
    configDir: app.getPath('userData'),
    versions: {
      electron: process.versions.electron,
      chrome: process.versions.chrome,
      node: process.versions.node,
      v8: process.versions.v8,
    },
    systemLocale: app.getPreferredSystemLanguages()[0] ?? app.getLocale(),
    // Remembered passwords are encrypted by the OS keychain; refused where that is basic_text.
    secretVault: new SafeStorageVault(safeStorage, app.getPath('userData')),
    // The only way another file than ~/.ssh/config is read for an import: the person picks it.
    chooseSshConfigFile,
  });
  transport = new IpcTransport({
    registry: services.registry,
    appUrl,
    ipcMain,
    createChannel: () => new MessageChannelMain(),
  });
  mainWindow = createWindow();
}

async function shutdown(): Promise<void> {
  transport?.dispose();
  transport = undefined;
  const closing = services?.dispose();
  services = undefined;
  if (!closing) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, disposeTimeoutMs);
  });
  try {
    await Promise.race([closing, timeout]);
  } catch (error) {
    console.error('VirtDeck: error while closing services:', error);
  } finally {
    clearTimeout(timer);
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another VirtDeck is running; it gets focus through 'second-instance'.
  app.quit();
} else {
  // Before any window exists, so no WebContents is ever without its fences.
  app.on('web-contents-created', (_event, contents) => {
    installContentsGuards(contents, {
      appUrl,
      openExternal: (url) => void shell.openExternal(url),
    });
  });

  app.on('second-instance', focusMainWindow);

  app.on('window-all-closed', () => {
    // macOS apps stay in the dock with no window; 'activate' brings one back.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (services && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });

  // Hold the quit until connections and sessions are closed, then quit for real.
  let quitState: 'running' | 'disposing' | 'done' = 'running';
  app.on('will-quit', (event) => {
    if (quitState === 'done') return;
    event.preventDefault();
    if (quitState === 'disposing') return;
    quitState = 'disposing';
    void shutdown().finally(() => {
      quitState = 'done';
      app.quit();
    });
  });

  start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error('VirtDeck failed to start:', error);
    dialog.showErrorBox('VirtDeck could not start', `${message}\n\nThe details are in the terminal output.`);
    void shutdown().finally(() => app.exit(1));
  });
}
