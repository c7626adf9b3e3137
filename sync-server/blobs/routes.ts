import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_MAX_ATTACHMENT_BYTES, sniffContent } from '../../domain/attachments';
import { bearer } from '../auth/tokens';
import type { Session, Sessions } from '../auth/sessions';
import { BLOB_HASH, BlobHashMismatch } from '../storage/blob-types';
import type { SyncStorage } from '../storage/types';

/**
 * Attachment bytes over HTTP, for seats (bearer token, the same as the feed):
 *
 *   PUT  /blobs/<sha256>?site=<id>   body = the bytes   201 stored, 200 already there for that site
 *   HEAD /blobs/<sha256>[?site=<id>]                    200 there, 404 not
 *   GET  /blobs/<sha256>                                the bytes, type sniffed from them
 *
 * A blob belongs to the sites it was uploaded for. An upload names its site, which must be one of
 * the signed-in person's (403, audited). The bytes are read unless the blob is already recorded for
 * that site: a blob known for another site is only added to this one when the body hashes to its
 * name (having the bytes is the proof; knowing the hash is not). GET and HEAD answer 404 — never
 * 403, which would tell the blob exists — unless the blob is recorded for one of the person's sites
 * (HEAD with `?site=`: for that site). A blob stored before sites were recorded has none: any
 * signed-in seat may still read it (docs/operations.md).
 *
 * An upload is refused before it is stored when it is too large (by Content-Length, or as it
 * streams), when its type is not one tickets accept (sniffed here again, whatever the seat said),
 * or when its SHA-256 is not the name it was put under. Stored and refused uploads are audited.
 */
export interface BlobRouteDeps {
  storage: SyncStorage;
  sessions: Pick<Sessions, 'verify'>;
  now: () => Date;
  /** Largest blob accepted (default 15 MB). */
  maxBytes?: number;
  /** Uploads one seat may make per minute before it is told to slow down (429; default 600). */
  uploadsPerMinute?: number;
}

export const BLOB_PREFIX = '/blobs/';

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/** The body, or null when it grew past `limit` (the request is then cut off). */
export function readBytes(req: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(null);
        req.removeAllListeners('data');
        req.resume();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const all = Buffer.concat(chunks as Uint8Array[]);
      resolve(new Uint8Array(all.buffer, all.byteOffset, all.length));
    });
    req.on('error', () => resolve(null));
  });
}

export function isBlobRequest(req: IncomingMessage): boolean {
  return (req.url ?? '').startsWith(BLOB_PREFIX);
}

