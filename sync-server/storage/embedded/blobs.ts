import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassicLevel } from 'classic-level';
import { assertBlobHash, BlobHashMismatch, expired, type BlobStorage, type ProvisionalBlob } from '../blob-types';
import { END, Mutex, SEP, write, type Op } from './layout';

/**
 * Blobs of the embedded store: one file per blob, `<data>/blobs/<first two hex>/<hash>`. A blob is
 * written to `<data>/blobs/tmp`, synced, then renamed into place (and the folder synced), so a
 * crash leaves either the whole blob or none of it under its name.
 *
 * The sites a blob belongs to are in the LevelDB, sublevel `bsite`, key hash␀site → ''. A site is
 * recorded (synced) before the file is renamed into place, so a crash never leaves a new blob
 * without its site (which would make it look like one stored before sites were recorded).
 *
 * Provisional blobs (portal photos no report has taken yet) are in sublevel `bprov`, key
 * hash␀site → ISO time. Storing, keeping and deleting a blob run one at a time (a mutex), so the
 * sweep's check-then-delete cannot interleave with a seat storing the same bytes.
 */
export const BLOB_SITE_SUBLEVEL = 'bsite';
export const BLOB_PROVISIONAL_SUBLEVEL = 'bprov';

export class EmbeddedBlobs implements BlobStorage {
  private readonly root: string;
  private readonly tmp: string;
  private readonly db: ClassicLevel<string, Uint8Array> | null;
  private readonly sites;
  private readonly provisionals;
  private readonly mutex = new Mutex();

  /** Without `db` (a restore writing files only) sites can be neither recorded nor read. */
  constructor(dataDir: string, db?: ClassicLevel<string, Uint8Array>) {
    this.root = join(dataDir, 'blobs');
    this.tmp = join(this.root, 'tmp');
    this.db = db ?? null;
    this.sites = db ? db.sublevel<string, string>(BLOB_SITE_SUBLEVEL, { valueEncoding: 'utf8' }) : null;
    this.provisionals = db ? db.sublevel<string, string>(BLOB_PROVISIONAL_SUBLEVEL, { valueEncoding: 'utf8' }) : null;
    mkdirSync(this.tmp, { recursive: true });
  }

  private siteLevel() {
    if (!this.db || !this.sites) throw new Error('blob sites need the database');
    return { db: this.db, level: this.sites };
  }

  /** The raw LevelDB key of a (hash, site) record, as a backup carries it. */
  siteRecordKey(hash: string, site: string): string {
    return this.siteLevel().level.prefix + hash + SEP + site;
  }

  async blobSites(hash: string): Promise<string[]> {
    assertBlobHash(hash);
    const sites: string[] = [];
    for await (const key of this.siteLevel().level.keys({ gt: hash + SEP, lt: hash + SEP + END })) sites.push(key.slice(hash.length + 1));
    return sites.sort();
  }

  private path(hash: string): string {
    assertBlobHash(hash);
    return join(this.root, hash.slice(0, 2), hash);
  }

  putBlob(hash: string, bytes: Uint8Array, site?: string): Promise<boolean> {
    return this.store(hash, bytes, site, null);
  }

  putProvisionalBlob(hash: string, bytes: Uint8Array, site: string, at: Date): Promise<boolean> {
    return this.store(hash, bytes, site, at);
  }

