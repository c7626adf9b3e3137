import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The built console (out/renderer) as static files, shared by Electron's `app://` protocol and the
 * browser host: a request path maps to a file under the root or to the SPA's index.html, never to a
 * file outside the root (no `..`, no encoded separators, no NUL, no symlink escapes).
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticTarget =
  | { kind: 'file'; path: string }
  /** No such file, and the path looks like a console route: serve index.html. */
  | { kind: 'spa' }
  | { kind: 'refused'; reason: string };

/** Where a URL path (already split from its query) points under `root`, decided without I/O. */
export function staticTarget(root: string, urlPath: string): StaticTarget {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused', reason: 'bad percent-encoding' };
  }
  if (!decoded.startsWith('/')) return { kind: 'refused', reason: 'not an absolute path' };
  if (decoded.includes('\0')) return { kind: 'refused', reason: 'NUL in path' };
  if (decoded.includes('\\')) return { kind: 'refused', reason: 'backslash in path' };
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'refused', reason: 'dot segment' };
  if (segments.length === 0) return { kind: 'file', path: join(resolve(root), 'index.html') };
  const full = resolve(root, ...segments);
  if (!isInside(resolve(root), full)) return { kind: 'refused', reason: 'outside the root' };
  return { kind: 'file', path: full };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel);
}

/** A missing file falls back to index.html only for route-like paths (no extension, not /assets/). */
export function spaFallbackAllowed(urlPath: string): boolean {
  const last = urlPath.split('/').pop() ?? '';
  return !urlPath.startsWith('/assets/') && !last.includes('.');
}

export type StaticResult = { kind: 'file'; path: string; contentType: string } | { kind: 'not_found' } | { kind: 'refused'; reason: string };

/** Resolves a request to a readable regular file under `root`, following the SPA fallback rule. */
export async function findStaticFile(root: string, urlPath: string): Promise<StaticResult> {
  const target = staticTarget(root, urlPath);
  if (target.kind === 'refused') return target;
  const index = join(resolve(root), 'index.html');
  const path = target.kind === 'file' ? target.path : index;
  const found = await regularFileInside(root, path);
  if (found) return { kind: 'file', path: found, contentType: contentTypeFor(found) };
  if (path !== index && spaFallbackAllowed(urlPath)) {
    const spa = await regularFileInside(root, index);
    if (spa) return { kind: 'file', path: spa, contentType: contentTypeFor(spa) };
  }
  return { kind: 'not_found' };
}

async function regularFileInside(root: string, path: string): Promise<string | null> {
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
    if (!isInside(realRoot, real)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}
