import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../domain';
import { BEARING_FORM } from '../../electron/main/rules/test-seat';
import { admin } from '../sync/helpers/admin';
import { TestSeat, waitFor } from '../sync/helpers/seat';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from './helpers/receivers';
import { pastTicket, runRules, seedViews, startWithConnectors, type ConnectorServer } from './helpers/world';

/**
 * The field's examples end to end with the seed pack: seats run the rules (real outbox entries),
 * push to the real sync server started with --connectors, the connectors deliver to receivers on
 * 127.0.0.1, and every seat sees the delivery status written back to the ticket.
 */
const T0 = Date.parse('2026-02-18T14:10:00.000Z'); // 22:10 in Asia/Shanghai: the night window
const views = seedViews();
let sms: HttpReceiver, wecom: HttpReceiver, erp: HttpReceiver, crm: HttpReceiver, mes: HttpReceiver, smtp: SmtpReceiver;
let srv: ConnectorServer;
let dispatcher: TestSeat, tech: TestSeat, sup: TestSeat;

const yaml = () => `
version: 1
retry: { attempts: 3, base: 100ms, max: 1s }
workers: { concurrency: 4, poll: 100ms }
recipients:
  lin.chief: { name: 林师傅, phone: "13800000001", email: lin@plant.example }
  zhou.sup: { name: 周主管, phone: "13800000002", wecom: "13800000002" }
channels: { sms: sms-gw, wecom: robot, email: mail }
connectors:
  sms-gw:
    type: sms_http
    url: "${sms.url}/send?mobile={{recipient.phone}}"
    body_format: json
    body: { text: "{{text}}", key: "{{idempotency_key}}" }
  robot: { type: wecom, url: "${wecom.url}/cgi-bin/webhook/send?key=test" }
  mail: { type: smtp, host: 127.0.0.1, port: ${smtp.port}, from: closeloop@plant.example }
  erp:
    type: webhook
    url: ${erp.url}/erp/repairs
    secret: erp-secret-0123456789
    payload: { ticket: "{{ticket.no}}", device: "{{payload.device}}", records: "{{payload.records}}" }
  crm:
    type: webhook
    url: ${crm.url}/crm/customers
    payload: { device: "{{ticket.device}}", tag: 红色预警, task: { title: 安排技术拜访, ticket: "{{ticket.no}}" } }
  mes:
    type: webhook
    url: ${mes.url}/mes/plan/pause
    payload: { machine: "{{ticket.device}}", action: pause_production_plan, reason: "{{rule}}" }
`;

const outbox = (seat: TestSeat, id: string) => Object.entries((seat.replica.ticket(id) as Ticket).outbox);

beforeAll(async () => {
  [sms, wecom, erp, crm, mes] = (await Promise.all([false, false, true, true, true].map((honoursKey) => startHttpReceiver({ honoursKey })))) as [HttpReceiver, HttpReceiver, HttpReceiver, HttpReceiver, HttpReceiver];
  smtp = await startSmtpReceiver();
  srv = await startWithConnectors(yaml());
  dispatcher = (await TestSeat.signIn(srv.server.url, 'zhang.wei')).start();
  tech = (await TestSeat.signIn(srv.server.url, 'lin.chief')).start();
  sup = (await TestSeat.signIn(srv.server.url, 'zhou.sup')).start();
  await Promise.all([dispatcher.online(), tech.online(), sup.online()]);
  await dispatcher.lease(20, T0);
}, 120_000);

afterAll(async () => {
  for (const s of [dispatcher, tech, sup]) await s?.stop();
  await srv?.stop();
  for (const r of [sms, wecom, erp, crm, mes, smtp]) await r?.close();
});

