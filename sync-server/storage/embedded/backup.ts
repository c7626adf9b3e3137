import { ClassicLevel } from 'classic-level';
import { rmSync } from 'node:fs';

/**
 * Backup and restore of the embedded store: every key/value pair of the LevelDB, read through one
 * iterator (LevelDB iterators read an implicit snapshot, and every commit is one atomic batch, so
 * the copy is a consistent point in time while the server keeps writing). A record is
 * `[u32 BE key length][key][value]`.
 */
type Db = ClassicLevel<string, Uint8Array>;

function pair(k: Uint8Array, v: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + k.byteLength + v.byteLength);
  new DataView(out.buffer).setUint32(0, k.byteLength);
  out.set(k, 4);
  out.set(v, 4 + k.byteLength);
  return out;
}

export async function* embeddedRecords(db: Db): AsyncIterable<Uint8Array[]> {
  const it = db.iterator<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' });
  try {
    for (;;) {
      const batch = await it.nextv(1000);
      if (batch.length === 0) return;
      yield batch.map(([k, v]) => pair(k, v));
    }
  } finally {
    await it.close();
  }
}

/** Writes backup records into a new database at `path` (emptied first); returns the pairs written. */
export async function restoreEmbeddedRecords(path: string, records: AsyncIterable<Uint8Array[]>): Promise<number> {
  rmSync(path, { recursive: true, force: true });
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  let n = 0;
  try {
    for await (const batch of records) {
      await db.batch(
        batch.map((r) => {
          const klen = new DataView(r.buffer, r.byteOffset, r.byteLength).getUint32(0);
          return { type: 'put' as const, key: r.subarray(4, 4 + klen), value: r.subarray(4 + klen) };
        }),
      );
      n += batch.length;
    }
  } finally {
    await db.close();
  }
  return n;
}
