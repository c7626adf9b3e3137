import type { Pool } from 'pg';
import { DELIVERY_STATES, type DeliveryQuery, type DeliveryRecord, type DeliveryState, type DeliveryStorage } from '../delivery-types';

/**
 * Connector deliveries on PostgreSQL. The record is kept whole as JSON next to the columns the
 * queue and the lists filter on; every change is a compare-and-set on `version`, and a claim takes
 * due rows with `FOR UPDATE SKIP LOCKED`, so several server instances never claim the same one.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS cl_deliveries (
  id text PRIMARY KEY, ticket text NOT NULL, state text NOT NULL, next_at bigint NOT NULL,
  report_pending boolean NOT NULL, updated_at text NOT NULL, version int NOT NULL, rec jsonb NOT NULL);
CREATE INDEX IF NOT EXISTS cl_deliveries_due ON cl_deliveries (next_at, id) WHERE state = 'queued';
CREATE INDEX IF NOT EXISTS cl_deliveries_state ON cl_deliveries (state, updated_at);
CREATE INDEX IF NOT EXISTS cl_deliveries_report ON cl_deliveries (id) WHERE report_pending;
CREATE INDEX IF NOT EXISTS cl_deliveries_ticket ON cl_deliveries (ticket);
CREATE TABLE IF NOT EXISTS cl_connector_cursor (site text PRIMARY KEY, seq bigint NOT NULL);
`;

export async function migrateDeliveries(pool: Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock(72177002)');
    await c.query(DDL);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

const cols = (r: DeliveryRecord) => [r.id, r.ticket, r.state, r.nextAt, r.reportPending, r.updatedAt, r.version, JSON.stringify(r)];

export class PostgresDeliveries implements DeliveryStorage {
  constructor(private readonly pool: Pool) {}

  async addDeliveries(records: readonly DeliveryRecord[]): Promise<string[]> {
    const seen = new Set<string>();
    const fresh = records.filter((r) => !seen.has(r.id) && seen.add(r.id));
    if (fresh.length === 0) return [];
    const rows = fresh.map(cols);
    const r = await this.pool.query<{ id: string }>(
      `INSERT INTO cl_deliveries (id, ticket, state, next_at, report_pending, updated_at, version, rec)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::boolean[], $6::text[], $7::int[], $8::jsonb[])
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => rows.map((row) => row[i])),
    );
    const added = new Set(r.rows.map((x) => x.id));
    return fresh.map((x) => x.id).filter((id) => added.has(id));
  }

  async getDelivery(id: string): Promise<DeliveryRecord | null> {
    return (await this.pool.query<{ rec: DeliveryRecord }>('SELECT rec FROM cl_deliveries WHERE id = $1', [id])).rows[0]?.rec ?? null;
  }

  async putDelivery(next: DeliveryRecord, expect: number): Promise<boolean> {
    const rec = { ...next, version: expect + 1 };
    const r = await this.pool.query(
      `UPDATE cl_deliveries SET ticket = $2, state = $3, next_at = $4, report_pending = $5, updated_at = $6, version = $7, rec = $8
       WHERE id = $1 AND version = $9`,
      [...cols(rec), expect],
    );
    return r.rowCount === 1;
  }

  async claimDeliveries(owner: string, now: number, leaseMs: number, limit: number): Promise<DeliveryRecord[]> {
    const at = new Date(now).toISOString();
    const r = await this.pool.query<{ rec: DeliveryRecord }>(
      `WITH due AS (
         SELECT id FROM cl_deliveries WHERE state = 'queued' AND next_at <= $1 ORDER BY next_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE cl_deliveries d SET state = 'sending', version = d.version + 1, updated_at = $4,
         rec = d.rec || jsonb_build_object('state', 'sending', 'owner', $3::text, 'leaseUntil', $1::bigint + $5::bigint,
           'attempts', (d.rec->>'attempts')::int + 1, 'updatedAt', $4::text, 'version', d.version + 1)
       FROM due WHERE d.id = due.id RETURNING d.rec`,
      [now, limit, owner, at, leaseMs],
    );
    return r.rows.map((x) => x.rec);
  }

  async listDeliveries(q: DeliveryQuery): Promise<DeliveryRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.state) where.push(`state = $${args.push(q.state)}`);
    if (q.reportPending !== undefined) where.push(q.reportPending ? 'report_pending' : 'NOT report_pending');
    if (q.ticket) where.push(`ticket = $${args.push(q.ticket)}`);
    const r = await this.pool.query<{ rec: DeliveryRecord }>(
      `SELECT rec FROM cl_deliveries ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY updated_at DESC, id LIMIT $${args.push(q.limit)}`,
      args,
    );
    return r.rows.map((x) => x.rec);
  }

  async countDeliveries(): Promise<Record<DeliveryState, number>> {
    const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
    const r = await this.pool.query<{ state: DeliveryState; n: string }>('SELECT state, count(*) AS n FROM cl_deliveries GROUP BY state');
    for (const x of r.rows) counts[x.state] = Number(x.n);
    return counts;
  }

  async connectorCursor(site: string): Promise<number> {
    return Number((await this.pool.query<{ seq: string }>('SELECT seq FROM cl_connector_cursor WHERE site = $1', [site])).rows[0]?.seq ?? 0);
  }

  async setConnectorCursor(site: string, seq: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO cl_connector_cursor (site, seq) VALUES ($1, $2) ON CONFLICT (site) DO UPDATE SET seq = GREATEST(cl_connector_cursor.seq, EXCLUDED.seq)',
      [site, seq],
    );
  }
}
