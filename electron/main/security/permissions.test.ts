import { describe, expect, it } from 'vitest';
import { appOrigins } from './origins';
import { applyPermissionHandlers, isPermissionGranted } from './permissions';

const origins = appOrigins();

describe('permissions', () => {
  it('grant notifications and clipboard writes to the console only', () => {
    expect(isPermissionGranted('notifications', 'app://closeloop/index.html', origins)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://closeloop', origins)).toBe(true);
    expect(isPermissionGranted('notifications', 'https://example.com/', origins)).toBe(false);
    expect(isPermissionGranted('notifications', undefined, origins)).toBe(false);
  });

  it('deny camera, microphone, location, devices and openExternal even to the console', () => {
    for (const p of ['media', 'geolocation', 'hid', 'usb', 'serial', 'openExternal', 'clipboard-read', 'display-capture', 'unknown']) {
      expect(isPermissionGranted(p, 'app://closeloop/', origins), p).toBe(false);
    }
  });

  it('are wired as request, check and device handlers', () => {
    const got: Record<string, unknown> = {};
    applyPermissionHandlers(
      {
        setPermissionRequestHandler: (h: unknown) => (got.request = h),
        setPermissionCheckHandler: (h: unknown) => (got.check = h),
        setDevicePermissionHandler: (h: unknown) => (got.device = h),
      } as never,
      origins,
    );
    const answers: boolean[] = [];
    const request = got.request as (c: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl: string }) => void;
    request(null, 'notifications', (ok) => answers.push(ok), { requestingUrl: 'app://closeloop/' });
    request(null, 'media', (ok) => answers.push(ok), { requestingUrl: 'app://closeloop/' });
    expect(answers).toEqual([true, false]);
    expect((got.check as (c: unknown, p: string, o: string) => boolean)(null, 'geolocation', 'app://closeloop')).toBe(false);
    expect((got.device as () => boolean)()).toBe(false);
  });
});
