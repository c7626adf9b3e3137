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
}
