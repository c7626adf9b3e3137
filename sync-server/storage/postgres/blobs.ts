import { createHash } from 'node:crypto';
import type pg from 'pg';
import { assertBlobHash, BlobHashMismatch, type BlobStorage } from '../blob-types';

/**
 * Blobs in PostgreSQL (`cl_blobs`, bytea): every server instance on the database serves them. The
 * sites each belongs to are rows of `cl_blob_sites` (schema.ts), written in the blob's transaction.
 */
export async function migrateBlobs(pool: pg.Pool): Promise<void> {
  await pool.query('CREATE TABLE IF NOT EXISTS cl_blobs (hash text PRIMARY KEY, bytes bytea NOT NULL, size integer NOT NULL, stored_at timestamptz NOT NULL DEFAULT now())');
}

export class PostgresBlobs implements BlobStorage {
  constructor(private readonly pool: pg.Pool) {}

  async putBlob(hash: string, bytes: Uint8Array, site?: string): Promise<boolean> {
    assertBlobHash(hash);
    if (site === '') throw new RangeError('not a site id: (empty)');
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== hash) throw new BlobHashMismatch(hash, actual);
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      // Only a blob not there yet sends its bytes: a known one just gains the site.
      const known = ((await c.query('SELECT 1 FROM cl_blobs WHERE hash = $1', [hash])).rowCount ?? 0) > 0;
      const r = known ? null : await c.query('INSERT INTO cl_blobs (hash, bytes, size) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [hash, Buffer.from(bytes), bytes.length]);
      if (site !== undefined) await c.query('INSERT INTO cl_blob_sites (hash, site) VALUES ($1, $2) ON CONFLICT DO NOTHING', [hash, site]);
      await c.query('COMMIT');
      return (r?.rowCount ?? 0) > 0;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
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
}
