import { ClassicLevel } from 'classic-level';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStore, type VerifyReport } from '../../sync-server/ops/verify';
import { sampleTicket } from '../../sync-server/storage/acceptance';
import { PostgresStorage } from '../../sync-server/storage/postgres';
import { usePostgres } from '../../sync-server/testing/use-postgres';
import { admin } from '../sync/helpers/admin';
import { startServer, type ServerProcess } from '../sync/helpers/server-process';
import { TestSeat, waitFor } from '../sync/helpers/seat';
import { withStore } from './helpers/store';

const kinds = (r: VerifyReport) => [...new Set(r.problems.map((p) => p.kind))].sort();

describe('audit evidence and the tamper check (embedded, real seats)', () => {
  let server: ServerProcess;
  let seat: TestSeat;
  let ticket: string;
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-evidence-'));
  beforeAll(async () => {
    server = await startServer({ demo: 5, data: join(dir, 'data') });
    seat = await TestSeat.signIn(server.url, 'wang.fang', 'agent-pc-7');
    seat.start();
    await seat.online();
    await seat.lease(5);
    ticket = seat.create();
    seat.comment(ticket, '客户来电补充：三楼配电箱');
    await waitFor(() => seat.client.status.pending === 0, 10_000, 'pushed');
    expect((await admin(server.data, 'set-user', 'li.na', '--role', 'dispatcher')).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await seat?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports who did what and when for one ticket as CSV and a printable report', async () => {
    const no = seat.replica.ticket(ticket)!.no;
    const r = await admin(server.data, 'audit-export', '--ticket', no, '--csv', join(dir, 't.csv'), '--html', join(dir, 't.html'));
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ tickets: 1, changes: 2, verified: true });
    const csv = readFileSync(join(dir, 't.csv'), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv.slice(1).trim().split('\r\n');
    expect(rows[0]).toMatch(/^时间 time \(server\),类型 kind,/);
    expect(rows.some((l) => l.includes(no) && l.includes('wang.fang') && l.includes('agent-pc-7') && l.includes('comments[+]') && l.includes('三楼配电箱'))).toBe(true);
    expect(rows.some((l) => l.includes('wang.fang') && l.includes('create (wang.fang)') && l.includes('(created)') && l.includes('pending_acceptance'))).toBe(true);
    const html = readFileSync(join(dir, 't.html'), 'utf8');
    expect(html).toMatch(/<h1>Closeloop 审计证据/);
    expect(html).toMatch(/完整性校验通过/);
    expect(html).toMatch(/@media print/);
  });

  it('exports a period with sign-ins and permission changes', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const r = await admin(server.data, 'audit-export', '--from', day, '--to', '2999-01-01', '--csv', join(dir, 'p.csv'));
    expect(r.code, r.err).toBe(0);
    const csv = readFileSync(join(dir, 'p.csv'), 'utf8');
    expect(csv).toMatch(/,login,.*wang\.fang,agent-pc-7/);
    expect(csv).toMatch(/,user_changed,.*li\.na.*dispatcher/);
    expect(csv).toMatch(/,change,mx-plant,MX/);
    expect((await admin(server.data, 'audit-export', '--csv', join(dir, 'x.csv'))).code).toBe(2);
  });

  it('finds a byte flipped in the stored history and an audit line removed', async () => {
    const ok = await admin(server.data, 'verify');
    expect(ok.code, ok.out).toBe(0);
    await seat.stop();
    await server.stop();
    const db = new ClassicLevel<string, Uint8Array>(join(server.data, 'db'), { valueEncoding: 'view' });
    const log = db.sublevel<string, Uint8Array>('log', { valueEncoding: 'view' });
    const audit = db.sublevel<string, unknown>('audit', { valueEncoding: 'json' });
    const lastKey = (await log.keys({ reverse: true, limit: 1 }).all())[0]!;
    const frame = (await log.get(lastKey))!.slice();
    frame[frame.length - 20]! ^= 0x01;
    await log.put(lastKey, frame);
    await db.close();
    const r1 = await withStore({ data: server.data }, verifyStore);
    expect(kinds(r1)).toEqual(['change_unreadable']);
    expect(r1.problems[0]!.seq).toBe(Number(lastKey.split('\u0000')[1]));

    const db2 = new ClassicLevel<string, Uint8Array>(join(server.data, 'db'), { valueEncoding: 'view' });
    const audit2 = db2.sublevel<string, { kind: string }>('audit', { valueEncoding: 'json' });
    const accept = (await audit2.iterator().all()).find(([, l]) => l.kind === 'accept')!;
    await audit2.del(accept[0]);
    await db2.close();
    void audit;
    const removed = await withStore({ data: server.data }, verifyStore);
    const cli = await admin(server.data, 'verify');
    expect(cli.code).toBe(3);
    expect(kinds(JSON.parse(cli.out) as VerifyReport)).toEqual(kinds(removed));
    expect(kinds(removed)).toEqual(['audit_ids_missing', 'audit_line_altered_or_removed', 'change_not_in_audit', 'change_unreadable']);
    expect(removed.problems.find((p) => p.kind === 'audit_line_altered_or_removed')!.auditId).toBe(Number(accept[0]) + 1);
  });
});

