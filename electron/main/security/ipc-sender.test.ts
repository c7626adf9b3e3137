import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './ipc-sender';
import { appOrigins } from './origins';

describe('IPC sender check', () => {
  it('answers only frames that show the app', () => {
    const origins = appOrigins();
    expect(isTrustedSender('app://closeloop/index.html', origins)).toBe(true);
    expect(isTrustedSender('https://example.com/', origins)).toBe(false);
    expect(isTrustedSender('about:blank', origins)).toBe(false);
    expect(isTrustedSender(undefined, origins)).toBe(false);
    expect(isTrustedSender(null, origins)).toBe(false);
  });
});
