import type { Session } from 'electron';
import { isAppUrl } from './origins';

/**
 * No remote content: every network request a page makes (http, https, ws, wss) must go to one of
 * the app's own origins. The console's code ships with the app; tickets come over IPC.
 */
export const NETWORK_URL_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'];

export function isAllowedRequest(url: string, origins: readonly string[]): boolean {
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(scheme)) return true; // app:, data:, blob:, devtools: stay local
  return isAppUrl(url, origins);
}

export function applyRemoteContentBlock(session: { webRequest: Pick<Session['webRequest'], 'onBeforeRequest'> }, origins: readonly string[]): void {
  session.webRequest.onBeforeRequest({ urls: NETWORK_URL_PATTERNS }, (details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, origins) });
  });
}
