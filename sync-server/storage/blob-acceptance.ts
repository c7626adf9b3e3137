import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { BlobHashMismatch } from './blob-types';
import type { SyncStorage } from './types';

/** Acceptance cases for attachment blobs (BlobStorage), run inside runSyncStorageTests. */
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const photo = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31 + 7) % 251);

export function runBlobCases(storage: () => SyncStorage, reopen: () => Promise<SyncStorage>): void {
  it('stores a blob once under its content hash, and keeps it across restarts', async () => {
    let s = storage();
    const hash = sha(photo);
    expect(await s.hasBlob(hash)).toBe(false);
    expect(await s.getBlob(hash)).toBeNull();
    expect(await s.putBlob(hash, photo)).toBe(true);
    expect(await s.putBlob(hash, photo)).toBe(false);
    s = await reopen();
    expect(await s.hasBlob(hash)).toBe(true);
    expect(Buffer.from((await s.getBlob(hash))!).equals(Buffer.from(photo))).toBe(true);
  });

  it('refuses bytes whose hash is not their name, and stores nothing of them', async () => {
    const s = storage();
    const claimed = sha(Uint8Array.of(1, 2, 3));
    await expect(s.putBlob(claimed, Uint8Array.of(9, 9, 9))).rejects.toBeInstanceOf(BlobHashMismatch);
    expect(await s.hasBlob(claimed)).toBe(false);
    await expect(s.putBlob('../../etc/passwd', Uint8Array.of(1))).rejects.toThrow(/content hash/);
    await expect(s.getBlob('..%2f..%2fdb')).rejects.toThrow(/content hash/);
  });

  it('records the sites a blob belongs to, only with its bytes, and keeps them across restarts', async () => {
    let s = storage();
    const bytes = Uint8Array.from({ length: 5_000 }, (_, i) => (i * 17 + 3) % 253);
    const hash = sha(bytes);
    expect(await s.blobSites(hash)).toEqual([]);
    expect(await s.putBlob(hash, bytes, 'site-b')).toBe(true);
    expect(await s.blobSites(hash)).toEqual(['site-b']);
    // the same bytes for another site: stored once, recorded for both
    expect(await s.putBlob(hash, bytes, 'site-a')).toBe(false);
    expect(await s.putBlob(hash, bytes, 'site-a')).toBe(false);
    expect(await s.blobSites(hash)).toEqual(['site-a', 'site-b']);
    // wrong bytes under the name claim nothing
    await expect(s.putBlob(hash, Uint8Array.of(1, 2, 3), 'site-c')).rejects.toBeInstanceOf(BlobHashMismatch);
    expect(await s.blobSites(hash)).toEqual(['site-a', 'site-b']);
    s = await reopen();
    expect(await s.blobSites(hash)).toEqual(['site-a', 'site-b']);
    expect(await s.hasBlob(hash)).toBe(true);
  });

  it('keeps a blob stored without a site siteless (stored before sites were recorded)', async () => {
    const s = storage();
    const bytes = Uint8Array.from({ length: 700 }, (_, i) => (i * 5 + 1) % 256);
    const hash = sha(bytes);
    expect(await s.putBlob(hash, bytes)).toBe(true);
    expect(await s.blobSites(hash)).toEqual([]);
    expect(await s.putBlob(hash, bytes, 'site-a')).toBe(false);
    expect(await s.blobSites(hash)).toEqual(['site-a']);
    await expect(s.blobSites('../x')).rejects.toThrow(/content hash/);
  });

  it('deletes a blob with its site records, and it stays gone across restarts', async () => {
    let s = storage();
    const bytes = Uint8Array.from({ length: 900 }, (_, i) => (i * 7 + 2) % 256);
    const hash = sha(bytes);
    expect(await s.deleteBlob(hash)).toBe(false);
    await s.putBlob(hash, bytes, 'site-a');
    expect(await s.deleteBlob(hash)).toBe(true);
    expect(await s.hasBlob(hash)).toBe(false);
    expect(await s.getBlob(hash)).toBeNull();
    expect(await s.blobSites(hash)).toEqual([]);
    s = await reopen();
    expect(await s.hasBlob(hash)).toBe(false);
    expect(await s.blobSites(hash)).toEqual([]);
    // stored again, it is new again and recorded only for its new site
    expect(await s.putBlob(hash, bytes, 'site-b')).toBe(true);
    expect(await s.blobSites(hash)).toEqual(['site-b']);
    await expect(s.deleteBlob('../x')).rejects.toThrow(/content hash/);
  });

  it('expires a provisional blob after its grace, and keeps it once kept', async () => {
    let s = storage();
    const t0 = new Date('2026-12-02T08:00:00Z');
    const later = new Date('2026-12-03T09:00:00Z');
    const gone = Uint8Array.from({ length: 1_100 }, (_, i) => (i * 13 + 5) % 256);
    const taken = Uint8Array.from({ length: 1_100 }, (_, i) => (i * 11 + 9) % 256);
    expect(await s.putProvisionalBlob(sha(gone), gone, 'site-a', t0)).toBe(true);
    expect(await s.putProvisionalBlob(sha(taken), taken, 'site-a', t0)).toBe(true);
    await s.keepBlob(sha(taken));
    s = await reopen();
    expect(await s.provisionalBlobs(t0)).toEqual([]); // not before t0 itself
    expect(await s.provisionalBlobs(later)).toEqual([{ hash: sha(gone), sites: ['site-a'], at: t0 }]);
    expect(await s.expireBlob(sha(gone), t0)).toBe(false); // still within its grace
    expect(await s.expireBlob(sha(taken), later)).toBe(false);
    expect(await s.expireBlob(sha(gone), later)).toBe(true);
    expect(await s.hasBlob(sha(gone))).toBe(false);
    expect(await s.blobSites(sha(gone))).toEqual([]);
    expect(await s.provisionalBlobs(later)).toEqual([]);
    expect(await s.hasBlob(sha(taken))).toBe(true);
  });

  it('never makes a seat’s blob provisional, and a seat’s upload keeps a provisional one', async () => {
    const s = storage();
    const t0 = new Date('2026-12-02T08:00:00Z');
    const t1 = new Date('2026-12-02T20:00:00Z');
    const later = new Date('2026-12-03T09:00:00Z');
    const seats = Uint8Array.from({ length: 1_300 }, (_, i) => (i * 3 + 1) % 256);
    const portal = Uint8Array.from({ length: 1_300 }, (_, i) => (i * 19 + 4) % 256);
    const twice = Uint8Array.from({ length: 1_300 }, (_, i) => (i * 23 + 8) % 256);
    // a seat stored it first: the portal sending the same bytes leaves it kept
    await s.putBlob(sha(seats), seats, 'site-a');
    expect(await s.putProvisionalBlob(sha(seats), seats, 'site-a', t0)).toBe(false);
    expect(await s.expireBlob(sha(seats), later)).toBe(false);
    // the portal first, then a seat: the seat's upload makes it the seat's
    await s.putProvisionalBlob(sha(portal), portal, 'site-a', t0);
    expect(await s.putBlob(sha(portal), portal, 'site-a')).toBe(false);
    expect(await s.expireBlob(sha(portal), later)).toBe(false);
    // sent twice through the portal (two sites): the later mark counts, both sites go with it
    await s.putProvisionalBlob(sha(twice), twice, 'site-b', t0);
    expect(await s.putProvisionalBlob(sha(twice), twice, 'site-a', t1)).toBe(false);
    expect(await s.provisionalBlobs(later)).toEqual([{ hash: sha(twice), sites: ['site-a', 'site-b'], at: t1 }]);
    expect(await s.expireBlob(sha(twice), new Date('2026-12-02T12:00:00Z'))).toBe(false);
    expect(await s.expireBlob(sha(twice), later)).toBe(true);
    expect(await s.blobSites(sha(twice))).toEqual([]);
    expect(await s.hasBlob(sha(seats))).toBe(true);
    expect(await s.hasBlob(sha(portal))).toBe(true);
  });
}
