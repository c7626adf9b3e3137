import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { signInbound } from '../../sync-server/connectors/inbound';
import { auditLines } from '../sync/helpers/admin';
import { TestSeat, waitFor } from '../sync/helpers/seat';
import { freePort, startWithConnectors, type ConnectorServer } from './helpers/world';

/** Inbound webhooks: an ERP/MES opens a ticket — signed, validated, rate-limited, fanned out to seats. */
const SECRET = 'mes-inbound-secret-0123';
let srv: ConnectorServer;
let seat: TestSeat;
let base = '';

beforeAll(async () => {
  const port = await freePort();
  srv = await startWithConnectors(`
version: 1
connectors: {}
inbound:
  port: ${port}
  max_body: 16KB
  endpoints:
    mes: { site: mx-plant, secret: ${SECRET}, per_minute: 8 }
`);
  base = `http://127.0.0.1:${port}/inbound/mes`;
  seat = (await TestSeat.signIn(srv.server.url, 'zhang.wei')).start();
  await seat.online();
}, 60_000);
afterAll(async () => {
  await seat?.stop();
  await srv?.stop();
});

function post(body: unknown, opts: { secret?: string; ts?: number; raw?: string } = {}) {
  const text = opts.raw ?? JSON.stringify(body);
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  return fetch(base, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Closeloop-Timestamp': String(ts), 'X-Closeloop-Signature': signInbound(opts.secret ?? SECRET, ts, text) }, body: text });
}

describe('inbound webhooks', () => {
  it('opens a ticket through the push pipeline; every seat gets it; a repeated request creates nothing', async () => {
    const r = await post({ external_id: 'MES-4711', answers: { ...COMPLETE_SYSTEM_FORM, device: 'CNC-11', title: 'MES: 3号线停机' } });
    expect(r.status).toBe(201);
    const made = (await r.json()) as { ticket: string; no: string; created: boolean };
    expect(made.no).toMatch(/^MX\d{8}-\d{4}$/);
    await waitFor(() => seat.replica.ticket(made.ticket)?.title === 'MES: 3号线停机', 20_000, 'the ticket on the seat');
    const t = seat.replica.ticket(made.ticket)!;
    expect(t.audit[0]).toMatchObject({ action: 'create', by: 'inbound:mes', kind: 'automation' });
    const again = await post({ external_id: 'MES-4711', answers: { ...COMPLETE_SYSTEM_FORM, title: 'MES: 3号线停机' } });
    expect(await again.json()).toEqual({ ticket: made.ticket, no: made.no, created: false });
  }, 30_000);

  it('accepts nothing without a valid, fresh signature, and says what was wrong with the body', async () => {
    const body = { external_id: 'MES-forged', answers: COMPLETE_SYSTEM_FORM };
    expect((await post(body, { secret: 'not-the-secret-000000' })).status).toBe(401);
    expect((await post(body, { ts: Math.floor(Date.now() / 1000) - 3_600 })).status).toBe(401);
    const unsigned = await fetch(base, { method: 'POST', body: JSON.stringify(body) });
    expect(unsigned.status).toBe(401);
    const invalid = await post({ external_id: '', answers: { title: 5 } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { problems: string[] }).problems.join('\n')).toMatch(/external_id/);
    const incomplete = await post({ external_id: 'MES-half', answers: { title: '只有标题' } });
    expect(incomplete.status).toBe(422);
    expect((await post({}, { raw: 'x'.repeat(20 * 1024) })).status).toBe(413);
    expect((await fetch(base.replace('/mes', '/erp'), { method: 'POST', body: '{}' })).status).toBe(404);
    const refused = (await auditLines(srv.server.data)).filter((l) => l.kind === 'inbound_refused');
    expect(refused.map((l) => l.reason)).toEqual(['bad signature', 'missing or stale X-Closeloop-Timestamp', 'missing or stale X-Closeloop-Timestamp']);
    expect(seat.replica.ids().length).toBe(1);
  }, 30_000);

  it('answers 429 past the endpoint’s rate of signed requests; forged ones do not use it up', async () => {
    // 4 signed requests so far; 8 a minute allowed. Forged requests have a budget of their own.
    for (let i = 0; i < 10; i++) expect((await post({ external_id: `MES-f${i}`, answers: {} }, { secret: 'forged-secret-0000000000' })).status).toBe(401);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await post({ external_id: `MES-r${i}`, answers: { title: 'x' } })).status);
    expect(codes).toEqual([422, 422, 422, 422, 429]);
    const audited = (await auditLines(srv.server.data)).filter((l) => l.kind === 'inbound_refused');
    expect(audited).toHaveLength(8);
  }, 30_000);
});
