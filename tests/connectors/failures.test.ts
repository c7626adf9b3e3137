import { afterEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../domain';
import { admin } from '../sync/helpers/admin';
import { TestSeat, waitFor } from '../sync/helpers/seat';
import { startServer } from '../sync/helpers/server-process';
import { startHttpReceiver, type HttpReceiver } from './helpers/receivers';
import { addOutbox, freePort, startWithConnectors, type ConnectorServer } from './helpers/world';

/**
 * Failures: receivers that refuse, fail, hang or are not there; the dead-letter list and an admin's
 * retry; kill -9 while a request is in flight; a connectors file with mistakes.
 */
const open: { close?: () => Promise<void>; stop?: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await (x.stop ? x.stop() : x.close!());
});

const status = (seat: TestSeat, id: string, key: string) => (seat.replica.ticket(id) as Ticket | null)?.outbox[key]?.status;
type Dead = { key: string; outbox: string; outcome: string; error: string; attempts: number };
async function deadLetters(data: string): Promise<Dead[]> {
  const r = await admin(data, 'dead-letters');
  if (r.code !== 0) throw new Error(r.err);
  return JSON.parse(r.out) as Dead[];
}

async function world(yaml: (r: { hook: HttpReceiver; sms: HttpReceiver; dead: number }) => string) {
  const hook = await startHttpReceiver({ honoursKey: true });
  const sms = await startHttpReceiver({ honoursKey: false });
  open.push(hook, sms);
  const srv: ConnectorServer = await startWithConnectors(yaml({ hook, sms, dead: await freePort() }));
  open.push(srv);
  const seat = (await TestSeat.signIn(srv.server.url, 'zhang.wei')).start();
  open.push(seat);
  await seat.online();
  await seat.lease(10);
  return { hook, sms, srv, seat };
}

const CONF = (r: { hook: HttpReceiver; sms: HttpReceiver; dead: number }) => `
version: 1
retry: { attempts: 3, base: 100ms, max: 400ms }
workers: { poll: 100ms }
recipients: { lin.chief: { phone: "13800000001" } }
channels: { sms: sms-gw, wecom: robot }
connectors:
  sms-gw: { type: sms_http, url: "${r.sms.url}/send", timeout: 1s }
  robot: { type: wecom, url: "http://127.0.0.1:${r.dead}/cgi-bin/webhook/send?key=x", timeout: 1s }
  erp: { type: webhook, url: "${r.hook.url}/erp", timeout: 1s }
`;

