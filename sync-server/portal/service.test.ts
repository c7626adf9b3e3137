import * as A from '@automerge/automerge';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTransition } from '../../domain';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { ImageWorker } from '../blobs/image-worker';
import { PushPipeline } from '../engine/push';
import { TicketDocs, docFromStored } from '../engine/tickets';
import { EmbeddedStorage } from '../storage/embedded';
import { esc, followPage } from './pages';
import { PortalRefused, PortalService } from './service';
import { editChange, plainTicket } from './ticket-edit';

let dir: string;
let storage: EmbeddedStorage;
let portal: PortalService;
const images = new ImageWorker();
const now = () => new Date('2026-12-02T08:00:00Z');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'closeloop-portal-svc-'));
  storage = await EmbeddedStorage.open({ dir });
  await storage.putSite({ id: 'mx-plant', name: '明湘工业园', prefix: 'MX', timezone: 'Asia/Shanghai' });
  await storage.putSite({ id: 'other-plant', name: '另一厂区', prefix: 'OT', timezone: 'Asia/Shanghai' });
  const pipeline = new PushPipeline(storage, new TicketDocs(storage, 50), now);
  portal = new PortalService({ storage, images, now, push: (who, t) => pipeline.push(who, t) });
});
afterAll(async () => {
  await images.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the portal service', () => {
  it('records a photo for its report’s site, and does not put another site’s blob on a ticket', async () => {
    const jpg = new Uint8Array(await sharp({ create: { width: 120, height: 90, channels: 3, background: '#642' } }).jpeg().toBuffer());
    await expect(portal.photo('x.jpg', jpg, 'nowhere')).rejects.toMatchObject({ status: 404 });
    const theirs = await portal.photo('IMG_9.jpg', jpg, 'other-plant');
    // the hash is known, but the bytes went to other-plant: a report to mx-plant leaves it out
    const r = await portal.report('mx-plant', { ...COMPLETE_SYSTEM_FORM }, [theirs]);
    expect((await portal.follow(r.token)).attachments).toEqual([]);
    expect(await storage.blobSites(theirs.hash)).toEqual(['other-plant']);
    const mine = await portal.photo('IMG_9.jpg', jpg, 'mx-plant'); // the same photo sent for mx-plant
    expect(mine.hash).toBe(theirs.hash);
    const t = await portal.addPhotos(r.token, [mine]);
    expect(t.attachments.map((a) => a.hash)).toEqual([mine.hash]);
    expect(await storage.blobSites(mine.hash)).toEqual(['mx-plant', 'other-plant']);
  });

  it('opens a ticket as the requester with its photo, reachable only through the private link', async () => {
    const jpg = new Uint8Array(await sharp({ create: { width: 400, height: 300, channels: 3, background: '#246' } }).jpeg().withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 0/1 0/1' } }).toBuffer());
    const p = await portal.photo('IMG_1.jpg', jpg, 'mx-plant');
    expect(await storage.blobSites(p.hash)).toEqual(['mx-plant']);
    expect(await storage.blobSites(p.thumb!)).toEqual(['mx-plant']);
    expect((await sharp(await storage.getBlob(p.hash) as Uint8Array).metadata()).exif).toBeUndefined();
    const r = await portal.report('mx-plant', { ...COMPLETE_SYSTEM_FORM }, [p]);
    expect(r.no).toMatch(/^MX20261202-\d{4}$/);
    const t = await portal.follow(r.token);
    expect(t).toMatchObject({ id: r.id, state: 'pending_acceptance', attachments: [{ hash: p.hash, thumb: p.thumb, by: 'requester' }] });
    expect(t.form.attachments).toEqual([p.hash]);
    expect(t.followHash).not.toContain(r.token.split('.')[1]);
    await expect(portal.follow(`${r.id}.${'x'.repeat(32)}`)).rejects.toBeInstanceOf(PortalRefused);
    await expect(portal.follow(r.id)).rejects.toMatchObject({ status: 404 });
    await expect(portal.decide(r.token, true, '')).rejects.toMatchObject({ status: 409, message: expect.stringContaining('待受理') });
  });

  it('refuses an incomplete report, saying what is missing', async () => {
    await expect(portal.report('mx-plant', { title: '漏水' }, [])).rejects.toMatchObject({ status: 422, message: expect.stringContaining('请填写') });
    await expect(portal.report('nowhere', { ...COMPLETE_SYSTEM_FORM }, [])).rejects.toMatchObject({ status: 404 });
  });
});

describe('server-side ticket edits', () => {
  it('appends audit lines and sets changed fields so the document reads as the edited ticket', async () => {
    const r = await portal.report('mx-plant', { ...COMPLETE_SYSTEM_FORM }, []);
    const doc = docFromStored((await storage.loadTicket(r.id))!);
    const prev = plainTicket(doc)!;
    const next = structuredClone(prev);
    applyTransition(next, 'cancel', { user: 'requester', kind: 'requester' }, { reason: 'x' }, '2026-12-02T09:00:00.000Z');
    const [after] = A.applyChanges(A.clone(doc), [editChange(doc, prev, next, 'cancel', now())!]);
    expect(plainTicket(after)).toEqual(next);
    expect(editChange(doc, prev, prev, 'none', now())).toBeNull();
  });

  it('escapes what the requester typed on the follow page', async () => {
    const r = await portal.report('mx-plant', { ...COMPLETE_SYSTEM_FORM, title: '<script>alert(1)</script>' }, []);
    const html = followPage(await portal.follow(r.token), r.token);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain(esc('<script>alert(1)</script>'));
  });
});