  private async store(hash: string, bytes: Uint8Array, site: string | undefined, provisionalAt: Date | null): Promise<boolean> {
    const final = this.path(hash);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== hash) throw new BlobHashMismatch(hash, actual);
    if (site !== undefined && (site === '' || site.includes(SEP))) throw new RangeError(`not a site id: ${site.slice(0, 80)}`);
    return this.mutex.run(async () => {
      const had = await this.hasBlob(hash);
      const ops: Op[] = [];
      if (site !== undefined) ops.push({ type: 'put', sublevel: this.siteLevel().level, key: hash + SEP + site, value: '' });
      if (provisionalAt && site !== undefined) {
        // Provisional only when the portal is first, or the blob is provisional already.
        if (!had || (await this.provisional(hash))) ops.push({ type: 'put', sublevel: this.provisionalLevel(), key: hash + SEP + site, value: provisionalAt.toISOString() });
      } else if (this.db) {
        ops.push(...(await this.provisionalKeys(hash)).map((key): Op => ({ type: 'del', sublevel: this.provisionalLevel(), key })));
      }
      if (ops.length > 0) await write(this.siteLevel().db, ops);
      if (had) return false;
      await this.writeFile(hash, final, bytes);
      return true;
    });
  }

  private async writeFile(hash: string, final: string, bytes: Uint8Array): Promise<void> {
    const dir = join(this.root, hash.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    const temp = join(this.tmp, `${hash}.${randomBytes(6).toString('hex')}`);
    try {
      const f = await open(temp, 'wx');
      try {
        await f.writeFile(bytes);
        await f.sync();
      } finally {
        await f.close();
      }
      await rename(temp, final);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    const d = await open(dir, 'r');
    await d.sync().finally(() => d.close());
  }

  private provisionalLevel() {
    if (!this.provisionals) throw new Error('provisional blobs need the database');
    return this.provisionals;
  }

  private async provisionalKeys(hash: string): Promise<string[]> {
    return this.provisionalLevel().keys({ gt: hash + SEP, lt: hash + SEP + END }).all();
  }

  /** The blob's provisional record (the portal's sites, the latest mark), or null when it is kept. */
  private async provisional(hash: string): Promise<ProvisionalBlob | null> {
    const entries = await this.provisionalLevel().iterator({ gt: hash + SEP, lt: hash + SEP + END }).all();
    if (entries.length === 0) return null;
    const at = Math.max(...entries.map(([, v]) => Date.parse(v)));
    return { hash, sites: entries.map(([k]) => k.slice(hash.length + 1)).sort(), at: new Date(at) };
  }

  async keepBlob(hash: string): Promise<void> {
    assertBlobHash(hash);
    return this.mutex.run(async () => {
      const keys = await this.provisionalKeys(hash);
      if (keys.length > 0) await write(this.siteLevel().db, keys.map((key): Op => ({ type: 'del', sublevel: this.provisionalLevel(), key })));
    });
  }

  async provisionalBlobs(before: Date): Promise<ProvisionalBlob[]> {
    const byHash = new Map<string, ProvisionalBlob>();
    for await (const [key, value] of this.provisionalLevel().iterator()) {
      const [hash = '', site = ''] = key.split(SEP);
      const at = new Date(value);
      const p = byHash.get(hash);
      if (!p) byHash.set(hash, { hash, sites: [site], at });
      else {
        p.sites.push(site);
        if (at > p.at) p.at = at;
      }
    }
    return [...byHash.values()].filter((p) => p.at.getTime() < before.getTime()).sort((a, b) => a.at.getTime() - b.at.getTime() || (a.hash < b.hash ? -1 : 1));
  }

  async expireBlob(hash: string, before: Date): Promise<boolean> {
    assertBlobHash(hash);
    return this.mutex.run(async () => {
      if (!expired(await this.provisional(hash), await this.blobSites(hash), before)) return false;
      await this.remove(hash);
      return true;
    });
  }

  async deleteBlob(hash: string): Promise<boolean> {
    assertBlobHash(hash);
    return this.mutex.run(() => this.remove(hash));
  }

  /** The file first, then the records (see BlobStorage.deleteBlob). */
  private async remove(hash: string): Promise<boolean> {
    const had = await this.hasBlob(hash);
    if (had) {
      await rm(this.path(hash), { force: true });
      const d = await open(join(this.root, hash.slice(0, 2)), 'r');
      await d.sync().finally(() => d.close());
    }
    const { db, level } = this.siteLevel();
    const siteKeys = await level.keys({ gt: hash + SEP, lt: hash + SEP + END }).all();
    const ops: Op[] = [
      ...siteKeys.map((key): Op => ({ type: 'del', sublevel: level, key })),
      ...(await this.provisionalKeys(hash)).map((key): Op => ({ type: 'del', sublevel: this.provisionalLevel(), key })),
    ];
    if (ops.length > 0) await write(db, ops);
    return had;
  }

  async getBlob(hash: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.path(hash)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async hasBlob(hash: string): Promise<boolean> {
    try {
      return (await stat(this.path(hash))).isFile();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  /** Every stored blob's hash (backups): the two-letter folders, then their files. */
  async *hashes(): AsyncIterable<string> {
    for (const dir of (await readdir(this.root)).filter((d) => /^[0-9a-f]{2}$/.test(d)).sort()) {
      for (const f of (await readdir(join(this.root, dir))).filter((x) => /^[0-9a-f]{64}$/.test(x)).sort()) yield f;
    }
  }
}
