import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { ImageWorker } from '../blobs/image-worker';
import { PushPipeline } from '../engine/push';
import { TicketDocs } from '../engine/tickets';
import { EmbeddedStorage } from '../storage/embedded';
import { PortalService } from './service';
import { PORTAL_PHOTO_GRACE_MS, PhotoSweep } from './sweep';

let dir: string;
let storage: EmbeddedStorage;
let portal: PortalService;
let sweep: PhotoSweep;
const images = new ImageWorker();
let clock = new Date('2026-12-02T08:00:00Z');
const now = () => clock;
const HOUR = 3_600_000;
const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

let shade = 0;
/** A different photo each time (so each test's blobs are its own). */
async function jpeg(): Promise<Uint8Array> {
  shade += 40;
  return new Uint8Array(await sharp({ create: { width: 160, height: 120, channels: 3, background: { r: shade % 256, g: 90, b: 30 } } }).jpeg().toBuffer());
}

async function expiredLines(): Promise<string[]> {
  const lines = await storage.readAudit(0, 10_000);
  return lines.filter((l) => l.line.kind === 'portal_photo_expired').map((l) => String(l.line.detail?.hash));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'closeloop-portal-sweep-'));
  storage = await EmbeddedStorage.open({ dir });
  await storage.putSite({ id: 'mx-plant', name: '明湘工业园', prefix: 'MX', timezone: 'Asia/Shanghai' });
  const pipeline = new PushPipeline(storage, new TicketDocs(storage, 50), now);
  portal = new PortalService({ storage, images, now, push: (who, t) => pipeline.push(who, t) });
  sweep = new PhotoSweep({ storage, now });
});
afterAll(async () => {
  await sweep.stop();
  await images.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the portal photo sweep', () => {
  it('deletes a photo no report took, with its thumbnail, once the grace is over, and audits it', async () => {
    const p = await portal.photo('IMG_1.jpg', await jpeg(), 'mx-plant');
    later(PORTAL_PHOTO_GRACE_MS - HOUR);
    expect(await sweep.runOnce()).toBe(0);
    expect(await storage.hasBlob(p.hash)).toBe(true);
    later(2 * HOUR);
    expect(await sweep.runOnce()).toBe(2);
    expect(await storage.hasBlob(p.hash)).toBe(false);
    expect(await storage.hasBlob(p.thumb!)).toBe(false);
    expect(await storage.blobSites(p.hash)).toEqual([]);
    expect(await expiredLines()).toEqual(expect.arrayContaining([p.hash, p.thumb]));
    expect(await sweep.runOnce()).toBe(0);
  });

  it('keeps a reported photo and a photo added through the follow link, with their thumbnails', async () => {
    const reported = await portal.photo('IMG_2.jpg', await jpeg(), 'mx-plant');
    const added = await portal.photo('IMG_3.jpg', await jpeg(), 'mx-plant');
    const r = await portal.report('mx-plant', { ...COMPLETE_SYSTEM_FORM }, [reported]);
    await portal.addPhotos(r.token, [added]);
    later(3 * PORTAL_PHOTO_GRACE_MS);
    await sweep.runOnce();
    for (const h of [reported.hash, reported.thumb!, added.hash, added.thumb!]) expect(await storage.hasBlob(h)).toBe(true);
    expect((await portal.follow(r.token)).attachments.map((a) => a.hash)).toEqual([reported.hash, added.hash]);
    expect(await expiredLines()).not.toContain(reported.hash);
  });

  it('keeps a photo a seat also uploaded, before or after the portal', async () => {
    const after = await portal.photo('IMG_4.jpg', await jpeg(), 'mx-plant');
    await storage.putBlob(after.hash, (await storage.getBlob(after.hash))!, 'mx-plant'); // a seat's PUT of the same bytes
    // the seat had the bytes first: the same photo through the portal does not make them provisional
    const original = await jpeg();
    const seatCopy = (await images.process(original, 'image/jpeg')).bytes;
    const hash = createHash('sha256').update(seatCopy).digest('hex');
    await storage.putBlob(hash, seatCopy, 'mx-plant');
    const before = await portal.photo('IMG_5.jpg', original, 'mx-plant');
    expect(before.hash).toBe(hash);
    later(3 * PORTAL_PHOTO_GRACE_MS);
    await sweep.runOnce();
    expect(await storage.hasBlob(after.hash)).toBe(true);
    expect(await storage.hasBlob(before.hash)).toBe(true);
    expect(await storage.hasBlob(after.thumb!)).toBe(false); // nobody took that thumbnail: it goes
    expect(await expiredLines()).not.toContain(after.hash);
  });
});
