import { readFile } from 'node:fs/promises';
import type { CustomScheme, Protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from '../security/origins';
import { findStaticFile } from './static-files';

/**
 * The console is served to the window from `app://closeloop/` rather than file://: a page on a
 * file:// URL may read any file on disk, while this scheme only ever answers with files of the
 * built console, each with our CSP header (webRequest cannot add headers to file:// responses).
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** Must run before the app is ready. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

function plain(status: number, text: string, csp: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': csp } });
}

/** The response for one `app://` request: a file under `root`, the SPA's index.html, or an error. */
export async function appResponse(root: string, requestUrl: string, method: string, csp: string): Promise<Response> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return plain(400, 'bad url', csp);
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'not found', csp);
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'method not allowed', csp);
  const found = await findStaticFile(root, url.pathname);
  if (found.kind === 'refused') return plain(400, 'bad path', csp);
  if (found.kind === 'not_found') return plain(404, 'not found', csp);
  const body = method === 'HEAD' ? null : new Uint8Array(await readFile(found.path));
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': found.contentType,
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    },
  });
}

export function serveApp(protocol: Pick<Protocol, 'handle'>, root: string, csp: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(root, request.url, request.method, csp));
}
