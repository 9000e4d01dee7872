/**
 * The Content-Security-Policy for VirtDeck's own pages. Pure, so the Electron entry and the
 * web-mode HTTP server send the same policy, and a unit test can read it.
 */

export interface ContentSecurityPolicyOptions {
  /**
   * Extra sources for connect-src besides 'self'. Web mode adds the ws:/wss: URL of its own
   * origin, because CSP Level 3 'self' does not cover WebSocket schemes in every browser.
   */
  connectSrc?: string[];
}

export function contentSecurityPolicy(options: ContentSecurityPolicyOptions = {}): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    // 'unsafe-inline' for styles only: xterm.js builds its theme and cell-size rules at run
    // time in <style> elements it creates itself; without it the console renders unstyled.
    // Scripts stay strict, which is what keeps injected markup from running code.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...(options.connectSrc ?? [])]],
    ['worker-src', ["'self'", 'blob:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/**
 * Response headers with our policy in place of whatever the response carried. Header names
 * are case-insensitive, so any existing Content-Security-Policy spelling is dropped first.
 */
export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
  policy: string,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [policy];
  return result;
}
