import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBytes } from '../blobs/routes';
import { z } from 'zod';
import { DEFAULT_MAX_ATTACHMENT_BYTES, formAnswers, formatInZone, sniffContent } from '../../domain';
import { bearer } from '../auth/tokens';
import { verifyPassword } from '../auth/passwords';
import type { Sessions } from '../auth/sessions';
import { BLOB_HASH } from '../storage/blob-types';
import type { SyncStorage } from '../storage/types';
import { APP_JS } from './app-script';
import { followPage, messagePage, reportPage, sheetPage, type Place } from './pages';
import { PortalRefused, type PortalService } from './service';

/**
 * The requester portal over HTTP, served by the sync server (no account: the private link is the
 * key). Every route is rate-limited per client address; a wrong follow link costs from a budget
 * of its own, so guessing is slow and tells nothing.
 *
 *   GET  /portal/r?site=&device=&location=      report form (what a QR code opens)
 *   POST /portal/photos?site=                    one photo for a report to that site, raw bytes → {hash, thumb, name}
 *   POST /portal/report                          {site, answers, photos} → {no, follow}
 *   GET  /portal/f/<token>                       follow page
 *   POST /portal/f/<token>/photos                one more photo on the ticket
 *   POST /portal/f/<token>/decide                decision=accept|reject, reason (form post)
 *   GET  /portal/f/<token>/blob/<sha256>         a photo of that ticket
 *   GET  /portal/sheet?site=&place=DEVICE@LOCATION…   printable QR sheet (an admin: seat token as
 *        Bearer, or user and password as Basic — the browser asks; use it over TLS)
 */
export interface PortalRouteDeps {
  portal: PortalService;
  storage: SyncStorage;
  sessions: Pick<Sessions, 'verify'>;
  now: () => Date;
  /** Requests per client address per minute (default 120), and reports (default 10). */
  perMinute?: number;
  reportsPerMinute?: number;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const reportBody = z.object({
  site: z.string().min(1).max(64),
  answers: formAnswers,
  photos: z.array(z.object({ hash: z.string().regex(BLOB_HASH), thumb: z.string().regex(BLOB_HASH).optional(), name: z.string().min(1).max(255) })).max(9).default([]),
});

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' });
  res.end(body);
}
function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}


class Budget {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly perMinute: number) {}
  take(key: string, now: number): boolean {
    let w = this.windows.get(key);
    if (!w || now - w.start >= 60_000) {
      if (this.windows.size > 10_000) this.windows.clear();
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    return ++w.count <= this.perMinute;
  }
}

export const isPortalRequest = (req: IncomingMessage): boolean => (req.url ?? '').startsWith('/portal/');

