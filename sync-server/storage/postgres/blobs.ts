import { createHash } from 'node:crypto';
import type pg from 'pg';
import { tx } from './tx';
import { assertBlobHash, BlobHashMismatch, expired, type BlobStorage, type ProvisionalBlob } from '../blob-types';

/**
 * Blobs in PostgreSQL (`cl_blobs`, bytea): every server instance on the database serves them. The
 * sites each belongs to are rows of `cl_blob_sites` (schema.ts), written in the blob's transaction.
 * Provisional blobs (portal photos no report has taken yet) are rows of `cl_blob_provisional`
 * (hash, site, at). Every transaction that stores, keeps or deletes a blob first locks its `cl_blobs`
 * row (when there is one), then the other tables, so the sweep's check-then-delete and a seat
 * storing the same bytes on another instance happen one after the other, never interleaved.
 */
export async function migrateBlobs(pool: pg.Pool): Promise<void> {
  await pool.query('CREATE TABLE IF NOT EXISTS cl_blobs (hash text PRIMARY KEY, bytes bytea NOT NULL, size integer NOT NULL, stored_at timestamptz NOT NULL DEFAULT now())');
  await pool.query('CREATE TABLE IF NOT EXISTS cl_blob_provisional (hash text NOT NULL, site text NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (hash, site))');
}

export class PostgresBlobs implements BlobStorage {
  constructor(private readonly pool: pg.Pool) {}

  putBlob(hash: string, bytes: Uint8Array, site?: string): Promise<boolean> {
    return this.store(hash, bytes, site, null);
  }

  putProvisionalBlob(hash: string, bytes: Uint8Array, site: string, at: Date): Promise<boolean> {
    return this.store(hash, bytes, site, at);
  }

  private async store(hash: string, bytes: Uint8Array, site: string | undefined, provisionalAt: Date | null): Promise<boolean> {
    assertBlobHash(hash);
    if (site === '') throw new RangeError('not a site id: (empty)');
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== hash) throw new BlobHashMismatch(hash, actual);
    return tx(this.pool, async (c) => {
      // Only a blob not there yet sends its bytes: a known one just gains the site. The row lock
      // waits for a sweep deleting it (which then reads as not there, and the bytes are stored again).
      const known = ((await c.query('SELECT 1 FROM cl_blobs WHERE hash = $1 FOR UPDATE', [hash])).rowCount ?? 0) > 0;
      const r = known ? null : await c.query('INSERT INTO cl_blobs (hash, bytes, size) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [hash, Buffer.from(bytes), bytes.length]);
      const fresh = (r?.rowCount ?? 0) > 0;
      if (site !== undefined) await c.query('INSERT INTO cl_blob_sites (hash, site) VALUES ($1, $2) ON CONFLICT DO NOTHING', [hash, site]);
      if (provisionalAt && site !== undefined) {
        // Provisional only when the portal is first, or the blob is provisional already (read after
        // the insert, which waited for any concurrent store of the same hash to commit).
        const already = fresh || ((await c.query('SELECT 1 FROM cl_blob_provisional WHERE hash = $1 LIMIT 1', [hash])).rowCount ?? 0) > 0;
        if (already) await c.query('INSERT INTO cl_blob_provisional (hash, site, at) VALUES ($1, $2, $3) ON CONFLICT (hash, site) DO UPDATE SET at = GREATEST(cl_blob_provisional.at, EXCLUDED.at)', [hash, site, provisionalAt]);
      } else {
        await c.query('DELETE FROM cl_blob_provisional WHERE hash = $1', [hash]);
      }
      return fresh;
    });
  }

  async blobSites(hash: string): Promise<string[]> {
    assertBlobHash(hash);
    const r = await this.pool.query<{ site: string }>('SELECT site FROM cl_blob_sites WHERE hash = $1 ORDER BY site', [hash]);
    return r.rows.map((x) => x.site);
  }

  async getBlob(hash: string): Promise<Uint8Array | null> {
    assertBlobHash(hash);
    const r = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM cl_blobs WHERE hash = $1', [hash]);
    const row = r.rows[0];
    return row ? new Uint8Array(row.bytes) : null;
  }

  async hasBlob(hash: string): Promise<boolean> {
    assertBlobHash(hash);
    const r = await this.pool.query('SELECT 1 FROM cl_blobs WHERE hash = $1', [hash]);
    return (r.rowCount ?? 0) > 0;
  }

  async keepBlob(hash: string): Promise<void> {
    assertBlobHash(hash);
    await tx(this.pool, async (c) => {
      await c.query('SELECT 1 FROM cl_blobs WHERE hash = $1 FOR UPDATE', [hash]);
      await c.query('DELETE FROM cl_blob_provisional WHERE hash = $1', [hash]);
    });
  }

  async provisionalBlobs(before: Date): Promise<ProvisionalBlob[]> {
    const r = await this.pool.query<{ hash: string; sites: string[]; at: Date }>(
      'SELECT hash, array_agg(site ORDER BY site) AS sites, max(at) AS at FROM cl_blob_provisional GROUP BY hash HAVING max(at) < $1 ORDER BY max(at), hash',
      [before],
    );
    return r.rows.map((x) => ({ hash: x.hash, sites: x.sites, at: new Date(x.at) }));
  }

  async expireBlob(hash: string, before: Date): Promise<boolean> {
    assertBlobHash(hash);
    return tx(this.pool, async (c) => {
      await c.query('SELECT 1 FROM cl_blobs WHERE hash = $1 FOR UPDATE', [hash]);
      const p = await c.query<{ site: string; at: Date }>('SELECT site, at FROM cl_blob_provisional WHERE hash = $1 FOR UPDATE', [hash]);
      const provisional = p.rows.length > 0 ? { sites: p.rows.map((x) => x.site), at: new Date(Math.max(...p.rows.map((x) => new Date(x.at).getTime()))) } : null;
      const sites = (await c.query<{ site: string }>('SELECT site FROM cl_blob_sites WHERE hash = $1', [hash])).rows.map((x) => x.site);
      if (!expired(provisional, sites, before)) return false;
      await this.remove(c, hash);
      return true;
    });
  }

  async deleteBlob(hash: string): Promise<boolean> {
    assertBlobHash(hash);
    return tx(this.pool, async (c) => {
      await c.query('SELECT 1 FROM cl_blobs WHERE hash = $1 FOR UPDATE', [hash]);
      return this.remove(c, hash);
    });
  }

  /** One transaction: bytes and records go together. */
  private async remove(c: pg.PoolClient, hash: string): Promise<boolean> {
    const r = await c.query('DELETE FROM cl_blobs WHERE hash = $1', [hash]);
    await c.query('DELETE FROM cl_blob_sites WHERE hash = $1', [hash]);
    await c.query('DELETE FROM cl_blob_provisional WHERE hash = $1', [hash]);
    return (r.rowCount ?? 0) > 0;
  }
}
