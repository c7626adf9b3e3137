import pg from 'pg';
import { migrateAll } from './migrations';

/**
 * Backup and restore on PostgreSQL without pg_dump: one REPEATABLE READ, READ ONLY transaction
 * (the snapshot pg_dump itself uses) reads every `cl_` table through a cursor, so the copy is one
 * point in time even while several instances commit. A record is `table \t row_to_json(row)`.
 * Restore runs in one transaction on a database no server uses: all of it or nothing.
 */
const enc = new TextEncoder();
const dec = new TextDecoder();
const ident = (t: string): string => {
  if (!/^cl_[a-z0-9_]+$/.test(t)) throw new Error(`unexpected table name ${t}`);
  return `"${t}"`;
};

async function tables(c: pg.PoolClient | pg.Client): Promise<string[]> {
  const r = await c.query<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name LIKE 'cl\\_%' ORDER BY table_name",
  );
  return r.rows.map((x) => x.t);
}

export async function* postgresRecords(pool: pg.Pool): AsyncIterable<Uint8Array[]> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const t of await tables(c)) {
      await c.query(`DECLARE cl_backup NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS j FROM ${ident(t)} x`);
      for (;;) {
        const r = await c.query<{ j: string }>('FETCH 1000 FROM cl_backup');
        if (r.rows.length === 0) break;
        yield r.rows.map((x) => enc.encode(`${t}\t${x.j}`));
      }
      await c.query('CLOSE cl_backup');
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

export class RestoreRefused extends Error {}

/** Restores records into `url`; refuses a database in use or holding data unless `force`. */
export async function restorePostgresRecords(url: string, records: AsyncIterable<Uint8Array[]>, opts: { force: boolean }): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  try {
    await migrateAll(pool); // every table a backup may carry rows for, also on a fresh database
    const c = await pool.connect();
    try {
      const others = await c.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = $1', ['client backend']);
      const busy = Number(others.rows[0]!.n) - 1; // the pool's other connection is ours
      if (busy > 0 && !opts.force) throw new RestoreRefused(`${busy} other connection(s) use this database: stop every sync server instance first (or --force)`);
      await c.query('BEGIN');
      const all = await tables(c);
      const held = await c.query<{ n: string }>('SELECT (SELECT count(*) FROM cl_log) + (SELECT count(*) FROM cl_users) + (SELECT count(*) FROM cl_audit) AS n');
      if (Number(held.rows[0]!.n) > 0 && !opts.force) throw new RestoreRefused('the database holds data: restore into an empty database, or add --force to replace it');
      await c.query(`TRUNCATE ${all.map(ident).join(', ')}`);
      let n = 0;
      const pending = new Map<string, string[]>();
      const flush = async (t: string) => {
        const rows = pending.get(t);
        if (!rows || rows.length === 0) return;
        if (!all.includes(t)) throw new Error(`the backup holds table ${t}, which this version does not know`);
        await c.query(`INSERT INTO ${ident(t)} SELECT * FROM json_populate_recordset(null::${ident(t)}, $1::json)`, [`[${rows.join(',')}]`]);
        n += rows.length;
        pending.set(t, []);
      };
      for await (const batch of records) {
        for (const r of batch) {
          const s = dec.decode(r);
          const tab = s.indexOf('\t');
          const t = s.slice(0, tab);
          const rows = pending.get(t) ?? [];
          rows.push(s.slice(tab + 1));
          pending.set(t, rows);
          if (rows.length >= 500) await flush(t);
        }
      }
      for (const t of pending.keys()) await flush(t);
      const serials = await c.query<{ t: string; col: string }>(
        "SELECT table_name AS t, column_name AS col FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE 'cl\\_%' AND column_default LIKE 'nextval(%'",
      );
      for (const s of serials.rows) {
        await c.query(`SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(1, COALESCE((SELECT max("${s.col.replace(/"/g, '')}") FROM ${ident(s.t)}), 1)), (SELECT count(*) > 0 FROM ${ident(s.t)}))`, [s.t, s.col]);
      }
      await c.query('COMMIT');
      return n;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  } finally {
    await pool.end();
  }
}
