import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  applyTransition, checkAttachment, checkTransition, createTicket, dayKey, formatLeasedNo, localDate, safeName, sniffContent,
  type AttachmentRef, type FormAnswers, type FormTemplate, type Ticket,
} from '../../domain';
import { siteTemplate } from '../connectors/inbound';
import type { Push } from '../connectors/reporter';
import { docFromStored } from '../engine/tickets';
import { ImageError, type ImageWorker } from '../blobs/image-worker';
import type { SyncStorage } from '../storage/types';
import { REQUESTER, creationChange, editChange, plainTicket, requesterPusher } from './ticket-edit';

/**
 * The requester portal's work (issue 7): a report from a phone becomes a ticket (checked against
 * the site's intake form) with its photos (metadata stripped, thumbnails made); the requester gets
 * the ticket number and a private link `<ticket id>.<secret>` — the ticket keeps only the secret's
 * SHA-256, so a link cannot be guessed or derived from what the seats hold — through which they
 * follow the ticket, add photos, and verify the repair or say it is not fixed.
 */
export class PortalRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PortalRefused';
  }
}

export interface PortalDeps {
  storage: SyncStorage;
  push: Push;
  images: ImageWorker;
  now: () => Date;
  maxPhotoBytes?: number;
}

export interface PhotoRef {
  hash: string;
  name: string;
  thumb?: string | undefined;
}