describe('the tamper check on PostgreSQL', () => {
  const postgres = usePostgres();

  it('keeps old unsealed lines readable, and finds a flipped byte and a removed audit row', async () => {
    const url = await postgres.database(`tamper_${process.pid}`);
    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    const s = await PostgresStorage.open({ url });
    try {
      // a line written before the chain existed (an upgraded server)
      await sql.query(`INSERT INTO cl_audit (line) VALUES ('{"at":"2026-01-01T00:00:00.000Z","kind":"login","user":"old"}')`);
      await s.putSite({ id: 'mx-plant', name: 'x', prefix: 'MX', timezone: 'Asia/Shanghai' });
      const t = sampleTicket('MX20260218-0001');
      const e1 = t.edit('title', 'second');
      for (const [changes, basedOn] of [[[t.created], []], [[e1], [t.created.hash]]] as const) {
        await s.commit({ seat: 's1', tickets: [{ id: t.id, site: 'mx-plant', changes: [...changes], row: null, basedOn: [...basedOn], ...(basedOn.length === 0 ? { no: 'MX20260218-0001' } : {}) }], audit: [{ at: new Date().toISOString(), kind: 'accept', seat: 's1', ticket: t.id, hashes: changes.map((c) => c.hash) }] });
      }
      await s.appendAudit([{ at: new Date().toISOString(), kind: 'user_added', user: 'u' }]);
      const clean = await verifyStore(s);
      expect(clean).toMatchObject({ ok: true, audit: { lines: 4, sealed: 3, legacy: 1 }, history: { changes: 2, tickets: 1 } });

      await sql.query('UPDATE cl_log SET change = set_byte(change, length(change) - 3, get_byte(change, length(change) - 3) # 1) WHERE seq = 2');
      expect(kinds(await verifyStore(s))).toEqual(['change_unreadable']);
      await expect(sql.query('DELETE FROM cl_audit')).rejects.toThrow(/append-only/);
      await sql.query('ALTER TABLE cl_audit DISABLE TRIGGER cl_audit_append_only');
      await sql.query("DELETE FROM cl_audit WHERE id = (SELECT min(id) FROM cl_audit WHERE line->>'kind' = 'accept')");
      await sql.query('ALTER TABLE cl_audit ENABLE TRIGGER cl_audit_append_only');
      expect(kinds(await verifyStore(s))).toEqual(['audit_line_altered_or_removed', 'change_not_in_audit', 'change_unreadable']);
    } finally {
      await s.close();
      await sql.end();
    }
  }, 60_000);
});
