import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeatBlobs } from './seat-blobs';

/** The seat's blob cache: what may be dropped, and in which order. */
describe('the seat’s blob cache', () => {
  let dir: string;
  let blobs: SeatBlobs;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'closeloop-seat-blobs-'));
    blobs = await SeatBlobs.open(dir);
  });
  afterEach(async () => {
    await blobs.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const kb = (seed: number) => Uint8Array.from({ length: 1_000 }, (_, i) => (i * seed) % 256);

  it('drops the least recently opened blobs the server has, down to 90 % of the limit', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(async (n) => (await blobs.put(kb(n), 'application/pdf', { upload: false, remote: true, at: `2026-12-0${n}T08:00:00.000Z` })).hash));
    await blobs.touch(a!, '2026-12-04T08:00:00.000Z'); // opened since: now the most recent
    expect(await blobs.evict(3_000)).toEqual({ evicted: 0, bytes: 3_000 });
    expect(await blobs.evict(2_500)).toEqual({ evicted: 1, bytes: 2_000 });
    expect([await blobs.has(a!), await blobs.has(b!), await blobs.has(c!)]).toEqual([true, false, true]);
    expect(await blobs.get(a!)).toEqual(kb(1)); // the touch kept its bytes
  });

  it('never drops a blob the server is not known to have, or one waiting to upload', async () => {
    const local = (await blobs.put(kb(4), 'application/pdf', { upload: false, at: '2026-12-01T08:00:00.000Z' })).hash; // a seat without a server
    const waiting = (await blobs.put(kb(5), 'application/pdf', { upload: true, at: '2026-12-01T08:00:00.000Z' })).hash;
    const uploaded = (await blobs.put(kb(6), 'application/pdf', { upload: true, at: '2026-12-01T08:00:00.000Z' })).hash;
    await blobs.onServer(uploaded);
    await blobs.sent(uploaded);
    expect(await blobs.evict(1)).toEqual({ evicted: 1, bytes: 2_000 });
    expect([await blobs.has(local), await blobs.has(waiting), await blobs.has(uploaded)]).toEqual([true, true, false]);
  });
});