const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class PortalService {
  private readonly leases = new Map<string, { next: number; to: number }>();

  constructor(private readonly deps: PortalDeps) {}

  template(site: string): Promise<FormTemplate> {
    return siteTemplate(this.deps.storage, site);
  }

  /**
   * A photo from a phone for a report to `site`: an image only, re-encoded without metadata, stored
   * with its thumbnail and recorded for that site (the site's seats may then read it). Both are
   * provisional until a report or a follow link takes the photo (see PhotoSweep, sweep.ts).
   */
  async photo(name: string, bytes: Uint8Array, site: string): Promise<PhotoRef & { mime: string; size: number }> {
    if (!(await this.deps.storage.getSite(site))) throw new PortalRefused(404, '没有这个站点');
    const check = checkAttachment(name, bytes, this.deps.maxPhotoBytes ? { maxBytes: this.deps.maxPhotoBytes } : {});
    if (!check.ok) throw new PortalRefused(check.code === 'too_large' ? 413 : 415, check.message);
    if (check.type.kind !== 'image') throw new PortalRefused(415, `“${check.name}”不是照片：这里只接受照片`);
    let img;
    try {
      img = await this.deps.images.process(bytes, check.type.mime);
    } catch (e) {
      if (e instanceof ImageError) throw new PortalRefused(415, `“${check.name}”：${e.message}`);
      throw e;
    }
    const hash = sha(img.bytes);
    const thumb = sha(img.thumb);
    const at = this.deps.now();
    await this.deps.storage.putProvisionalBlob(thumb, img.thumb, site, at);
    await this.deps.storage.putProvisionalBlob(hash, img.bytes, site, at);
    return { hash, thumb, name: check.name, mime: img.mime, size: img.bytes.length };
  }

  /** Opens a ticket as the requester; resolves with its number and the private follow link's token. */
  async report(site: string, answers: FormAnswers, photos: readonly PhotoRef[]): Promise<{ id: string; no: string; token: string }> {
    const rec = await this.deps.storage.getSite(site);
    if (!rec) throw new PortalRefused(404, '没有这个站点');
    const now = this.deps.now();
    const template = await this.template(site);
    const id = crypto.randomUUID();
    const no = await this.nextNo(site, rec.prefix, dayKey(localDate(now.getTime(), rec.timezone)));
    // The photos answer the form's first attachments field (mandatory where the form says so).
    const photoField = [...template.fields, ...template.groups.flatMap((g) => g.fields)].find((f) => f.type === 'attachments' && !f.disabled);
    if (photoField && photos.length > 0) answers = { ...answers, [photoField.key]: photos.map((p) => p.hash) };
    const r = createTicket(answers, { id, no, site, now: now.toISOString(), actor: { user: REQUESTER, kind: 'requester' }, template });
    if (!r.ok) throw new PortalRefused(422, r.message);
    const secret = randomBytes(24).toString('base64url');
    const ticket: Ticket = { ...r.ticket, attachments: await this.refs(photos, now, site), followHash: sha(secret) };
    await this.commit(site, id, creationChange(ticket, now));
    return { id, no, token: `${id}.${secret}` };
  }

  /** The ticket behind a follow link, or a refusal that says nothing about which part was wrong. */
  async follow(token: string): Promise<Ticket> {
    const [id = '', secret = ''] = token.split('.');
    const stored = UUID.test(id) && secret.length >= 20 ? await this.deps.storage.loadTicket(id) : null;
    const ticket = stored ? plainTicket(docFromStored(stored)) : null;
    const want = new Uint8Array(Buffer.from(ticket?.followHash ?? '0'.repeat(64), 'hex'));
    const got = new Uint8Array(Buffer.from(sha(secret), 'hex'));
    if (!ticket || !ticket.followHash || want.length !== got.length || !timingSafeEqual(want, got)) throw new PortalRefused(404, '链接无效或已失效');
    return ticket;
  }

  async addPhotos(token: string, photos: readonly PhotoRef[]): Promise<Ticket> {
    return this.edit(token, 'attach', async (t, now) => {
      const have = new Set(t.attachments.map((a) => a.hash));
      const fresh = (await this.refs(photos, now, t.site)).filter((a) => !have.has(a.hash));
      return { ...t, updatedAt: now.toISOString(), attachments: [...t.attachments, ...fresh] };
    });
  }

  /** 验收通过 (verify) or 仍有问题 (reject, with the reason), only while the ticket waits for verification. */
  async decide(token: string, accept: boolean, reason: string): Promise<Ticket> {
    const action = accept ? 'verify' : 'reject';
    return this.edit(token, action, async (t, now) => {
      const actor = { user: REQUESTER, kind: 'requester' as const };
      const input = accept ? {} : { reason };
      const refusal = checkTransition(t, action, actor, input);
      if (refusal) throw new PortalRefused(409, refusal.message);
      const next = structuredClone(t);
      applyTransition(next, action, actor, input, now.toISOString());
      return next;
    });
  }

  private async edit(token: string, action: string, change: (t: Ticket, now: Date) => Promise<Ticket>): Promise<Ticket> {
    const current = await this.follow(token);
    const stored = await this.deps.storage.loadTicket(current.id);
    if (!stored) throw new PortalRefused(404, '链接无效或已失效');
    const doc = docFromStored(stored);
    const prev = plainTicket(doc)!;
    const now = this.deps.now();
    const next = await change(prev, now);
    const bytes = editChange(doc, prev, next, action, now);
    if (bytes) await this.commit(prev.site, prev.id, bytes);
    return next;
  }

  private async commit(site: string, id: string, change: Uint8Array): Promise<void> {
    const pushed = await this.deps.push(requesterPusher(site), [{ id, changes: [change] }]);
    const refusal = pushed.refused[0];
    if (refusal) throw new PortalRefused(409, `未能保存：${refusal.reason}`);
  }

  /**
   * References to photos stored by `photo` for `site`; anything else is left out — a hash known
   * from elsewhere (another site's blob) must not land on this site's ticket, where its seats and the
   * follow link could read it. A blob stored before sites were recorded (none) is still taken.
   * A photo taken is kept (no longer provisional) before its bytes are read: should the sweep have
   * expired it just before, it is not there and is left out, so a ticket never names a swept blob.
   */
  private async refs(photos: readonly PhotoRef[], now: Date, site: string): Promise<AttachmentRef[]> {
    const out: AttachmentRef[] = [];
    const forSite = async (hash: string) => {
      const sites = await this.deps.storage.blobSites(hash);
      if (!(sites.length === 0 || sites.includes(site))) return false;
      await this.deps.storage.keepBlob(hash);
      return this.deps.storage.hasBlob(hash);
    };
    for (const p of photos.slice(0, 9)) {
      const bytes = (await forSite(p.hash)) ? await this.deps.storage.getBlob(p.hash) : null;
      if (!bytes) continue;
      const thumb = p.thumb && (await forSite(p.thumb)) ? p.thumb : undefined;
      out.push({ hash: p.hash, name: safeName(p.name), mime: sniffContent(bytes)?.mime ?? 'application/octet-stream', size: bytes.length, at: now.toISOString(), by: REQUESTER, ...(thumb ? { thumb } : {}) });
    }
    return out;
  }

  private async nextNo(site: string, prefix: string, day: string): Promise<string> {
    const k = `${site} ${day}`;
    let l = this.leases.get(k);
    if (!l || l.next > l.to) {
      const b = await this.deps.storage.lease(site, day, 20, 'portal');
      l = { next: b.from, to: b.to };
      this.leases.set(k, l);
    }
    return formatLeasedNo(prefix, day, l.next++);
  }
}