describe('the field’s examples, end to end', () => {
  let bearing = '';

  it('night routing: a bearing ticket at 22:10 goes to the night chief and he gets one SMS; every seat sees "sent" with its time', async () => {
    bearing = dispatcher.create(BEARING_FORM, T0);
    const t = runRules(dispatcher, views, bearing, [{ kind: 'created' }], T0);
    expect([t.state, t.assignee]).toEqual(['dispatched', 'lin.chief']);
    await waitFor(() => sms.requests.length === 1, 20_000, 'the night SMS');
    expect(sms.requests[0]!.url).toBe('/send?mobile=13800000001');
    expect(JSON.parse(sms.requests[0]!.body).text).toContain(t.no);
    await waitFor(() => outbox(tech, bearing).some(([, e]) => e.status === 'sent'), 20_000, 'status on the technician’s seat');
    const [key, entry] = outbox(tech, bearing)[0]!;
    expect(key).toMatch(/^night-bearing@v1\/created\/.*\/notify\/sms\/lin\.chief$/);
    expect(entry).toMatchObject({ channel: 'sms', to: 'lin.chief', status: 'sent' });
    expect(Date.parse(entry.statusAt!)).toBeGreaterThan(T0);
  }, 40_000);

  it('dispatch escalation: not accepted after 30 minutes → one SMS to the east area’s supervisor', async () => {
    runRules(dispatcher, views, bearing, [{ kind: 'deadline' }], T0 + 31 * 60_000);
    await waitFor(() => sms.requests.length === 2, 20_000, 'the escalation SMS');
    expect(sms.requests[1]!.url).toBe('/send?mobile=13800000002');
    await waitFor(() => outbox(sup, bearing).filter(([, e]) => e.status === 'sent').length === 2, 20_000, 'both statuses');
    expect(outbox(sup, bearing).map(([k]) => k).find((k) => k.includes('dispatch-30m'))).toMatch(/\/notify\/sms\/zhou\.sup$/);
  }, 40_000);

  it('resolved → the ERP gets the device’s last 3 repairs once, signed — and the status reaches the ticket although it was verified meanwhile', async () => {
    erp.behave = () => ({ delayMs: 1_500 });
    await waitFor(() => tech.replica.ticket(bearing)?.assignee === 'lin.chief', 20_000, 'the ticket on the technician’s seat');
    const at = T0 + 40 * 60_000;
    tech.act(bearing, 'accept', {}, { now: at });
    tech.act(bearing, 'first_response', { note: '电话已联系' }, { now: at + 1 });
    tech.act(bearing, 'arrive', {}, { now: at + 2 });
    tech.act(bearing, 'resolve', { note: '更换主轴轴承' }, { now: at + 3 });
    const history = [1, 2, 3, 4].map((d) => pastTicket('CNC-07', new Date(T0 - d * 86_400_000).toISOString(), { state: 'closed', milestones: { created: new Date(T0 - d * 86_400_000).toISOString(), resolved: new Date(T0 - d * 86_400_000 + 3_600_000).toISOString() } }));
    runRules(tech, views, bearing, [{ kind: 'transition', to: 'pending_verification' }], at + 4, history);
    await waitFor(() => sup.replica.ticket(bearing)?.state === 'pending_verification', 20_000, 'resolved on the supervisor’s seat');
    sup.act(bearing, 'verify', {}, { now: at + 5 });
    await waitFor(() => erp.applied.length === 1, 20_000, 'the ERP push');
    const req = erp.requests[0]!;
    const body = JSON.parse(req.body) as { ticket: string; device: string; records: unknown[] };
    expect(body.device).toBe('CNC-07');
    expect(body.records).toHaveLength(3);
    expect(req.headers['x-closeloop-signature']).toBe('sha256=' + createHmac('sha256', 'erp-secret-0123456789').update(`${String(req.headers['x-closeloop-timestamp'])}.${req.body}`).digest('hex'));
    await waitFor(() => outbox(dispatcher, bearing).some(([k, e]) => k.endsWith('/push/erp') && e.status === 'sent'), 20_000, 'the ERP status on a closed ticket');
    expect(dispatcher.replica.ticket(bearing)!.state).toBe('closed');
  }, 60_000);

  it('3 faults of one device in 7 days → a red tag and a task, pushed to the CRM once', async () => {
    const history = [1, 2].map((d) => pastTicket('CNC-09', new Date(T0 - d * 86_400_000).toISOString()));
    const id = dispatcher.create({ ...BEARING_FORM, device: 'CNC-09', description: '主轴过热' }, T0 + 3_600_000);
    const t = runRules(dispatcher, views, id, [{ kind: 'created' }], T0 + 3_600_000, history);
    expect(t.tags).toContain('红色预警');
    await waitFor(() => crm.applied.length === 1, 20_000, 'the CRM push');
    expect(JSON.parse(crm.requests[0]!.body)).toEqual({ device: 'CNC-09', tag: '红色预警', task: { title: '安排技术拜访', ticket: t.no } });
  }, 40_000);

  it('more than 3 tickets today on one machine → one "pause production plan" webhook to the MES', async () => {
    const now = T0 + 50 * 60_000; // 23:00 local: the three earlier tickets and this one are all today's
    const today = [1, 2, 3].map((i) => pastTicket('CNC-11', new Date(now - i * 600_000).toISOString()));
    const id = dispatcher.create({ ...BEARING_FORM, device: 'CNC-11', description: '又停机了' }, now - 60_000);
    const t = runRules(dispatcher, views, id, [{ kind: 'daily' }], now, [...today, { ...dispatcher.replica.ticket(id)! }]);
    expect(Object.values(t.firings).map((f) => f.rule)).toContain('machine-daily');
    await waitFor(() => mes.applied.length === 1, 20_000, 'the MES webhook');
    expect(JSON.parse(mes.requests[0]!.body)).toEqual({ machine: 'CNC-11', action: 'pause_production_plan', reason: 'machine-daily' });
  }, 40_000);

  it('lists the deliveries for the admin: all sent, none dead, nothing sent twice', async () => {
    await waitFor(async () => {
      const r = await admin(srv.server.data, 'deliveries');
      return r.code === 0 && (JSON.parse(r.out) as { counts: { sent: number } }).counts.sent === 5;
    }, 20_000, 'five sent deliveries');
    const r = JSON.parse((await admin(srv.server.data, 'deliveries')).out) as { counts: Record<string, number>; deliveries: { channel: string; state: string }[] };
    expect(r.counts).toEqual({ queued: 0, sending: 0, sent: 5, dead: 0 });
    expect(JSON.parse((await admin(srv.server.data, 'dead-letters')).out)).toEqual([]);
    for (const rcv of [sms, erp, crm, mes]) expect([...rcv.perKey.values()].every((n) => n === 1)).toBe(true);
    expect(smtp.mails).toEqual([]);
    const listed = await admin(srv.server.data, 'connectors');
    expect((JSON.parse(listed.out) as { id: string; honoursIdempotencyKey: boolean }[]).map((c) => `${c.id}:${c.honoursIdempotencyKey}`)).toEqual(['sms-gw:false', 'robot:false', 'mail:false', 'erp:true', 'crm:true', 'mes:true']);
    expect(listed.out).not.toContain('erp-secret');
  }, 30_000);
});
