import type { Session } from 'electron';
import { isAppUrl } from './origins';

/**
 * Permissions: deny everything except what the console needs — desktop notifications (SLA
 * banners, new tickets) and writing to the clipboard (copying a ticket number) — and only for the
 * app's own pages. Camera, microphone, geolocation, USB, HID, serial, openExternal… are refused.
 */
export const GRANTED_PERMISSIONS: readonly string[] = ['notifications', 'clipboard-sanitized-write'];

export function isPermissionGranted(permission: string, requestingUrl: string | undefined, origins: readonly string[]): boolean {
  if (!GRANTED_PERMISSIONS.includes(permission)) return false;
  return requestingUrl !== undefined && isAppUrl(requestingUrl, origins);
}

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

export function applyPermissionHandlers(session: PermissionSession, origins: readonly string[]): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, origins));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin, origins),
  );
  session.setDevicePermissionHandler(() => false);
}
