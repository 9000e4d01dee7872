/**
 * The window's fences: where it may navigate, what it may open, which permissions it gets and
 * which frames may speak to main. Electron is imported for types only, so the decisions are
 * plain functions a unit test can call.
 *
 * `appUrl` is the URL the app's page was loaded from: the file:// URL of
 * out/renderer/index.html, or in development the Vite dev server URL.
 */
import type { Session, WebContents } from 'electron';
import { withContentSecurityPolicy } from './contentSecurityPolicy.js';

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly detached?: boolean;
  isDestroyed?(): boolean;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when `candidate` is the app's own page: for a file:// app exactly that index.html
 * (any other local file is not ours, even next to it), for a dev server the same origin.
 * Query and fragment are ignored; the router may use them.
 */
export function isAppUrl(candidate: string, appUrl: string): boolean {
  const app = parseUrl(appUrl);
  const url = parseUrl(candidate);
  if (!app || !url) return false;
  if (app.protocol === 'file:') {
    return url.protocol === 'file:' && url.host === app.host && url.pathname === app.pathname;
  }
  return url.origin !== 'null' && url.origin === app.origin;
}

/** True for files the app's page loads (scripts, styles, fonts next to index.html). */
export function isAppResource(candidate: string, appUrl: string): boolean {
  const app = parseUrl(appUrl);
  const url = parseUrl(candidate);
  if (!app || !url || app.protocol !== 'file:' || url.protocol !== 'file:') return false;
  const dir = app.pathname.slice(0, app.pathname.lastIndexOf('/') + 1);
  return url.host === app.host && url.pathname.startsWith(dir);
}

/** Only web links leave the app, and only to the system browser. */
export function isExternalWebUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && (parsed.protocol === 'https:' || parsed.protocol === 'http:');
}

/**
 * Whether an IPC message may be served: it must come from a live top frame showing the app's
 * own page. A subframe or a page that navigated elsewhere gets nothing. That the frame belongs
 * to one of our windows is checked by the transport, which knows its windows.
 */
export function isTrustedSender(frame: FrameLike | null | undefined, appUrl: string): boolean {
  if (!frame) return false;
  if (frame.isDestroyed?.() === true || frame.detached === true) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url, appUrl);
}

export interface ContentsGuardOptions {
  appUrl: string;
  /** shell.openExternal in the app; injected so tests need no Electron. */
  openExternal: (url: string) => void;
}

/** Installed on every WebContents the app creates (app 'web-contents-created'). */
export function installContentsGuards(contents: WebContents, options: ContentsGuardOptions): void {
  const { appUrl, openExternal } = options;
  const denyForeign = (event: { url: string; preventDefault(): void }): void => {
    if (!isAppUrl(event.url, appUrl)) event.preventDefault();
  };
  // A page that navigated away would keep our preload API; so nothing navigates away.
  // Links are not followed in place either: the UI opens web links with target=_blank.
  contents.on('will-navigate', denyForeign);
  contents.on('will-frame-navigate', denyForeign);
  contents.on('will-redirect', denyForeign);

  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) openExternal(url);
    return { action: 'deny' };
  });

  // <webview> is disabled in webPreferences; this refuses it even if that ever changes.
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** No camera, microphone, notifications, geolocation, HID, serial, clipboard reads… */
export function installSessionGuards(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Puts the CSP header on the app's own file:// responses. Chromium's file loader sends no
 * headers of its own; renderer/index.html should carry the same policy in a <meta> tag too,
 * as Electron has not always run webRequest hooks for file://.
 */
export function installContentSecurityPolicy(session: Session, appUrl: string, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppResource(details.url, appUrl)) {
      callback({});
      return;
    }
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) });
  });
}
