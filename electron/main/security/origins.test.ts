import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, appOrigins, isAppUrl, isLoopbackOrigin, originOf } from './origins';

describe('app origins', () => {
  it('spells out the origin of the custom app scheme (WHATWG gives it "null")', () => {
    expect(originOf('app://closeloop/index.html#/tickets')).toBe('app://closeloop');
    expect(originOf('http://localhost:5173/src/main.ts')).toBe('http://localhost:5173');
    expect(originOf('not a url')).toBeNull();
    expect(originOf('file:///etc/passwd')).toBeNull();
  });

  it('matches scheme, host and port exactly', () => {
    const origins = appOrigins('http://localhost:5173/');
    expect(isAppUrl('app://closeloop/x', origins)).toBe(true);
    expect(isAppUrl('http://localhost:5173/', origins)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', origins)).toBe(false);
    expect(isAppUrl('app://closeloop.evil/x', origins)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', origins)).toBe(false);
  });

  it('has only the app scheme without a dev server, and refuses a remote dev server', () => {
    expect(appOrigins()).toEqual([APP_ORIGIN]);
    expect(() => appOrigins('http://example.com:5173')).toThrow(/loopback/);
  });

  it('knows loopback origins', () => {
    expect(isLoopbackOrigin('ws://127.0.0.1:5170')).toBe(true);
    expect(isLoopbackOrigin('ws://localhost:5170')).toBe(true);
    expect(isLoopbackOrigin('ws://10.0.0.2:5170')).toBe(false);
  });
});
