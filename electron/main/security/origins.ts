/**
 * The app's own origins. Electron loads the console from `app://closeloop` (or, in development,
 * electron-vite's dev server on localhost); everything else is foreign. WHATWG URL gives custom
 * schemes an opaque origin ("null"), so the origin is spelt out here as `scheme://host[:port]`.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'closeloop';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function originOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.host === '') return null;
  return `${u.protocol}//${u.host}`.toLowerCase();
}

/** True when `url` belongs to one of `origins` (exact scheme, host and port). */
export function isAppUrl(url: string, origins: readonly string[]): boolean {
  const o = originOf(url);
  return o !== null && origins.some((allowed) => allowed.toLowerCase() === o);
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for an http(s)/ws(s) origin on this machine's loopback interface. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const u = new URL(origin);
    return ['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) && LOOPBACK_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}

/**
 * The origins the window may load: the app scheme, plus — in development — electron-vite's dev
 * server and its HMR WebSocket, which must be on loopback.
 */
export function appOrigins(devServerUrl?: string): string[] {
  const dev = devServerUrl ? originOf(devServerUrl) : null;
  if (dev === null) return [APP_ORIGIN];
  if (!isLoopbackOrigin(dev)) throw new Error(`dev server must be on loopback: ${devServerUrl}`);
  return [APP_ORIGIN, dev, dev.replace(/^http/, 'ws')];
}
