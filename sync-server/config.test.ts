import { describe, expect, it } from 'vitest';
import { isLoopback, parseConfig, plainHttpWarning } from './config';

describe('the server’s TLS flags', () => {
  it('listens on loopback without TLS and with no warning', () => {
    const c = parseConfig([]);
    expect(c.host).toBe('127.0.0.1');
    expect(plainHttpWarning(c)).toBeNull();
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.5', '127.0.0.1.example'].some(isLoopback)).toBe(false);
  });

  it('refuses plain HTTP on another address unless --allow-plain-http, and then warns loudly', () => {
    expect(() => parseConfig(['--host', '0.0.0.0'])).toThrow(/plain HTTP is refused/);
    const c = parseConfig(['--host', '0.0.0.0', '--allow-plain-http']);
    expect(plainHttpWarning(c)).toMatch(/^WARNING: PLAIN HTTP ON 0\.0\.0\.0/);
  });

  it('takes a certificate and key together', () => {
    expect(() => parseConfig(['--host', '0.0.0.0', '--tls-cert', '/etc/closeloop/tls/server.crt'])).toThrow(/go together/);
    const c = parseConfig(['--host', '0.0.0.0', '--tls-cert', 'a.crt', '--tls-key', 'a.key']);
    expect(plainHttpWarning(c)).toBeNull();
  });
});

describe('the attachment limit', () => {
  it('is 15 MB unless set, and must be a sensible size', () => {
    expect(parseConfig([]).maxAttachmentMb).toBe(15);
    expect(parseConfig(['--max-attachment-mb', '40']).maxAttachmentMb).toBe(40);
    expect(() => parseConfig(['--max-attachment-mb', '0'])).toThrow();
    expect(() => parseConfig(['--max-attachment-mb', 'lots'])).toThrow();
  });
});

describe('the update feed folder', () => {
  it('is <data>/updates unless --updates names another', () => {
    expect(parseConfig(['--data', '/var/lib/closeloop']).updates).toBe('/var/lib/closeloop/updates');
    expect(parseConfig(['--updates', '/srv/closeloop-updates']).updates).toBe('/srv/closeloop-updates');
    expect(() => parseConfig(['--updates', ''])).toThrow();
  });
});
