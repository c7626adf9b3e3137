import type { Session } from 'electron';
import { isLoopbackOrigin } from './origins';

/**
 * The Content-Security-Policy: only the app's own code and styles, no remote content, no plugins,
 * no frames, no <base> tricks. `style-src` allows inline styles because naive-ui injects its CSS
 * at runtime; scripts stay 'self' only. `connect` adds loopback origins (the browser host's
 * WebSocket, the dev server's HMR socket) — never a remote one.
 */
export interface CspOptions {
  connect?: readonly string[];
}

export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const connect = opts.connect ?? [];
  for (const src of connect) {
    if (!isLoopbackOrigin(src.replace(/:\*$/, ''))) throw new Error(`CSP connect-src must stay on loopback: ${src}`);
  }
  const directives: [string, readonly string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...connect]],
    ['worker-src', ["'self'", 'blob:']],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

export type ResponseHeaders = Record<string, string | string[]>;

/** `headers` with any CSP a response carried replaced by ours (header names are case-insensitive). */
export function withCsp(headers: ResponseHeaders, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

export function applyCsp(session: { webRequest: Pick<Session['webRequest'], 'onHeadersReceived'> }, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders ?? {}, csp) });
  });
}
