import type { Pool } from 'pg';

/**
 * PostgreSQL layout. The log holds each accepted change once; a ticket's tail is its log entries
 * after its snapshot (`cl_log(ticket, seq)` index), so compaction only rewrites `cl_tickets`.
 * `cl_site_seq` hands out the per-site sequence: its row lock is held to commit, so entries of a
 * site commit in sequence order even with several server instances, and a reader that has seen
 * seq n has seen everything before it. The audit table refuses UPDATE and DELETE. `cl_blob_sites`
 * says which sites an attachment blob (`cl_blobs`, postgres/blobs.ts) belongs to; no foreign key, so a
 * restore may load the tables in any order.
 */
export const COMPACT_AFTER = 16;

const DDL = `
CREATE TABLE IF NOT EXISTS cl_sites (id text PRIMARY KEY, rec jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS cl_users (id text PRIMARY KEY, rec jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS cl_seats (
  id text PRIMARY KEY, user_id text NOT NULL, device text NOT NULL, code text NOT NULL UNIQUE,
  token_hash text NOT NULL UNIQUE, created_at text NOT NULL, last_seen text NOT NULL, revoked boolean NOT NULL DEFAULT false);
CREATE INDEX IF NOT EXISTS cl_seats_device ON cl_seats (user_id, device);
CREATE TABLE IF NOT EXISTS cl_site_seq (site text PRIMARY KEY, seq bigint NOT NULL);
CREATE TABLE IF NOT EXISTS cl_log (
  site text NOT NULL, seq bigint NOT NULL, ticket text NOT NULL, hash text NOT NULL, seat text NOT NULL, change bytea NOT NULL,
  PRIMARY KEY (site, seq));
CREATE UNIQUE INDEX IF NOT EXISTS cl_log_hash ON cl_log (ticket, hash);
CREATE INDEX IF NOT EXISTS cl_log_ticket ON cl_log (ticket, seq);
CREATE TABLE IF NOT EXISTS cl_tickets (
  id text PRIMARY KEY, site text NOT NULL, no text NOT NULL, heads text[] NOT NULL, bucket int NOT NULL,
  snapshot bytea, snap_seq bigint NOT NULL DEFAULT 0, last_seq bigint NOT NULL DEFAULT 0,
  tail int NOT NULL DEFAULT 0, stale boolean NOT NULL DEFAULT false, row jsonb);
CREATE UNIQUE INDEX IF NOT EXISTS cl_tickets_no ON cl_tickets (site, no) WHERE no <> '';
CREATE INDEX IF NOT EXISTS cl_tickets_site ON cl_tickets (site, id);
CREATE INDEX IF NOT EXISTS cl_tickets_bucket ON cl_tickets (site, bucket);
CREATE INDEX IF NOT EXISTS cl_tickets_compact ON cl_tickets (id) WHERE tail >= ${COMPACT_AFTER} OR stale;
CREATE TABLE IF NOT EXISTS cl_digest (site text NOT NULL, bucket int NOT NULL, h1 bigint NOT NULL, h2 bigint NOT NULL, PRIMARY KEY (site, bucket));
CREATE TABLE IF NOT EXISTS cl_lease (site text NOT NULL, day text NOT NULL, next int NOT NULL, PRIMARY KEY (site, day));
CREATE TABLE IF NOT EXISTS cl_lease_block (site text NOT NULL, day text NOT NULL, from_no int NOT NULL, to_no int NOT NULL, seat text NOT NULL, PRIMARY KEY (site, day, from_no));
CREATE TABLE IF NOT EXISTS cl_blob_sites (hash text NOT NULL, site text NOT NULL, PRIMARY KEY (hash, site));
CREATE TABLE IF NOT EXISTS cl_audit (id bigserial PRIMARY KEY, line jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS cl_audit_head (k int PRIMARY KEY CHECK (k = 1), seal text NOT NULL);
CREATE OR REPLACE FUNCTION cl_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('closeloop.prune_audit', true) = 'on' THEN RETURN OLD; END IF;
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
DROP TRIGGER IF EXISTS cl_audit_append_only ON cl_audit;
CREATE TRIGGER cl_audit_append_only BEFORE UPDATE OR DELETE ON cl_audit FOR EACH ROW EXECUTE FUNCTION cl_audit_append_only();
`;

/** Creates the tables if needed; an advisory lock keeps two instances starting together apart. */
export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(72177001)');
    // Skipped when this DDL already ran: its DROP/CREATE TRIGGER and CREATE INDEX take table locks
    // that deadlock with the commits of running instances (an admin CLI or a second instance starting).
    await client.query('CREATE TABLE IF NOT EXISTS cl_schema (k int PRIMARY KEY CHECK (k = 1), ddl_md5 text NOT NULL)');
    const applied = await client.query<{ ok: boolean }>('SELECT ddl_md5 = md5($1) AS ok FROM cl_schema WHERE k = 1', [DDL]);
    if (applied.rows[0]?.ok) {
      await client.query('COMMIT');
      return;
    }
    await client.query(DDL);
    await client.query('INSERT INTO cl_schema (k, ddl_md5) VALUES (1, md5($1)) ON CONFLICT (k) DO UPDATE SET ddl_md5 = EXCLUDED.ddl_md5', [DDL]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
