import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import PouchDB from 'pouchdb';
import { durableLeveldown } from '../store/durable-leveldown';

/**
 * The seat's attachment bytes, content-addressed, in a PouchDB database of their own
 * (`<dataDir>/attachments`): `b/<sha256>` holds the bytes as a binary attachment with their type,
 * `q/<sha256>` marks a blob the sync server does not have yet (the upload queue) with the sites it
 * is to be uploaded for: a blob belongs on the server to the sites of the tickets it is on, so a
 * file staged before its ticket exists waits in the queue, siteless, until it is attached.
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
  /** Queue entries: the sites the server is to record the blob for. */
  sites?: string[];
  /** Blobs: the sync server has it (fetched from it, or it took the upload) — only such a blob may be evicted. */
  remote?: boolean;
}

export interface QueuedBlob {
  hash: string;
  /** [] while no ticket has it yet: nothing to upload it for. */
  sites: string[];
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
  async put(bytes: Uint8Array, mime: string, opts: { upload: boolean; at: string; remote?: boolean }): Promise<{ hash: string; stored: boolean }> {
    const hash = sha256(bytes);
    if (await this.has(hash)) return { hash, stored: false };
    const docs: PouchDB.Core.PutDocument<BlobDoc>[] = [
      { _id: BLOB + hash, mime, size: bytes.length, at: opts.at, ...(opts.remote ? { remote: true } : {}), _attachments: { data: { content_type: mime, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) } } },
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

  /** Blobs waiting for the server, in hash order, with the sites they are to be uploaded for. */
  async queued(limit = 1000): Promise<QueuedBlob[]> {
    const res = await this.db.allDocs({ startkey: QUEUE, endkey: QUEUE + '\uffff', limit, include_docs: true });
    return res.rows.map((r) => ({ hash: r.id.slice(QUEUE.length), sites: r.doc?.sites ?? [] }));
  }

  /** The blob is on a ticket of `site`: queue it for that site (a blob the seat lacks is skipped). */
  async queueFor(hash: string, site: string, at: string): Promise<void> {
    if (!(await this.has(hash))) return;
    await this.change(hash, (doc) => (doc?.sites?.includes(site) ? null : { at: doc?.at ?? at, sites: [...(doc?.sites ?? []), site] }));
  }

  /** The server has it for `site` (or refused it for good): that site is off the queue; without `site`, all of it. */
  async sent(hash: string, site?: string): Promise<void> {
    await this.change(hash, (doc) => {
      if (!doc) return null;
      const sites = site === undefined ? [] : (doc.sites ?? []).filter((x) => x !== site);
      return sites.length === 0 ? 'remove' : { at: doc.at ?? '', sites };
    });
  }

  /** A read-modify-write of the queue entry, once more when another write came in between. */
  private async change(hash: string, next: (doc: (BlobDoc & { _rev: string }) | null) => BlobDoc | 'remove' | null): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const doc = await this.db.get(QUEUE + hash).catch(missing);
      const want = next(doc);
      if (want === null) return;
      try {
        if (want === 'remove') await this.db.remove(doc!);
        else await this.db.put({ _id: QUEUE + hash, ...(doc ? { _rev: doc._rev } : {}), ...want });
        return;
      } catch (e) {
        if ((e as { status?: number }).status !== 409 || attempt >= 3) {
          if ((e as { status?: number }).status === 404) return;
          throw e;
        }
      }
    }
  }

  /**
   * Keeps the blobs under `maxBytes`: when they hold more, the least recently used ones the server
   * is known to have (fetched from it, or uploaded and taken; never one in the upload queue, one it
   * refused, or one of a seat without a server) are deleted, oldest first, until they fit in 90 % of it
   * (so one more photo does not start another round). A deleted blob is fetched again the next time
   * someone opens it. Resolves with how many were deleted and the bytes left.
   */
  async evict(maxBytes: number): Promise<{ evicted: number; bytes: number }> {
    const all = await this.db.allDocs({ startkey: BLOB, endkey: BLOB + '\uffff', include_docs: true });
    const queued = new Set((await this.queued(1_000_000)).map((q) => q.hash));
    let bytes = all.rows.reduce((n, r) => n + (r.doc?.size ?? 0), 0);
    if (bytes <= maxBytes) return { evicted: 0, bytes };
    const target = maxBytes * 0.9;
    const candidates = all.rows
      .filter((r) => r.doc?.remote === true && !queued.has(r.id.slice(BLOB.length)))
      .sort((a, b) => (a.doc!.at ?? '').localeCompare(b.doc!.at ?? '') || a.id.localeCompare(b.id));
    let evicted = 0;
    for (const r of candidates) {
      if (bytes <= target) break;
      await this.db.remove(r.id, r.value.rev).then(
        () => ((bytes -= r.doc!.size ?? 0), evicted++),
        (e: unknown) => {
          if ((e as { status?: number }).status !== 409 && (e as { status?: number }).status !== 404) throw e;
        },
      );
    }
    return { evicted, bytes };
  }

  /** The blob was opened at `at`: it counts as used then (written at most once an hour, not per view). */
  async touch(hash: string, at: string): Promise<void> {
    await this.update(hash, (doc) => Date.parse(at) - Date.parse(doc.at ?? '') >= 3_600_000 && { at });
  }

  /** The sync server took the blob (for every site it was queued for): it may be evicted later. */
  async onServer(hash: string): Promise<void> {
    await this.update(hash, (doc) => doc.remote !== true && { remote: true });
  }

  private async update(hash: string, patch: (doc: BlobDoc) => Partial<BlobDoc> | false): Promise<void> {
    const doc = await this.db.get(BLOB + hash).catch(missing);
    const change = doc ? patch(doc) : false;
    if (!doc || !change) return;
    // The doc comes back with an attachment stub: putting it back keeps the bytes.
    await this.db.put({ ...doc, ...change }).catch((e: unknown) => {
      if ((e as { status?: number }).status !== 409) throw e;
    });
  }

  /** One-time marks in this database (e.g. the siteless queue of an older version was looked up). */
  async marked(name: string): Promise<boolean> {
    return (await this.db.get(`m/${name}`).catch(missing)) !== null;
  }

  async mark(name: string): Promise<void> {
    await this.db.put({ _id: `m/${name}` }).catch((e: unknown) => {
      if ((e as { status?: number }).status !== 409) throw e;
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function missing(e: unknown): null {
  if ((e as { status?: number }).status === 404) return null;
  throw e;
}
