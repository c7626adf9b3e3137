import type { Pool } from 'pg';
import { bucketOf, digestHex, ticketHash, type SyncRow } from '../../protocol';
import { insertAudit } from './audit';
import { tx } from './tx';
import { mergeHeads, type CommitBatch, type CommitResult, type LogEntry, type StoredTicket } from '../types';

/** The ticket log on PostgreSQL: one transaction per commit, a handful of statements whatever its size. */
const sameHeads = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

interface Locked {
  id: string;
  site: string;
  heads: string[];
}

export async function commitBatch(pool: Pool, batch: CommitBatch): Promise<CommitResult> {
  const tickets = batch.tickets;
  return tx(pool, async (c) => {
    // rows are locked in id order (ORDER BY id FOR UPDATE) so two instances never deadlock
    const fresh = tickets.filter((t, i, all) => all.findIndex((x) => x.id === t.id) === i).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    await c
      .query(
        `INSERT INTO cl_tickets (id, site, no, heads, bucket)
         SELECT id, site, no, '{}'::text[], bucket FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS x(id, site, no, bucket)
         ON CONFLICT (id) DO NOTHING`,
        [fresh.map((t) => t.id), fresh.map((t) => t.site), fresh.map((t) => t.no ?? ''), fresh.map((t) => bucketOf(t.id))],
      )
      .catch((e: { code?: string; constraint?: string }) => {
        throw e.code === '23505' && e.constraint === 'cl_tickets_no' ? new Error('a ticket number in this batch is taken') : e;
      });
    const locked = await c.query<Locked>('SELECT id, site, heads FROM cl_tickets WHERE id = ANY($1) ORDER BY id FOR UPDATE', [fresh.map((t) => t.id)]);
    const byId = new Map(locked.rows.map((r) => [r.id, r]));
    const perSite = new Map<string, number>();
    for (const t of tickets) {
      const row = byId.get(t.id);
      if (!row) throw new Error(`ticket ${t.id} was not stored`);
      if (row.site !== t.site) throw new Error(`ticket ${t.id} belongs to ${row.site}`);
      perSite.set(t.site, (perSite.get(t.site) ?? 0) + t.changes.length);
    }
    const firstSeq = new Map<string, number>();
    for (const [site, n] of [...perSite].sort()) {
      const r = await c.query<{ seq: string }>(
        'INSERT INTO cl_site_seq (site, seq) VALUES ($1, $2) ON CONFLICT (site) DO UPDATE SET seq = cl_site_seq.seq + $2 RETURNING seq',
        [site, n],
      );
      firstSeq.set(site, Number(r.rows[0]!.seq) - n + 1);
    }
    const entries: LogEntry[] = [];
    const cols: [string[], number[], string[], string[], string[], Buffer[]] = [[], [], [], [], [], []];
    for (const t of tickets) {
      for (const ch of t.changes) {
        const seq = firstSeq.get(t.site)!;
        firstSeq.set(t.site, seq + 1);
        entries.push({ site: t.site, seq, ticketId: t.id, hash: ch.hash, change: ch.bytes, seat: batch.seat, row: t.row });
        cols[0].push(t.site);
        cols[1].push(seq);
        cols[2].push(t.id);
        cols[3].push(ch.hash);
        cols[4].push(batch.seat);
        cols[5].push(Buffer.from(ch.bytes.buffer, ch.bytes.byteOffset, ch.bytes.byteLength));
      }
    }
    const inserted = await c.query<{ ticket: string; hash: string }>(
      `INSERT INTO cl_log (site, seq, ticket, hash, seat, change)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bytea[])
       ON CONFLICT (ticket, hash) DO NOTHING RETURNING ticket, hash`,
      cols,
    );
    const isNew = new Set(inserted.rows.map((r) => r.ticket + ':' + r.hash));
    const upd: [string[], string[], number[], number[], boolean[], (string | null)[]] = [[], [], [], [], [], []];
    const deltas = new Map<string, [bigint, bigint]>();
    const result: CommitResult = { tickets: [], entries: entries.filter((e) => isNew.has(e.ticketId + ':' + e.hash)) };
    for (const t of tickets) {
      const row = byId.get(t.id)!;
      const added = t.changes.filter((ch) => isNew.has(t.id + ':' + ch.hash));
      const heads = mergeHeads(row.heads, added);
      const merged = !sameHeads(row.heads, t.basedOn);
      const mine = entries.filter((e) => e.ticketId === t.id && isNew.has(e.ticketId + ':' + e.hash));
      const key = t.site + '\u0000' + bucketOf(t.id);
      const d = deltas.get(key) ?? [0n, 0n];
      if (added.length > 0) {
        const hs = row.heads.length > 0 ? [ticketHash(t.id, row.heads), ticketHash(t.id, heads)] : [ticketHash(t.id, heads)];
        for (const h of hs) {
          d[0] = BigInt.asIntN(64, d[0] ^ h[0]);
          d[1] = BigInt.asIntN(64, d[1] ^ h[1]);
        }
      }
      deltas.set(key, d);
      upd[0].push(t.id);
      upd[1].push(`{${heads.join(',')}}`);
      upd[2].push(mine.at(-1)?.seq ?? 0);
      upd[3].push(added.length);
      upd[4].push(merged);
      upd[5].push(merged || !t.row ? null : JSON.stringify(t.row));
      row.heads = heads;
      result.tickets.push({ id: t.id, heads, merged });
    }
    await c.query(
      `UPDATE cl_tickets t SET heads = u.heads::text[], last_seq = GREATEST(t.last_seq, u.last_seq), tail = t.tail + u.added,
         stale = t.stale OR u.merged, row = COALESCE(u.row::jsonb, t.row)
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::boolean[], $6::text[]) AS u(id, heads, last_seq, added, merged, row)
       WHERE t.id = u.id`,
      upd,
    );
    const dk = [...deltas.keys()];
    await c.query(
      `INSERT INTO cl_digest (site, bucket, h1, h2) SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[])
       ON CONFLICT (site, bucket) DO UPDATE SET h1 = cl_digest.h1 # EXCLUDED.h1, h2 = cl_digest.h2 # EXCLUDED.h2`,
      [dk.map((k) => k.split('\u0000')[0]!), dk.map((k) => Number(k.split('\u0000')[1])), dk.map((k) => deltas.get(k)![0].toString()), dk.map((k) => deltas.get(k)![1].toString())],
    );
    await insertAudit(c, batch.audit);
    for (const site of perSite.keys()) await c.query('SELECT pg_notify($1, $2)', ['closeloop_log', site]);
    return result;
  });
}

