import type pg from 'pg';
import { bySiteDocAge, type SiteDocKind, type SiteDocRecord, type SiteDocStorage } from '../site-doc-types';

/** Site documents in PostgreSQL: one row per version, never updated. */
export async function migrateSiteDocs(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS cl_site_docs (
    site text NOT NULL, kind text NOT NULL, id text NOT NULL,
    body text NOT NULL, meta jsonb NOT NULL, by_user text NOT NULL, at text NOT NULL,
    PRIMARY KEY (site, kind, id))`);
}

export class PostgresSiteDocs implements SiteDocStorage {
  constructor(private readonly pool: pg.Pool) {}

  async putSiteDoc(doc: SiteDocRecord): Promise<boolean> {
    const r = await this.pool.query(
      'INSERT INTO cl_site_docs (site, kind, id, body, meta, by_user, at) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING',
      [doc.site, doc.kind, doc.id, doc.body, JSON.stringify(doc.meta), doc.by, doc.at],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async listSiteDocs(site: string, kind?: SiteDocKind): Promise<SiteDocRecord[]> {
    const r = await this.pool.query<{ site: string; kind: SiteDocKind; id: string; body: string; meta: Record<string, unknown>; by_user: string; at: string }>(
      kind ? 'SELECT * FROM cl_site_docs WHERE site = $1 AND kind = $2' : 'SELECT * FROM cl_site_docs WHERE site = $1',
      kind ? [site, kind] : [site],
    );
    return r.rows.map((x) => ({ site: x.site, kind: x.kind, id: x.id, body: x.body, meta: x.meta, by: x.by_user, at: x.at })).sort(bySiteDocAge);
  }
}
