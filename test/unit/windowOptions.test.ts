import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, withContentSecurityPolicy } from '../../main/electron/contentSecurityPolicy.js';
import { windowBackground, windowOptions } from '../../main/electron/windowOptions.js';

const appRoot = path.resolve('/opt/VirtDeck/resources/app');

describe('windowOptions', () => {
  const options = windowOptions({ appRoot, dark: false });
  const web = options.webPreferences ?? {};

  it('isolates and sandboxes the renderer', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.spellcheck).toBe(false);
  });

  it('loads the built CommonJS preload from the app root', () => {
    expect(web.preload).toBe(path.join(appRoot, 'out', 'preload', 'index.cjs'));
    expect(web.preload?.split(path.sep).join('/')).toMatch(/\/out\/preload\/index\.cjs$/);
  });

  it('stays hidden until ready, titled VirtDeck, with a usable minimum size', () => {
    expect(options.show).toBe(false);
    expect(options.title).toBe('VirtDeck');
    expect(options.minWidth).toBeGreaterThanOrEqual(800);
    expect(options.minHeight).toBeGreaterThanOrEqual(500);
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth ?? 0);
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight ?? 0);
  });

  it('paints the background of the current theme', () => {
    expect(options.backgroundColor).toBe(windowBackground.light);
    expect(windowOptions({ appRoot, dark: true }).backgroundColor).toBe(windowBackground.dark);
  });
});

describe('contentSecurityPolicy', () => {
  const policy = contentSecurityPolicy();
  const directives = new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );

  it('defaults to self and forbids plugins, base, forms and framing', () => {
    expect(policy).toContain("default-src 'self'");
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('runs only our own scripts: no eval, no inline script', () => {
    expect(policy).not.toContain("'unsafe-eval'");
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });

  it('adds web mode its WebSocket origin to connect-src only', () => {
    const web = contentSecurityPolicy({ connectSrc: ['ws://127.0.0.1:8080'] });
    expect(web).toContain("connect-src 'self' ws://127.0.0.1:8080");
    expect(web.replace(" ws://127.0.0.1:8080", '')).toBe(policy);
  });

  it('replaces any Content-Security-Policy header, whatever its case', () => {
    const headers = withContentSecurityPolicy(
      { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      policy,
    );
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [policy] });
    expect(withContentSecurityPolicy(undefined, policy)).toEqual({ 'Content-Security-Policy': [policy] });
  });
});
