import { randomBytes } from 'node:crypto';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { feedContentType, isFeedName } from './feed';
import { contentRange, parseRange, type ByteRange } from './ranges';

/**
 * The update feed, read-only, in electron-updater's generic-provider layout (docs/operations.md
 * § Updates): `GET|HEAD /updates/<file>` from one flat folder, with `Range` (one range: 206 with
 * Content-Range; several: 206 multipart/byteranges; none satisfiable: 416).
 *
 * No seat token is asked for, on purpose: the files are the same installers every seat gets, not
 * secrets; a seat must be able to update before it can sign in (a seat too old for the server's
 * protocol can only be repaired by updating); and electron-updater checks every download against
 * the SHA-512 in the channel file, which comes from this server over TLS with the plant CA. What
 * the feed tells a stranger on the plant network is the version number of the console.
 *
 * Only plain names in the folder are served: no `..`, no separator (encoded or not), no dotfiles
 * (publications write dot-named temporary files), no symlink leading out of the folder, no folders.
 */
export const UPDATES_PREFIX = '/updates/';

export interface UpdateRouteDeps {
  /** The feed folder (`--updates`, default `<data>/updates`); it may not exist yet (then: 404s). */
  dir: string;
}

export const isUpdatesRequest = (req: IncomingMessage): boolean => (req.url ?? '').startsWith(UPDATES_PREFIX);

function notFound(res: ServerResponse): void {
  const text = JSON.stringify({ error: 'no such file in the update feed' });
  res.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/** The file a request names, opened, or null (404) — decided by name first, then by where it really is. */
async function openFeedFile(dir: string, urlPath: string): Promise<{ handle: FileHandle; name: string; size: number; mtime: Date } | null> {
  let name: string;
  try {
    name = decodeURIComponent(urlPath.slice(UPDATES_PREFIX.length));
  } catch {
    return null;
  }
  if (!isFeedName(name)) return null;
  let handle: FileHandle | null = null;
  try {
    const [root, real] = await Promise.all([realpath(dir), realpath(join(dir, name))]);
    if (dirname(real) !== root) return null;
    handle = await open(real, 'r');
    const st = await handle.stat();
    if (!st.isFile()) {
      await handle.close();
      return null;
    }
    return { handle, name, size: st.size, mtime: st.mtime };
  } catch {
    await handle?.close().catch(() => undefined);
    return null;
  }
}

/** Resolves when the response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Writes `[start, end]` of the file to the response, waiting for the client (back-pressure). */
async function copyRange(handle: FileHandle, r: ByteRange, res: ServerResponse): Promise<void> {
  for await (const chunk of handle.createReadStream({ start: r.start, end: r.end, autoClose: false }) as AsyncIterable<Uint8Array>) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drained(res);
  }
}

export function updateRoutes(deps: UpdateRouteDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      req.resume();
      res.writeHead(405, { allow: 'GET, HEAD', 'content-length': 0 });
      return void res.end();
    }
    const file = await openFeedFile(deps.dir, (req.url ?? '').split('?')[0]!);
    if (!file) return notFound(res);
    const { handle, name, size } = file;
    try {
      const type = feedContentType(name);
      const common = {
        'accept-ranges': 'bytes',
        'last-modified': file.mtime.toUTCString(),
        'x-content-type-options': 'nosniff',
        // A channel file changes with each publication: never from a cache. Installers are checked by SHA-512.
        'cache-control': name.endsWith('.yml') ? 'no-store' : 'no-cache',
      };
      const range = parseRange(req.headers.range, size);
      if (range.kind === 'unsatisfiable') {
        res.writeHead(416, { ...common, 'content-range': `bytes */${size}`, 'content-length': 0 });
        return void res.end();
      }
      if (range.kind === 'whole') {
        res.writeHead(200, { ...common, 'content-type': type, 'content-length': size });
        if (method === 'GET' && size > 0) await copyRange(handle, { start: 0, end: size - 1 }, res);
        return void res.end();
      }
      if (range.ranges.length === 1) {
        const r = range.ranges[0]!;
        res.writeHead(206, { ...common, 'content-type': type, 'content-range': contentRange(r, size), 'content-length': r.end - r.start + 1 });
        if (method === 'GET') await copyRange(handle, r, res);
        return void res.end();
      }
      const boundary = randomBytes(12).toString('hex');
      const heads = range.ranges.map((r, i) => `${i === 0 ? '' : '\r\n'}--${boundary}\r\ncontent-type: ${type}\r\ncontent-range: ${contentRange(r, size)}\r\n\r\n`);
      const tail = `\r\n--${boundary}--\r\n`;
      const length = heads.reduce((n, h) => n + Buffer.byteLength(h), 0) + range.ranges.reduce((n, r) => n + r.end - r.start + 1, 0) + Buffer.byteLength(tail);
      res.writeHead(206, { ...common, 'content-type': `multipart/byteranges; boundary=${boundary}`, 'content-length': length });
      if (method === 'GET') {
        for (const [i, r] of range.ranges.entries()) {
          if (res.destroyed) break;
          res.write(heads[i]);
          await copyRange(handle, r, res);
        }
        if (!res.destroyed) res.write(tail);
      }
      res.end();
    } finally {
      await handle.close().catch(() => undefined);
    }
  };
}
