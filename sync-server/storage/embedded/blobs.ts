import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassicLevel } from 'classic-level';
import { assertBlobHash, BlobHashMismatch, type BlobStorage } from '../blob-types';
import { END, SEP, write } from './layout';

/**
 * Blobs of the embedded store: one file per blob, `<data>/blobs/<first two hex>/<hash>`. A blob is
 * written to `<data>/blobs/tmp`, synced, then renamed into place (and the folder synced), so a
 * crash leaves either the whole blob or none of it under its name.
 *
 * The sites a blob belongs to are in the LevelDB, sublevel `bsite`, key hash␀site → ''. A site is
 * recorded (synced) before the file is renamed into place, so a crash never leaves a new blob
 * without its site (which would make it look like one stored before sites were recorded).
 */
export const BLOB_SITE_SUBLEVEL = 'bsite';

export class EmbeddedBlobs implements BlobStorage {
  private readonly root: string;
  private readonly tmp: string;
  private readonly db: ClassicLevel<string, Uint8Array> | null;
  private readonly sites;

  /** Without `db` (a restore writing files only) sites can be neither recorded nor read. */
  constructor(dataDir: string, db?: ClassicLevel<string, Uint8Array>) {
    this.root = join(dataDir, 'blobs');
    this.tmp = join(this.root, 'tmp');
    this.db = db ?? null;
    this.sites = db ? db.sublevel<string, string>(BLOB_SITE_SUBLEVEL, { valueEncoding: 'utf8' }) : null;
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

  async putBlob(hash: string, bytes: Uint8Array, site?: string): Promise<boolean> {
    const final = this.path(hash);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== hash) throw new BlobHashMismatch(hash, actual);
    if (site !== undefined) {
      if (site === '' || site.includes(SEP)) throw new RangeError(`not a site id: ${site.slice(0, 80)}`);
      const { db, level } = this.siteLevel();
      await write(db, [{ type: 'put', sublevel: level, key: hash + SEP + site, value: '' }]);
    }
    if (await this.hasBlob(hash)) return false;
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
    return true;
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
