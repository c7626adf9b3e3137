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
}