export function portalRoutes(deps: PortalRouteDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { portal, storage, now } = deps;
  const general = new Budget(deps.perMinute ?? 120);
  const reports = new Budget(deps.reportsPerMinute ?? 10);
  const guesses = new Budget(20);
  const passwords = new Budget(10);
  const origin = (req: IncomingMessage) => `http${(req.socket as { encrypted?: boolean }).encrypted ? 's' : ''}://${req.headers.host ?? '127.0.0.1'}`;

  async function follow(req: IncomingMessage, res: ServerResponse, from: string, token: string, rest: string[]): Promise<void> {
    if (!guesses.take(from, now().getTime())) return html(res, 429, messagePage('请稍后再试', '尝试次数过多，请一分钟后再试。'));
    let ticket;
    try {
      ticket = await portal.follow(token);
    } catch (e) {
      if (e instanceof PortalRefused) return html(res, 404, messagePage('链接无效', e.message));
      throw e;
    }
    const [what, hash] = rest;
    if (req.method === 'GET' && what === undefined) {
      const zone = (await storage.getSite(ticket.site))?.timezone ?? 'Asia/Shanghai';
      return html(res, 200, followPage(ticket, token, (iso) => formatInZone(Date.parse(iso), zone).slice(0, 16).replace('T', ' ')));
    }
    if (req.method === 'GET' && what === 'blob' && hash && ticket.attachments.some((a) => a.hash === hash || a.thumb === hash)) {
      const bytes = await storage.getBlob(hash);
      if (!bytes) return json(res, 404, { error: '照片还未上传到服务器' });
      res.writeHead(200, { 'content-type': sniffContent(bytes)?.mime ?? 'application/octet-stream', 'content-length': bytes.length, 'x-content-type-options': 'nosniff', 'cache-control': 'private, max-age=86400' });
      return void res.end(bytes);
    }
    if (req.method === 'POST' && what === 'photos') {
      const photo = await upload(req, ticket.site);
      await portal.addPhotos(token, [photo]);
      return json(res, 201, photo);
    }
    if (req.method === 'POST' && what === 'decide') {
      const body = await readBytes(req, 8192);
      const form = new URLSearchParams(body ? new TextDecoder().decode(body) : '');
      const accept = form.get('decision') === 'accept';
      const reason = (form.get('reason') ?? '').trim().slice(0, 2000);
      if (!accept && reason === '') return html(res, 400, messagePage('请说明问题', '选择“仍有问题”时请写明还有什么问题。'));
      await portal.decide(token, accept, reason);
      res.writeHead(303, { location: `/portal/f/${token}` });
      return void res.end();
    }
    json(res, 404, { error: '没有这个页面' });
  }

  async function upload(req: IncomingMessage, site: string) {
    const max = DEFAULT_MAX_ATTACHMENT_BYTES;
    if (Number(req.headers['content-length'] ?? 0) > max) throw new PortalRefused(413, `照片超过 ${max / 1_000_000} MB`);
    const bytes = await readBytes(req, max);
    if (!bytes) throw new PortalRefused(413, `照片超过 ${max / 1_000_000} MB`);
    let name = 'photo.jpg';
    try {
      name = decodeURIComponent(String(req.headers['x-file-name'] ?? name));
    } catch {
      // a broken name is replaced
    }
    return portal.photo(name, bytes, site);
  }

  /** The admin asking for the sheet: by seat token, or by password (HTTP Basic, so a browser can open it). */
  async function admin(req: IncomingMessage, from: string): Promise<{ sites: string[] } | null> {
    const header = req.headers.authorization ?? '';
    const token = bearer(header);
    if (token) {
      const s = await deps.sessions.verify(token);
      return 'refused' in s || s.user.role !== 'admin' ? null : { sites: s.user.sites };
    }
    const basic = /^Basic\s+([A-Za-z0-9+/=]{4,400})$/.exec(header)?.[1];
    if (!basic || !passwords.take(from, now().getTime())) return null;
    const text = Buffer.from(basic, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    const user = colon > 0 ? await storage.getUser(text.slice(0, colon)) : null;
    const ok = await verifyPassword(user?.password ?? null, text.slice(colon + 1));
    return ok && user && !user.disabled && user.role === 'admin' ? { sites: user.sites } : null;
  }

  async function sheet(req: IncomingMessage, res: ServerResponse, url: URL, from: string): Promise<void> {
    const who = await admin(req, from);
    if (!who) {
      res.setHeader('www-authenticate', 'Basic realm="closeloop portal", charset="UTF-8"');
      return json(res, 401, { error: '打印报修二维码需要管理员登录' });
    }
    const site = await storage.getSite(url.searchParams.get('site') ?? '');
    if (!site || !who.sites.includes(site.id)) return json(res, 404, { error: '没有这个站点' });
    const places: Place[] = url.searchParams.getAll('place').slice(0, 200).map((p) => {
      const [device = '', location = ''] = p.split('@');
      return { device: device.trim().slice(0, 100), location: location.trim().slice(0, 200) };
    });
    html(res, 200, sheetPage(origin(req), site, places));
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://portal');
    const parts = url.pathname.split('/').filter(Boolean).slice(1);
    const from = req.socket.remoteAddress ?? '';
    if (!general.take(from, now().getTime())) return json(res, 429, { error: '请求过于频繁，请稍后再试' });
    if (req.method === 'GET' && parts[0] === 'app.js' && parts.length === 1) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      return void res.end(APP_JS);
    }
    if (req.method === 'GET' && parts[0] === 'r' && parts.length === 1) {
      const site = await storage.getSite(url.searchParams.get('site') ?? '');
      if (!site) return html(res, 404, messagePage('没有这个站点', '二维码可能已过期，请联系管理员。'));
      const prefill = { device: url.searchParams.get('device') ?? '', location: url.searchParams.get('location') ?? '' };
      return html(res, 200, reportPage(site, await portal.template(site.id), prefill));
    }
    if (req.method === 'POST' && parts[0] === 'photos' && parts.length === 1) {
      const site = url.searchParams.get('site');
      if (!site) {
        req.resume();
        return json(res, 400, { error: '上传照片须指明站点（?site=）' });
      }
      return json(res, 201, await upload(req, site));
    }
    if (req.method === 'POST' && parts[0] === 'report' && parts.length === 1) {
      if (!reports.take(from, now().getTime())) return json(res, 429, { error: '提交过于频繁，请稍后再试' });
      const body = await readBytes(req, 64 * 1024);
      let parsed;
      try {
        parsed = reportBody.safeParse(JSON.parse(body ? new TextDecoder().decode(body) : ''));
      } catch {
        return json(res, 400, { error: '请求格式有误' });
      }
      if (!parsed.success) return json(res, 400, { error: '请求格式有误' });
      const r = await portal.report(parsed.data.site, parsed.data.answers, parsed.data.photos);
      return json(res, 201, { no: r.no, follow: `/portal/f/${r.token}` });
    }
    if (parts[0] === 'f' && parts[1]) return follow(req, res, from, parts[1], parts.slice(2));
    if (req.method === 'GET' && parts[0] === 'sheet' && parts.length === 1) return sheet(req, res, url, from);
    json(res, 404, { error: '没有这个页面' });
  }

  return async (req, res) => {
    try {
      await route(req, res);
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof PortalRefused) return json(res, e.status, { error: e.message });
      json(res, 500, { error: '服务器内部错误' });
    }
  };
}
