import * as A from '@automerge/automerge';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { DEMO_TEMPLATE, createTicket, dayKey, formAnswers, formVersionSchema, formatLeasedNo, localDate, type FormTemplate } from '../../domain';
import { toAutomerge } from '../protocol';
import type { SyncStorage } from '../storage/types';
import { utf8 } from './channels/http';
import { DEFAULTS, type ConnectorsFile, type InboundEndpoint } from './config';
import { connectorPusher, type Push } from './reporter';

/**
 * Inbound webhooks: an ERP or MES opens a ticket with `POST /inbound/<endpoint>`. The body is
 * HMAC-SHA256 signed (`X-Closeloop-Signature: sha256=HEX` over `TIMESTAMP.BODY`, with
 * `X-Closeloop-Timestamp` in epoch seconds, at most `max_skew` away), validated with zod and the
 * site's intake form, rate-limited per endpoint, and the ticket goes through the same push
 * pipeline as a seat's (policy, log, fan-out). `external_id` makes a repeated request harmless:
 * it fixes the ticket's id, so the second request finds the ticket and creates nothing.
 */
export const inboundBody = z.strictObject({
  external_id: z.string().min(1).max(128),
  answers: formAnswers,
});

export function signInbound(secret: string, ts: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex');
}

/** A UUID (version 5 layout) from the endpoint and the sender's id. */
export function inboundTicketId(endpoint: string, externalId: string): string {
  const h = createHash('sha256').update(`inbound\n${endpoint}\n${externalId}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

class Bucket {
  private count = 0;
  private windowStart = 0;
  constructor(private readonly perMinute: number) {}
  take(now: number): boolean {
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.count = 0;
    }
    return ++this.count <= this.perMinute;
  }
}

export interface InboundDeps {
  storage: SyncStorage;
  push: Push;
  now: () => Date;
  log: (s: string) => void;
}

export class InboundWebhooks {
  private readonly buckets = new Map<string, Bucket>();
  private readonly leases = new Map<string, { next: number; to: number }>();
  server: Server | null = null;

  constructor(
    private readonly file: NonNullable<ConnectorsFile['inbound']>,
    private readonly deps: InboundDeps,
  ) {}

  listen(): Promise<number> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => {
        this.deps.log(`inbound: ${e.message}`);
        this.answer(res, 500, { error: 'internal error' });
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.file.port, this.file.host ?? '127.0.0.1', () => {
        const a = server.address();
        resolve(a && typeof a === 'object' ? a.port : this.file.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) return;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private readBody(req: IncomingMessage, max: number): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      req.on('data', (c: Uint8Array) => {
        size += c.byteLength;
        if (size > max) return resolve(null); // the rest is read and dropped, so the 413 reaches the sender
        chunks.push(c);
      });
      req.on('end', () => resolve(size > max ? null : utf8(chunks)));
      req.on('error', reject);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/inbound\/([a-z0-9][a-z0-9._-]{0,63})$/.exec(req.url ?? '');
    const name = m?.[1];
    const ep: InboundEndpoint | undefined = name ? this.file.endpoints[name] : undefined;
    if (!name || !ep) return this.answer(res, 404, { error: 'no such inbound endpoint' });
    if (req.method !== 'POST') return this.answer(res, 405, { error: 'POST only' });
    const now = this.deps.now();
    // Two budgets per endpoint: signed requests, and refusals (so forged requests neither starve the
    // sender's own budget nor flood the audit log: past theirs they are refused without a line).
    const bucket = (kind: string) => {
      let b = this.buckets.get(`${kind} ${name}`);
      if (!b) this.buckets.set(`${kind} ${name}`, (b = new Bucket(ep.per_minute ?? DEFAULTS.perMinute)));
      return b;
    };
    const body = await this.readBody(req, this.file.max_body ?? DEFAULTS.maxBody);
    if (body === null) {
      res.setHeader('Connection', 'close');
      return this.answer(res, 413, { error: 'the body is too large' });
    }
    const ts = Number(req.headers['x-closeloop-timestamp']);
    const sig = String(req.headers['x-closeloop-signature'] ?? '');
    if (!Number.isInteger(ts) || Math.abs(now.getTime() - ts * 1000) > (ep.max_skew ?? DEFAULTS.maxSkew)) {
      if (bucket('refused').take(now.getTime())) await this.refused(name, 'missing or stale X-Closeloop-Timestamp');
      return this.answer(res, 401, { error: 'missing or stale X-Closeloop-Timestamp' });
    }
    const want = new TextEncoder().encode(signInbound(ep.secret, ts, body));
    const got = new TextEncoder().encode(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) {
      if (bucket('refused').take(now.getTime())) await this.refused(name, 'bad signature');
      return this.answer(res, 401, { error: 'bad signature' });
    }
    if (!bucket('signed').take(now.getTime())) return this.answer(res, 429, { error: 'too many requests: try again in a minute' });
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return this.answer(res, 400, { error: 'the body is not JSON' });
    }
    const parsed = inboundBody.safeParse(json);
    if (!parsed.success) return this.answer(res, 400, { error: 'invalid request', problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) });
    const result = await this.open(name, ep, parsed.data, now);
    return this.answer(res, result.status, result.body);
  }

  private refused(endpoint: string, reason: string): Promise<void> {
    return this.deps.storage.appendAudit([{ at: this.deps.now().toISOString(), kind: 'inbound_refused', user: `inbound:${endpoint}`, reason }]);
  }

  private async nextNo(site: string, prefix: string, day: string): Promise<string> {
    const k = `${site} ${day}`;
    let l = this.leases.get(k);
    if (!l || l.next > l.to) {
      const b = await this.deps.storage.lease(site, day, 20, 'connector');
      l = { next: b.from, to: b.to };
      this.leases.set(k, l);
    }
    return formatLeasedNo(prefix, day, l.next++);
  }

  private async open(name: string, ep: InboundEndpoint, req: z.infer<typeof inboundBody>, now: Date): Promise<{ status: number; body: unknown }> {
    const site = await this.deps.storage.getSite(ep.site);
    if (!site) return { status: 500, body: { error: `the endpoint's site "${ep.site}" does not exist on this server` } };
    const id = inboundTicketId(name, req.external_id);
    const existing = await this.deps.storage.loadTicket(id);
    if (existing) return { status: 200, body: { ticket: id, no: existing.no, created: false } };
    const no = await this.nextNo(site.id, site.prefix, dayKey(localDate(now.getTime(), site.timezone)));
    const user = `inbound:${name}`;
    const template = await siteTemplate(this.deps.storage, site.id);
    const r = createTicket(req.answers, { id, no, site: site.id, now: now.toISOString(), actor: { user, kind: 'automation' }, template });
    if (!r.ok) return { status: 422, body: { error: r.message, problems: r.problems.map((p) => ({ field: p.field, message: p.message })) } };
    const message = JSON.stringify({ by: user, seat: 'connector', action: 'create' });
    const doc = A.change(A.init<Record<string, unknown>>({ actor: createHash('sha256').update(id).digest('hex').slice(0, 32) }), { message, time: Math.floor(now.getTime() / 1000) }, (d) => {
      Object.assign(d, toAutomerge(r.ticket));
    });
    const change = A.getLastLocalChange(doc)!;
    A.free(doc);
    const pushed = await this.deps.push(connectorPusher(site.id, user), [{ id, changes: [change] }]);
    const refusal = pushed.refused[0];
    if (refusal) {
      // Two requests with one external_id at the same moment: the first created it.
      const again = await this.deps.storage.loadTicket(id);
      if (again) return { status: 200, body: { ticket: id, no: again.no, created: false } };
      return { status: 422, body: { error: `refused: ${refusal.reason}` } };
    }
    this.deps.log(`inbound ${name}: opened ${no} (${id})`);
    return { status: 201, body: { ticket: id, no, created: true } };
  }
}

/**
 * The intake form inbound tickets are checked against: the site's newest published form version
 * (site documents, kept by the server in one numbered line), else the built-in form.
 */
export async function siteTemplate(storage: Pick<SyncStorage, 'listSiteDocs'>, site: string): Promise<FormTemplate> {
  const versions = (await storage.listSiteDocs(site, 'forms')).flatMap((d) => {
    try {
      const v = formVersionSchema.safeParse(JSON.parse(d.body));
      return v.success ? [v.data] : [];
    } catch {
      return [];
    }
  });
  return versions.sort((a, b) => b.version - a.version)[0]?.template ?? DEMO_TEMPLATE;
}
