import { describe, expect, it } from 'vitest';
import { applyCsp, contentSecurityPolicy, withCsp } from './csp';

describe('Content-Security-Policy', () => {
  it('allows only the app itself: no remote scripts, frames, plugins or base tricks', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toMatch(/https?:/);
  });

  it('adds loopback WebSocket origins to connect-src and refuses remote ones', () => {
    expect(contentSecurityPolicy({ connect: ['ws://127.0.0.1:5170'] })).toContain("connect-src 'self' ws://127.0.0.1:5170;");
    expect(contentSecurityPolicy({ connect: ['ws://localhost:*'] })).toContain('ws://localhost:*');
    expect(() => contentSecurityPolicy({ connect: ['wss://sync.example.com'] })).toThrow(/loopback/);
  });

  it('replaces whatever CSP a response carried, whatever its spelling', () => {
    const h = withCsp({ 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html' }, "default-src 'self'");
    expect(h).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'self'"] });
  });

  it('is applied to every response through webRequest.onHeadersReceived', () => {
    let listener: ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined;
    applyCsp({ webRequest: { onHeadersReceived: (l: typeof listener) => (listener = l) } } as never, "default-src 'self'");
    let answer: unknown;
    listener?.({ responseHeaders: { a: ['1'] } }, (r) => (answer = r));
    expect(answer).toEqual({ responseHeaders: { a: ['1'], 'Content-Security-Policy': ["default-src 'self'"] } });
  });
});
