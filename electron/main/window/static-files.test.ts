import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, findStaticFile, spaFallbackAllowed, staticTarget } from './static-files';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'closeloop-static-'));
  root = join(dir, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<div id="app"></div>');
  await writeFile(join(root, 'assets', 'app.css'), 'body{}');
  await writeFile(join(dir, 'secret.txt'), 'secret');
  await symlink(join(dir, 'secret.txt'), join(root, 'assets', 'leak.txt'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('static files of the built console', () => {
  it('map paths under the root and refuse ways out', () => {
    expect(staticTarget('/r', '/')).toEqual({ kind: 'file', path: '/r/index.html' });
    expect(staticTarget('/r', '/assets/a.js')).toEqual({ kind: 'file', path: '/r/assets/a.js' });
    for (const p of ['/../etc/passwd', '/%2e%2e/x', '/a/%2e%2e/%2e%2e/x', '/a%5c..%5cx', '/%00', '/%zz', 'relative']) {
      expect(staticTarget('/r', p).kind, p).toBe('refused');
    }
  });

  it('name content types', () => {
    expect(contentTypeFor('a.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a.bin')).toBe('application/octet-stream');
  });

  it('fall back to index.html for console routes only', async () => {
    expect(spaFallbackAllowed('/tickets/1')).toBe(true);
    expect(spaFallbackAllowed('/assets/x')).toBe(false);
    expect(spaFallbackAllowed('/logo.png')).toBe(false);
    expect(await findStaticFile(root, '/dashboard')).toMatchObject({ kind: 'file', path: expect.stringMatching(/index\.html$/) });
    expect(await findStaticFile(root, '/assets/app.css')).toMatchObject({ kind: 'file', contentType: 'text/css; charset=utf-8' });
    expect(await findStaticFile(root, '/assets/nope.js')).toEqual({ kind: 'not_found' });
  });

  it('do not follow a symlink out of the root', async () => {
    expect(await findStaticFile(root, '/assets/leak.txt')).toEqual({ kind: 'not_found' });
  });
});