export function blobRoutes(deps: BlobRouteDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { storage, sessions, now } = deps;
  const max = deps.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const perMinute = deps.uploadsPerMinute ?? 600;
  const windows = new Map<string, { start: number; count: number }>();
  /** A fixed one-minute window per seat: a flood is refused before its bodies are read. */
  const allowed = (seat: string): boolean => {
    const t = now().getTime();
    let w = windows.get(seat);
    if (!w || t - w.start >= 60_000) {
      if (windows.size > 10_000) windows.clear();
      w = { start: t, count: 0 };
      windows.set(seat, w);
    }
    return ++w.count <= perMinute;
  };
  /** Resolves once the line is stored (a failure to audit is not the uploader's problem). */
  const audit = (kind: string, s: Session | null, detail: Record<string, unknown>, reason?: string): Promise<void> =>
    storage.appendAudit([{
      at: now().toISOString(), kind,
      ...(s ? { user: s.user.id, seat: s.seat.id, device: s.seat.device } : {}),
      ...(reason ? { reason } : {}), detail,
    }]).catch(() => undefined);

  async function put(req: IncomingMessage, res: ServerResponse, hash: string, s: Session, site: string | null): Promise<void> {
    const from = req.socket.remoteAddress ?? '';
    const refuse = async (status: number, error: string, reason: string) => {
      await audit('blob_refused', s, { hash, from, ...(site !== null ? { site: site.slice(0, 64) } : {}) }, reason);
      reply(res, status, { error });
    };
    if (!allowed(s.seat.id)) {
      req.resume();
      res.setHeader('retry-after', '60');
      return refuse(429, '上传过于频繁，请稍后再试', 'rate limited');
    }
    if (site === null || site === '') {
      req.resume();
      return refuse(400, '上传附件须指明工单所属站点（?site=）', 'no site');
    }
    if (!s.user.sites.includes(site)) {
      req.resume();
      return refuse(403, `你不在站点 ${site.slice(0, 64)} 工作，不能为它上传附件`, 'not a site of the user');
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > max) {
      res.setHeader('connection', 'close');
      return refuse(413, `附件超过上限 ${max / 1_000_000} MB`, 'too large');
    }
    if ((await storage.hasBlob(hash)) && (await storage.blobSites(hash)).includes(site)) {
      req.resume();
      await storage.keepBlob(hash); // a seat has these bytes: a portal photo's blob is the seat's now, never swept
      return reply(res, 200, { hash, stored: false });
    }
    const body = await readBytes(req, max);
    if (body === null) {
      res.setHeader('connection', 'close');
      return refuse(413, `附件超过上限 ${max / 1_000_000} MB`, 'too large');
    }
    if (body.length === 0) return refuse(400, '附件内容为空', 'empty');
    const type = sniffContent(body);
    if (!type) return refuse(415, '不支持的附件类型（按内容识别）', 'unsupported type');
    try {
      const stored = await storage.putBlob(hash, body, site);
      await audit(stored ? 'blob_stored' : 'blob_site_added', s, { hash, site, size: body.length, mime: type.mime });
      reply(res, stored ? 201 : 200, { hash, stored });
    } catch (e) {
      if (e instanceof BlobHashMismatch) return refuse(400, `内容的 SHA-256 与地址不符（${e.actual}）`, 'hash mismatch');
      throw e;
    }
  }

  /** Whether this person may see the blob (`site`: recorded for that one of their sites). */
  async function visible(hash: string, s: Session, site: string | null): Promise<boolean> {
    if (!(await storage.hasBlob(hash))) return false;
    const sites = await storage.blobSites(hash);
    if (site !== null) return s.user.sites.includes(site) && sites.includes(site);
    return sites.length === 0 || sites.some((x) => s.user.sites.includes(x));
  }

  async function get(res: ServerResponse, hash: string, head: boolean, s: Session, site: string | null): Promise<void> {
    const may = await visible(hash, s, site);
    if (head) {
      // A seat's client asks HEAD before PUT and skips the PUT on 200: that answer hands it the blob
      // for a ticket of `site`, so it is kept (never swept as an unreported portal photo).
      if (may && site !== null) await storage.keepBlob(hash);
      res.writeHead(may ? 200 : 404, { 'cache-control': 'no-store' });
      return void res.end();
    }
    const bytes = may ? await storage.getBlob(hash) : null;
    if (!bytes) return reply(res, 404, { error: '没有这个附件' });
    res.writeHead(200, {
      'content-type': sniffContent(bytes)?.mime ?? 'application/octet-stream',
      'content-length': bytes.length,
      'x-content-type-options': 'nosniff',
      'content-disposition': 'attachment',
      'cache-control': 'private, max-age=31536000, immutable',
    });
    res.end(bytes);
  }

  return async (req, res) => {
    const [path = '', query = ''] = (req.url ?? '').slice(BLOB_PREFIX.length).split('?', 2);
    const hash = path;
    const site = new URLSearchParams(query).get('site');
    const method = req.method ?? 'GET';
    if (!['PUT', 'GET', 'HEAD'].includes(method)) {
      res.setHeader('allow', 'GET, HEAD, PUT');
      return reply(res, 405, { error: `不支持的方法 ${method}` });
    }
    const token = bearer(req.headers.authorization);
    const session = token ? await sessions.verify(token) : { refused: 'no bearer token' };
    if ('refused' in session) {
      req.resume();
      void audit('auth_failed', null, { from: req.socket.remoteAddress ?? '', path: 'blobs' }, session.refused);
      return reply(res, 401, { error: '需要有效的席位令牌（Authorization: Bearer）' });
    }
    if (!BLOB_HASH.test(hash)) {
      req.resume();
      return reply(res, 400, { error: '附件地址须为 64 位小写十六进制 SHA-256' });
    }
    if (method === 'PUT') return put(req, res, hash, session, site);
    return get(res, hash, method === 'HEAD', session, site);
  };
}