describe('connector failures', () => {
  it('dead-letters refusals, exhausted retries and unreachable hosts; the seat sees "failed"; an admin retry delivers once', async () => {
    const { hook, sms, srv, seat } = await world(CONF);
    hook.behave = () => ({ status: 500, body: 'database down' });
    sms.behave = () => ({ status: 400, body: '{"error":"bad number"}' });
    const id = seat.create();
    const keys = ['r@v1/created/x/push/erp', 'r@v1/created/x/notify/sms/lin.chief', 'r@v1/created/x/notify/wecom/lin.chief', 'r@v1/created/x/notify/email/lin.chief'];
    addOutbox(seat, id, [{ key: keys[0]!, channel: 'push', to: 'erp' }, { key: keys[1]!, channel: 'sms', to: 'lin.chief' }, { key: keys[2]!, channel: 'wecom', to: 'lin.chief' }, { key: keys[3]!, channel: 'email', to: 'lin.chief' }]);
    await waitFor(async () => (await deadLetters(srv.server.data)).length === 4, 20_000, 'four dead letters');
    const dead = new Map((await deadLetters(srv.server.data)).map((d) => [d.outbox, d]));
    expect(dead.get(keys[0]!)).toMatchObject({ outcome: 'failed', attempts: 3, error: expect.stringMatching(/HTTP 500: database down \(gave up after 3 attempts\)/) });
    expect(dead.get(keys[1]!)).toMatchObject({ outcome: 'failed', attempts: 1, error: 'HTTP 400: {"error":"bad number"}' });
    expect(dead.get(keys[2]!)).toMatchObject({ outcome: 'failed', attempts: 3, error: expect.stringMatching(/not delivered: .*ECONNREFUSED/) });
    expect(dead.get(keys[3]!)).toMatchObject({ outcome: 'failed', attempts: 0, error: 'no connector for channel email (channels.email in the connectors file)' });
    expect(sms.requests).toHaveLength(1);
    await waitFor(() => keys.every((k) => status(seat, id, k) === 'failed'), 20_000, '"failed" on the seat');

    hook.behave = () => undefined;
    const retried = await admin(srv.server.data, 'retry', dead.get(keys[0]!)!.key);
    expect(retried.code).toBe(0);
    await waitFor(() => status(seat, id, keys[0]!) === 'sent', 20_000, '"sent" after the retry');
    expect(hook.applied).toEqual([dead.get(keys[0]!)!.key]);
    expect((await admin(srv.server.data, 'retry', dead.get(keys[0]!)!.key)).err).toMatch(/is sent: only dead-lettered deliveries are retried/);
    expect((await admin(srv.server.data, 'retry', 'dnope')).code).toBe(2);
  }, 60_000);

  it('kill -9 while sending: the SMS (no key) goes to the dead letters as "unknown" and is never sent again; the webhook is sent again with its key and applied once', async () => {
    const { hook, sms, srv, seat } = await world(CONF);
    hook.behave = (_r, n) => (n === 1 ? { hang: true } : undefined);
    sms.behave = () => ({ hang: true });
    const id = seat.create();
    const keys = ['k@v1/created/x/push/erp', 'k@v1/created/x/notify/sms/lin.chief'];
    addOutbox(seat, id, [{ key: keys[0]!, channel: 'push', to: 'erp' }, { key: keys[1]!, channel: 'sms', to: 'lin.chief' }]);
    await waitFor(() => hook.requests.length === 1 && sms.requests.length === 1, 20_000, 'both requests in flight');
    await srv.server.kill9();
    sms.behave = () => undefined;
    await srv.server.restart(['--connectors', srv.file]);
    await waitFor(() => hook.applied.length === 1, 20_000, 'the webhook sent again');
    expect(hook.requests.map((r) => r.key)).toEqual([hook.applied[0], hook.applied[0]]);
    await waitFor(async () => (await deadLetters(srv.server.data)).length === 1, 20_000, 'one dead letter');
    const [d] = await deadLetters(srv.server.data);
    expect(d).toMatchObject({ outbox: keys[1], outcome: 'unknown', error: expect.stringMatching(/outcome unknown/) });
    const seat2 = (await TestSeat.signIn(srv.server.url, 'zhou.sup')).start();
    open.push(seat2);
    await waitFor(() => status(seat2, id, keys[1]!) === 'unknown' && status(seat2, id, keys[0]!) === 'sent', 30_000, 'the statuses on another seat');
    await new Promise((r) => setTimeout(r, 500));
    expect(sms.requests).toHaveLength(1);
  }, 90_000);

  it('refuses to start with a malformed connectors file, naming the file and the path', async () => {
    const bad = `version: 1\nconnectors:\n  erp: { type: webhook, url: "http://127.0.0.1:9/{{ticket.no", timeout: soon }\n`;
    const err = await startWithConnectors(bad).then(() => '', (e: Error) => e.message);
    expect(err).toMatch(/connectors\.yaml: connectors\.erp\.timeout: expected a duration/);
    expect(err).toMatch(/exited \(2\)/);
    const srv = await startServer({ demo: 0, args: ['--connectors', '/nonexistent/connectors.yaml'] }).then(() => '', (e: Error) => e.message);
    expect(srv).toMatch(/\/nonexistent\/connectors\.yaml: cannot be read \(ENOENT\)/);
  }, 30_000);
});
