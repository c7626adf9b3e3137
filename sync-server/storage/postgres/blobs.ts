import { createHash } from 'node:crypto';
import type pg from 'pg';
import { assertBlobHash, BlobHashMismatch, type BlobStorage } from '../blob-types';

/** Blobs in PostgreSQL (`cl_blobs`, bytea): every server instance on the database serves them. */
export async function migrateBlobs(pool: pg.Pool): Promise<void> {
  await pool.query('CREATE TABLE IF NOT EXISTS cl_blobs (hash text PRIMARY KEY, bytes bytea NOT NULL, size integer NOT NULL, stored_at timestamptz NOT NULL DEFAULT now())');
}

export class PostgresBlobs implements BlobStorage {
  constructor(private readonly pool: pg.Pool) {}

  async putBlob(hash: string, bytes: Uint8Array): Promise<boolean> {
    assertBlobHash(hash);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== hash) throw new BlobHashMismatch(hash, actual);
    const r = await this.pool.query('INSERT INTO cl_blobs (hash, bytes, size) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [hash, Buffer.from(bytes), bytes.length]);
    return (r.rowCount ?? 0) > 0;
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
