import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findStaticFile } from '../main/window/static-files';
import { SECURITY_HEADERS } from './http-util';

/**
 * The built console (out/renderer) for a plain browser: files with their content types, the SPA
 * fallback to index.html, the CSP on every answer, and no way out of the folder.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, csp: string): Promise<void> {
  const headers = { ...SECURITY_HEADERS, 'content-security-policy': csp };
  const text = (status: number, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', ...extra });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'Method Not Allowed', { allow: 'GET, HEAD' });
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const found = await findStaticFile(root, path);
  if (found.kind === 'refused') return text(400, 'Bad Request');
  if (found.kind === 'not_found') {
    if (path === '/' || path === '/index.html') return text(503, '控制台尚未构建：请先运行 npx electron-vite build');
    return text(404, 'Not Found');
  }
  const size = (await stat(found.path)).size;
  const immutable = path.startsWith('/assets/');
  res.writeHead(200, {
    ...headers,
    'content-type': found.contentType,
    'content-length': size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(found.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
