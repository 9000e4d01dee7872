import { EventEmitter } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  installContentsGuards,
  isAppResource,
  isAppUrl,
  isExternalWebUrl,
  isTrustedSender,
  type FrameLike,
} from '../../main/electron/guards.js';

const rendererIndex = path.resolve('/opt/VirtDeck/resources/app/out/renderer/index.html');
const appUrl = pathToFileURL(rendererIndex).href;
const devUrl = 'http://localhost:5173/';

function topFrame(url: string): FrameLike {
  return { url, parent: null, detached: false, isDestroyed: () => false };
}

describe('isTrustedSender', () => {
  it('accepts the top frame showing the app page, with a route in the hash', () => {
    expect(isTrustedSender(topFrame(appUrl), appUrl)).toBe(true);
    expect(isTrustedSender(topFrame(`${appUrl}#/hosts/local`), appUrl)).toBe(true);
  });

  it('rejects a subframe, even one showing the app page', () => {
    const parent = topFrame(appUrl);
    expect(isTrustedSender({ url: appUrl, parent }, appUrl)).toBe(false);
  });

  it('rejects other origins and other local files', () => {
    expect(isTrustedSender(topFrame('https://example.com/'), appUrl)).toBe(false);
    expect(isTrustedSender(topFrame(pathToFileURL(path.resolve('/tmp/evil.html')).href), appUrl)).toBe(false);
    const sibling = pathToFileURL(path.join(path.dirname(rendererIndex), 'other.html')).href;
    expect(isTrustedSender(topFrame(sibling), appUrl)).toBe(false);
    expect(isTrustedSender(topFrame('file://evil-host/opt/VirtDeck/resources/app/out/renderer/index.html'), appUrl)).toBe(
      false,
    );
  });

  it('rejects missing, destroyed and detached frames', () => {
    expect(isTrustedSender(null, appUrl)).toBe(false);
    expect(isTrustedSender(undefined, appUrl)).toBe(false);
    expect(isTrustedSender({ ...topFrame(appUrl), isDestroyed: () => true }, appUrl)).toBe(false);
    expect(isTrustedSender({ ...topFrame(appUrl), detached: true }, appUrl)).toBe(false);
  });

  it('with a dev server, trusts its origin and nothing else', () => {
    expect(isTrustedSender(topFrame('http://localhost:5173/index.html'), devUrl)).toBe(true);
    expect(isTrustedSender(topFrame('http://localhost:5174/'), devUrl)).toBe(false);
    expect(isTrustedSender(topFrame('https://localhost:5173/'), devUrl)).toBe(false);
    expect(isTrustedSender(topFrame(appUrl), devUrl)).toBe(false);
  });
});

describe('URL checks', () => {
  it('isAppUrl tolerates garbage', () => {
    expect(isAppUrl('not a url', appUrl)).toBe(false);
    expect(isAppUrl(appUrl, 'not a url')).toBe(false);
  });

  it('isAppResource covers files under the renderer folder only', () => {
    const asset = pathToFileURL(path.join(path.dirname(rendererIndex), 'assets', 'index-1234.js')).href;
    expect(isAppResource(asset, appUrl)).toBe(true);
    expect(isAppResource(pathToFileURL(path.resolve('/etc/passwd')).href, appUrl)).toBe(false);
    expect(isAppResource('http://localhost:5173/src/main.tsx', devUrl)).toBe(false);
  });

  it('isExternalWebUrl allows http and https only', () => {
    expect(isExternalWebUrl('https://libvirt.org/')).toBe(true);
    expect(isExternalWebUrl('http://example.com/')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ssh://root@host', 'nonsense']) {
      expect(isExternalWebUrl(url)).toBe(false);
    }
  });
});

describe('installContentsGuards', () => {
  function fakeContents() {
    const emitter = new EventEmitter();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = Object.assign(emitter, {
      setWindowOpenHandler(handler: typeof openHandler) {
        openHandler = handler;
      },
    });
    return { contents, open: (url: string) => openHandler?.({ url }) };
  }
  const navigation = (url: string) => ({ url, preventDefault: vi.fn() });

  it('blocks navigation away from the app page and lets the app page reload', () => {
    const { contents } = fakeContents();
    installContentsGuards(contents as unknown as WebContents, { appUrl, openExternal: vi.fn() });
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = navigation('https://example.com/');
      contents.emit(name, away);
      expect(away.preventDefault).toHaveBeenCalled();
      const home = navigation(appUrl);
      contents.emit(name, home);
      expect(home.preventDefault).not.toHaveBeenCalled();
    }
  });

  it('denies every new window and hands only web links to the system browser', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn();
    installContentsGuards(contents as unknown as WebContents, { appUrl, openExternal });
    expect(open('https://libvirt.org/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://libvirt.org/']]);
  });

  it('refuses webviews', () => {
    const { contents } = fakeContents();
    installContentsGuards(contents as unknown as WebContents, { appUrl, openExternal: vi.fn() });
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });
});
