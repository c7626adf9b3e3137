import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../../../tests/connectors/helpers/receivers';
import { parseConnectorsFile } from '../config';
import { backoffMs, buildConnector } from './index';

const vars = { ticket: { no: 'MX20260218-0872', title: '主轴异响' }, text: '工单 MX20260218-0872 夜间直派', to: 'lin.chief', recipient: { phone: '13800000001', email: 'lin@plant.example' }, payload: { records: [{ no: 'MX1' }] }, idempotency_key: 'd0123' };
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

async function http(opts: Parameters<typeof startHttpReceiver>[0]): Promise<HttpReceiver> {
  const r = await startHttpReceiver(opts);
  open.push(r);
  return r;
}

function connector(yaml: string) {
  const file = parseConnectorsFile(`version: 1\nconnectors:\n  c:\n${yaml.split('\n').map((l) => `    ${l}`).join('\n')}`, 'test.yaml', {});
  return buildConnector('c', file.connectors.c!, file);
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('webhook channel', () => {
  it('signs the payload with HMAC and sends the idempotency key', async () => {
    const r = await http({ honoursKey: true });
    const c = connector(`type: webhook\nurl: ${r.url}/erp\nsecret: erp-secret-0123456789\npayload: { no: "{{ticket.no}}", records: "{{payload.records}}" }`);
    expect(await c.send(vars, 'd0123')).toEqual({ kind: 'sent', detail: 'HTTP 200' });
    const req = r.requests[0]!;
    expect(JSON.parse(req.body)).toEqual({ no: 'MX20260218-0872', records: [{ no: 'MX1' }] });
    expect(req.headers['idempotency-key']).toBe('d0123');
    const ts = req.headers['x-closeloop-timestamp'] as string;
    expect(req.headers['x-closeloop-signature']).toBe('sha256=' + createHmac('sha256', 'erp-secret-0123456789').update(`${ts}.${req.body}`).digest('hex'));
    expect(c.idempotent).toBe(true);
  });

  it('retries 5xx, timeouts and unreachable hosts; gives up on 4xx', async () => {
    const r = await http({ honoursKey: true, behave: (_q, n) => (n === 1 ? { status: 503 } : n === 2 ? { delayMs: 2_000 } : { status: 400, body: '{"error":"bad device"}' }) });
    const c = connector(`type: webhook\nurl: ${r.url}/mes\ntimeout: 300ms`);
    expect((await c.send(vars, 'k')).kind).toBe('retry');
    const slow = await c.send(vars, 'k');
    expect(slow).toMatchObject({ kind: 'retry', error: expect.stringMatching(/no answer within 300 ms/) });
    expect(await c.send(vars, 'k')).toEqual({ kind: 'failed', error: 'HTTP 400: {"error":"bad device"}' });
    const gone = connector(`type: webhook\nurl: http://127.0.0.1:${await deadPort()}/x`);
    expect(await gone.send(vars, 'k')).toMatchObject({ kind: 'retry', error: expect.stringMatching(/not delivered: .*ECONNREFUSED/) });
  });

  it('reads at most max_response bytes of a huge answer', async () => {
    const r = await http({ honoursKey: true, behave: () => ({ status: 200, hugeBytes: 50 * 1024 * 1024 }) });
    const c = connector(`type: webhook\nurl: ${r.url}/crm\nmax_response: 4KB`);
    const t0 = Date.now();
    expect(await c.send(vars, 'k')).toEqual({ kind: 'sent', detail: 'HTTP 200 (response cut at the size limit)' });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});

describe('SMS gateway and WeCom robot (cannot honour the key)', () => {
  it('fills the URL and body templates of a generic SMS gateway', async () => {
    const r = await http({ honoursKey: false });
    const c = connector(`type: sms_http\nurl: "${r.url}/send?mobile={{recipient.phone}}"\nbody_format: form\nbody: { content: "{{text}}", sign: "Closeloop" }`);
    expect((await c.send(vars, 'd1')).kind).toBe('sent');
    expect(r.requests[0]!.url).toBe('/send?mobile=13800000001');
    expect(Object.fromEntries(new URLSearchParams(r.requests[0]!.body))).toEqual({ content: '工单 MX20260218-0872 夜间直派', sign: 'Closeloop' });
    expect(c.idempotent).toBe(false);
  });

  it('calls a timeout or a 5xx "unknown" (it may have been sent) but a refused connection "retry"', async () => {
    const r = await http({ honoursKey: false, behave: (_q, n) => (n === 1 ? { delayMs: 1_000 } : n === 2 ? { status: 502 } : { status: 429 }) });
    const c = connector(`type: sms_http\nurl: ${r.url}/send\ntimeout: 200ms`);
    expect((await c.send(vars, 'd1')).kind).toBe('unknown');
    expect((await c.send(vars, 'd1')).kind).toBe('unknown');
    expect((await c.send(vars, 'd1')).kind).toBe('retry');
    const gone = connector(`type: sms_http\nurl: http://127.0.0.1:${await deadPort()}/send`);
    expect((await gone.send(vars, 'd1')).kind).toBe('retry');
    expect((await connector(`type: sms_http\nurl: ${r.url}/send`).send({ ...vars, recipient: null }, 'd1'))).toMatchObject({ kind: 'failed', error: expect.stringMatching(/no phone number for "lin.chief"/) });
  });

  it('reads the WeCom robot’s errcode: 0 sent, 45009 rate limit, others refused', async () => {
    const answers = ['{"errcode":0,"errmsg":"ok"}', '{"errcode":45009,"errmsg":"api freq out of limit"}', '{"errcode":93000,"errmsg":"invalid webhook url"}'];
    const r = await http({ honoursKey: false, behave: (_q, n) => ({ body: answers[n - 1] }) });
    const c = connector(`type: wecom\nurl: "${r.url}/cgi-bin/webhook/send?key=abc"\ncontent: "【报修】{{text}}"`);
    expect((await c.send(vars, 'd1')).kind).toBe('sent');
    expect(JSON.parse(r.requests[0]!.body)).toEqual({ msgtype: 'text', text: { content: '【报修】工单 MX20260218-0872 夜间直派', mentioned_mobile_list: ['13800000001'] } });
    expect((await c.send(vars, 'd1')).kind).toBe('retry');
    expect(await c.send(vars, 'd1')).toEqual({ kind: 'failed', error: 'WeCom errcode 93000: invalid webhook url' });
  });
});

describe('SMTP channel', () => {
  let smtp: SmtpReceiver;
  it('sends one mail with a Message-ID from the idempotency key; 4xx is retried, 5xx refused', async () => {
    smtp = await startSmtpReceiver();
    open.push(smtp);
    smtp.refuse = (_raw, n) => (n === 2 ? 451 : n === 3 ? 550 : null);
    const c = connector(`type: smtp\nhost: 127.0.0.1\nport: ${smtp.port}\nfrom: closeloop@plant.example\nsubject: "[报修] {{ticket.no}}"`);
    expect((await c.send(vars, 'd42')).kind).toBe('sent');
    expect(smtp.mails[0]).toMatchObject({ to: ['lin@plant.example'], messageId: '<d42@closeloop>', key: 'd42' });
    expect((await c.send(vars, 'd43')).kind).toBe('retry');
    expect((await c.send(vars, 'd44')).kind).toBe('failed');
    const gone = connector(`type: smtp\nhost: 127.0.0.1\nport: ${await deadPort()}\nfrom: closeloop@plant.example`);
    expect((await gone.send(vars, 'd45')).kind).toBe('retry');
  });
});

describe('backoff', () => {
  it('doubles from the base up to the maximum, with jitter', () => {
    const r = { base: 1_000, max: 8_000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, r, () => 0.5))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(backoffMs(1, r, () => 0)).toBe(800);
  });
});
