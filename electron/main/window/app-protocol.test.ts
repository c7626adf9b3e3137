import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, appResponse, registerAppScheme } from './app-protocol';

let dir: string;
const csp = "default-src 'self'";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'closeloop-app-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<div id="app"></div>');
  await writeFile(join(dir, 'assets', 'a.js'), 'export {}');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the app:// protocol', () => {
  it('is a standard, secure scheme registered before ready', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (s: unknown[]) => registered.push(...s) });
    expect(registered).toEqual([APP_SCHEME_PRIVILEGES]);
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
  });

  it('answers with console files, their type and the CSP', async () => {
    const res = await appResponse(dir, 'app://closeloop/assets/a.js', 'GET', csp);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(csp);
    expect(await res.text()).toBe('export {}');
    const route = await appResponse(dir, 'app://closeloop/tickets/42', 'GET', csp);
    expect(await route.text()).toContain('id="app"');
  });

  it('refuses other hosts, other methods and paths outside the console', async () => {
    expect((await appResponse(dir, 'app://other/index.html', 'GET', csp)).status).toBe(404);
    expect((await appResponse(dir, 'app://closeloop/index.html', 'POST', csp)).status).toBe(405);
    expect((await appResponse(dir, 'app://closeloop/assets/..%2f..%2fetc%2fpasswd', 'GET', csp)).status).toBe(400);
    // The URL parser resolves %2e%2e itself; what is left is a console route, answered with index.html.
    const dotted = await appResponse(dir, 'app://closeloop/%2e%2e/%2e%2e/etc/passwd', 'GET', csp);
    expect(await dotted.text()).toBe('<div id="app"></div>');
    expect((await appResponse(dir, 'app://closeloop/assets/none.js', 'GET', csp)).status).toBe(404);
  });
});
