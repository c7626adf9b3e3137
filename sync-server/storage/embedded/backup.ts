import { ClassicLevel } from 'classic-level';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { EmbeddedBlobs } from './blobs';

/**
 * Backup and restore of the embedded store: every key/value pair of the LevelDB, read through one
 * iterator (LevelDB iterators read an implicit snapshot, and every commit is one atomic batch, so
 * the copy is a consistent point in time while the server keeps writing). A record is
 * `[u32 BE key length][key][value]`. Attachment blobs (files under `<data>/blobs`) follow as records
 * keyed `␀blob␀<sha256>`; they are immutable and named by their hash, so reading them after the
 * snapshot is consistent too (a blob stored meanwhile is an unreferenced extra), and a restore
 * checks each against its name. The sites a blob belongs to (sublevel `bsite`) are in the snapshot,
 * and are written again, as read beside each blob, after it: a blob stored after the snapshot then
 * keeps its site instead of coming back siteless (which would make it readable by every seat).
 */
const BLOB_KEY = new TextEncoder().encode('\u0000blob\u0000');

function isBlobKey(k: Uint8Array): boolean {
  return k.byteLength === BLOB_KEY.byteLength + 64 && BLOB_KEY.every((b, i) => k[i] === b);
}
type Db = ClassicLevel<string, Uint8Array>;

function pair(k: Uint8Array, v: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + k.byteLength + v.byteLength);
  new DataView(out.buffer).setUint32(0, k.byteLength);
  out.set(k, 4);
  out.set(v, 4 + k.byteLength);
  return out;
}

export async function* embeddedRecords(db: Db, blobs?: EmbeddedBlobs): AsyncIterable<Uint8Array[]> {
  const it = db.iterator<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' });
  try {
    for (;;) {
      const batch = await it.nextv(1000);
      if (batch.length === 0) break;
      yield batch.map(([k, v]) => pair(k, v));
    }
  } finally {
    await it.close();
  }
  if (!blobs) return;
  for await (const hash of blobs.hashes()) {
    const bytes = await blobs.getBlob(hash);
    if (!bytes) continue;
    const sites = (await blobs.blobSites(hash)).map((site) => pair(new TextEncoder().encode(blobs.siteRecordKey(hash, site)), new Uint8Array()));
    yield [pair(new Uint8Array([...BLOB_KEY, ...new TextEncoder().encode(hash)]), bytes), ...sites];
  }
}

/** Writes backup records into a new database at `path` (emptied first); returns the pairs written. */
export async function restoreEmbeddedRecords(path: string, records: AsyncIterable<Uint8Array[]>): Promise<number> {
  rmSync(path, { recursive: true, force: true });
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  let n = 0;
  try {
    const blobs = new EmbeddedBlobs(dirname(path));
    for await (const batch of records) {
      const puts: { type: 'put'; key: Uint8Array; value: Uint8Array }[] = [];
      for (const r of batch) {
        const klen = new DataView(r.buffer, r.byteOffset, r.byteLength).getUint32(0);
        const key = r.subarray(4, 4 + klen);
        // A blob goes back to <data>/blobs, checked against its hash.
        if (isBlobKey(key)) await blobs.putBlob(new TextDecoder().decode(key.subarray(BLOB_KEY.byteLength)), r.subarray(4 + klen));
        else puts.push({ type: 'put', key, value: r.subarray(4 + klen) });
      }
      if (puts.length > 0) await db.batch(puts);
      n += batch.length;
    }
  } finally {
    await db.close();
  }
  return n;
}