interface TicketRowDb {
  id: string;
  site: string;
  no: string;
  heads: string[];
  snapshot: Buffer | null;
  snap_seq: string;
  row: SyncRow | null;
  tail_seqs: string[] | null;
  tail_changes: Buffer[] | null;
}

const TICKET_SELECT = `SELECT t.id, t.site, t.no, t.heads, t.snapshot, t.snap_seq, t.row,
  (SELECT array_agg(l.seq ORDER BY l.seq) FROM cl_log l WHERE l.ticket = t.id AND l.seq > t.snap_seq) AS tail_seqs,
  (SELECT array_agg(l.change ORDER BY l.seq) FROM cl_log l WHERE l.ticket = t.id AND l.seq > t.snap_seq) AS tail_changes
  FROM cl_tickets t`;

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function toStored(r: TicketRowDb): StoredTicket {
  const seqs = r.tail_seqs ?? [];
  const changes = r.tail_changes ?? [];
  return {
    id: r.id,
    site: r.site,
    no: r.no,
    heads: [...r.heads].sort(),
    snapshot: r.snapshot ? u8(r.snapshot) : null,
    snapSeq: Number(r.snap_seq),
    row: r.row,
    tail: seqs.map((s, i) => ({ seq: Number(s), change: u8(changes[i]!) })),
  };
}

export async function loadTicket(pool: Pool, id: string): Promise<StoredTicket | null> {
  const r = await pool.query<TicketRowDb>(`${TICKET_SELECT} WHERE t.id = $1 AND t.last_seq > 0`, [id]);
  return r.rows[0] ? toStored(r.rows[0]) : null;
}

export async function loadTickets(pool: Pool, ids: readonly string[]): Promise<Map<string, StoredTicket>> {
  const r = await pool.query<TicketRowDb>(`${TICKET_SELECT} WHERE t.id = ANY($1) AND t.last_seq > 0`, [[...ids]]);
  return new Map(r.rows.map((x) => [x.id, toStored(x)]));
}

export async function readTickets(pool: Pool, site: string, afterId: string | null, limit: number): Promise<StoredTicket[]> {
  const r = await pool.query<TicketRowDb>(`${TICKET_SELECT} WHERE t.site = $1 AND t.id > $2 AND t.last_seq > 0 ORDER BY t.id LIMIT $3`, [site, afterId ?? '', limit]);
  return r.rows.map(toStored);
}

export async function readLog(pool: Pool, site: string, afterSeq: number, limit: number, withRows = false): Promise<LogEntry[]> {
  const r = await pool.query<{ seq: string; ticket: string; hash: string; seat: string; change: Buffer; row?: SyncRow | null }>(
    withRows
      ? 'SELECT l.seq, l.ticket, l.hash, l.seat, l.change, t.row FROM cl_log l LEFT JOIN cl_tickets t ON t.id = l.ticket WHERE l.site = $1 AND l.seq > $2 ORDER BY l.seq LIMIT $3'
      : 'SELECT seq, ticket, hash, seat, change FROM cl_log WHERE site = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [site, afterSeq, limit],
  );
  return r.rows.map((x) => ({ site, seq: Number(x.seq), ticketId: x.ticket, hash: x.hash, seat: x.seat, change: u8(x.change), ...(withRows ? { row: x.row ?? null } : {}) }));
}

export async function siteDigest(pool: Pool, site: string): Promise<string[]> {
  const out = Array.from({ length: 256 }, () => digestHex([0n, 0n]));
  const r = await pool.query<{ bucket: number; h1: string; h2: string }>('SELECT bucket, h1, h2 FROM cl_digest WHERE site = $1', [site]);
  for (const x of r.rows) out[x.bucket] = digestHex([BigInt(x.h1), BigInt(x.h2)]);
  return out;
}
