import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet, startTestHost, type TestHost } from './harness';
import { makeNode } from './nodes';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost(makeNode);
});
afterAll(async () => {
  await t.close();
});

describe('the built console over HTTP', () => {
  it('serves index.html with the CSP that lets the page reach its own WebSocket only', async () => {
    const res = await fetch(`${t.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${t.host.port} ws://localhost:${t.host.port}`);
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<div id="app">');
  });

  it('serves assets with their content type and long caching', async () => {
    const res = await fetch(`${t.base}/assets/app.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('falls back to index.html for console routes but not for missing assets', async () => {
    const route = await fetch(`${t.base}/tickets/MX20261124-0001`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="app">');
    expect((await fetch(`${t.base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${t.base}/favicon.ico`)).status).toBe(404);
  });

  it('never serves a file outside the console folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/%zz']) {
      const res = await rawGet(t.host.port, path);
      expect(res.body, path).not.toContain('do not serve me');
      expect([400, 404], path).toContain(res.status);
    }
  });

  it('allows only GET and HEAD', async () => {
    expect((await fetch(`${t.base}/`, { method: 'POST' })).status).toBe(405);
    const head = await fetch(`${t.base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});
