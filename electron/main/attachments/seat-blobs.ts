import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import PouchDB from 'pouchdb';
import { durableLeveldown } from '../store/durable-leveldown';

/**
 * The seat's attachment bytes, content-addressed, in a PouchDB database of their own
 * (`<dataDir>/attachments`): `b/<sha256>` holds the bytes as a binary attachment with their type,
 * `q/<sha256>` marks a blob the sync server does not have yet (the upload queue).
 *
 * A database of its own rather than `a/<hash>` in the ticket database: the ticket store replays
 * its changes feed and checks its document count against the row checkpoint at every start, and
 * its writes sit on the hot path of every ticket edit; megabytes of photos there would slow both
 * and make the checkpoint rebuild for no reason. Blobs are immutable, never merged, and may be
 * evicted and fetched again, so they live apart (no change to the ticket store at all).
 */
export interface BlobInfo {
  hash: string;
  mime: string;
  size: number;
}

interface BlobDoc {
  mime?: string;
  size?: number;
  at?: string;
}

const BLOB = 'b/';
const QUEUE = 'q/';

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export class SeatBlobs {
  private constructor(private readonly db: PouchDB.Database<BlobDoc>) {}

  static async open(dataDir: string): Promise<SeatBlobs> {
    mkdirSync(dataDir, { recursive: true });
    // `db` (a leveldown factory) is a documented option of the leveldb adapter the typings lack.
    const options = { adapter: 'leveldb', db: durableLeveldown, auto_compaction: true, revs_limit: 2 } as PouchDB.Configuration.LocalDatabaseConfiguration;
    const db = new PouchDB<BlobDoc>(join(dataDir, 'attachments'), options);
    await db.info();
    return new SeatBlobs(db);
  }

  /**
   * Stores the bytes under their SHA-256 (once: the same bytes again are not written again).
   * `upload`: also queue it for the server. Returns the hash and whether it was new.
   */
  async put(bytes: Uint8Array, mime: string, opts: { upload: boolean; at: string }): Promise<{ hash: string; stored: boolean }> {
    const hash = sha256(bytes);
    if (await this.has(hash)) return { hash, stored: false };
    const docs: PouchDB.Core.PutDocument<BlobDoc>[] = [
      { _id: BLOB + hash, mime, size: bytes.length, at: opts.at, _attachments: { data: { content_type: mime, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) } } },
    ];
    if (opts.upload) docs.push({ _id: QUEUE + hash, at: opts.at });
    const res = await this.db.bulkDocs(docs);
    // A conflict means another call stored the same bytes first: that is the same blob.
    const failed = res.find((r) => 'error' in r && r.error && (r as PouchDB.Core.Error).status !== 409);
    if (failed) throw new Error(`附件写入失败：${(failed as PouchDB.Core.Error).message ?? 'error'}`);
    return { hash, stored: true };
  }

  async has(hash: string): Promise<boolean> {
    return (await this.info(hash)) !== null;
  }

  async info(hash: string): Promise<BlobInfo | null> {
    const doc = await this.db.get(BLOB + hash).catch(missing);
    return doc ? { hash, mime: doc.mime ?? 'application/octet-stream', size: doc.size ?? 0 } : null;
  }

  async get(hash: string): Promise<Uint8Array | null> {
    const data = await this.db.getAttachment(BLOB + hash, 'data').catch(missing);
    // In Node, PouchDB hands attachments back as Buffers (a Uint8Array).
    return data ? new Uint8Array(data as unknown as Uint8Array) : null;
  }

  /** Blobs waiting for the server, oldest first. */
  async queued(limit = 1000): Promise<string[]> {
    const res = await this.db.allDocs({ startkey: QUEUE, endkey: QUEUE + '\uffff', limit });
    return res.rows.map((r) => r.id.slice(QUEUE.length));
  }

  /** The server has it (or refused it for good): off the queue. */
  async sent(hash: string): Promise<void> {
    const doc = await this.db.get(QUEUE + hash).catch(missing);
    if (doc) await this.db.remove(doc).catch(missing);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function missing(e: unknown): null {
  if ((e as { status?: number }).status === 404) return null;
  throw e;
}
