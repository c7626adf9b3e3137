import { parseArgs } from 'node:util';
import type { Ticket } from '../../domain';
import { startPostgres } from '../../sync-server/testing/postgres-cluster';
import { deliveryId } from '../../sync-server/connectors/intake';
import { admin } from '../sync/helpers/admin';
import { TestSeat, waitFor } from '../sync/helpers/seat';
import { startHttpReceiver, startSmtpReceiver, type Behaviour, type HttpReceiver } from './helpers/receivers';
import { addOutbox, startWithConnectors } from './helpers/world';

/**
 * `npm run -s test:connectors-fault [-- --effects 10000 --kills 3 --seed 1 --storage embedded|postgres]`
 *
 * 10,000 outbox entries (5 per ticket: ERP and MES webhooks that honour the idempotency key, an SMS
 * gateway and a WeCom robot that cannot, and e-mail) written by three seats each (duplicates by
 * key), receivers that fail, refuse, rate-limit and hang on purpose, and the server killed with
 * SIGKILL mid-delivery. Exit 0 only if: no key applied twice at any receiver, no request repeated
 * at a receiver that cannot honour the key, every delivery either sent (and at its receiver) or in
 * the dead-letter list, and every seat shows each delivery's status.
 */
const { values } = parseArgs({ options: {
  effects: { type: 'string', default: '10000' }, kills: { type: 'string', default: '3' }, seed: { type: 'string', default: '1' },
  storage: { type: 'string', default: 'embedded' },
} });
const EFFECTS = Number(values.effects);
const KILLS = Number(values.kills);
const TICKETS = Math.ceil(EFFECTS / 5);
let seed = Number(values.seed) >>> 0 || 1;
const rand = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
const log = (s: string) => process.stderr.write(`[fault ${((Date.now() - T0) / 1000).toFixed(1)}s] ${s}\n`);
const T0 = Date.now();

/** Injected failures: ~10% retryable errors, ~2% hangs past the timeout, ~1% permanent refusals. */
const flaky = (permanent: number): Behaviour => (r) => {
  const x = rand();
  if (r.key && hashPick(r.key) < permanent) return { status: 400, body: '{"error":"rejected"}' };
  if (x < 0.1) return { status: 503, body: 'busy' };
  if (x < 0.12) return { delayMs: 7_000 }; // past the 5 s timeout
  return undefined;
};
const hashPick = (key: string) => (parseInt(key.slice(1, 9), 16) % 1000) / 1000;

async function main(): Promise<number> {
  const erp = await startHttpReceiver({ honoursKey: true, behave: flaky(0.01) });
  const mes = await startHttpReceiver({ honoursKey: true, behave: flaky(0.01) });
  const sms = await startHttpReceiver({ honoursKey: false, behave: (r) => (rand() < 0.05 ? { status: 429 } : rand() < 0.02 ? { status: 502 } : hashPick(r.key ?? 'd0') < 0.01 ? { status: 400 } : undefined) });
  const wecom = await startHttpReceiver({ honoursKey: false, behave: () => (rand() < 0.05 ? { body: '{"errcode":45009,"errmsg":"api freq out of limit"}' } : undefined) });
  const smtp = await startSmtpReceiver();
  smtp.refuse = () => (rand() < 0.05 ? 451 : null);
  const receivers: Record<string, HttpReceiver> = { erp, mes, sms, wecom };
  const pg = values.storage === 'postgres' ? await startPostgres() : null;
  if (values.storage === 'postgres' && !pg) throw new Error('--storage postgres: PostgreSQL is not installed (apt-get install postgresql)');
  const storageArgs = pg ? ['--storage', 'postgres', '--pg', await pg.database(`fault_${process.pid}`)] : [];
  const srv = await startWithConnectors(`
version: 1
retry: { attempts: 6, base: 200ms, max: 2s }
workers: { concurrency: 16, poll: 100ms }
recipients:
  lin.chief: { phone: "13800000001", email: lin@plant.example }
  zhou.sup: { phone: "13800000002", wecom: "13800000002" }
channels: { sms: sms-gw, wecom: robot, email: mail }
connectors:
  erp: { type: webhook, url: "${erp.url}/erp", timeout: 5s }
  mes: { type: webhook, url: "${mes.url}/mes", timeout: 5s }
  sms-gw: { type: sms_http, url: "${sms.url}/send", timeout: 5s, body: { key: "{{idempotency_key}}", to: "{{recipient.phone}}", text: "{{text}}" } }
  robot: { type: wecom, url: "${wecom.url}/robot", timeout: 5s, content: "{{idempotency_key}} {{text}}" }
  mail: { type: smtp, host: 127.0.0.1, port: ${smtp.port}, from: closeloop@plant.example, timeout: 5s }
`, { demo: 0, args: storageArgs });
  const seats = await Promise.all(['zhang.wei', 'wang.fang', 'li.na'].map(async (u) => (await TestSeat.signIn(srv.server.url, u)).start()));
  await Promise.all(seats.map((s) => s.online()));
  const [a] = seats as [TestSeat, ...TestSeat[]];
  for (let left = TICKETS; left > 0; left -= 1_000) await a.lease(Math.min(1_000, left));
  const ids: string[] = [];
  for (let i = 0; i < TICKETS; i++) ids.push(a.create());
  log(`${TICKETS} tickets created; waiting for every seat to hold them`);
  // replica.ticket() builds the whole ticket: poll on the id list, and not too often.
  const wanted = new Set(ids);
  await waitFor(async () => {
    await new Promise((r) => setTimeout(r, 2_000));
    const held = seats.map((s) => s.replica.ids().filter((id) => wanted.has(id)).length);
    log(`held ${held.join('/')}, pending ${seats.map((s) => s.client.status.pending).join('/')}, online ${seats.map((s) => s.client.status.online).join('/')}`);
    return held.every((n) => n === wanted.size);
  }, 600_000, 'tickets on every seat');
  const entriesOf = (id: string) => [
    { key: `erp-push@v1/transition:pending_verification/${id}/push/erp`, channel: 'push', to: 'erp' },
    { key: `machine-daily@v1/daily/${id}/push/mes`, channel: 'push', to: 'mes' },
    { key: `night-bearing@v1/created/${id}/notify/sms/lin.chief`, channel: 'sms', to: 'lin.chief' },
    { key: `dispatch-30m@v1/deadline/${id}/notify/wecom/zhou.sup`, channel: 'wecom', to: 'zhou.sup' },
    { key: `accept-15m@v1/deadline/${id}/notify/email/lin.chief`, channel: 'email', to: 'lin.chief' },
  ];
  const expected = new Map<string, { ticket: string; key: string; channel: string }>();
  for (const id of ids) for (const e of entriesOf(id)) expected.set(deliveryId(id, e.key), { ticket: id, key: e.key, channel: e.channel });
  // Every seat writes the same entries concurrently (as seats that fire the same rule do), a
  // chunk at a time: a test seat pushes all its pending tickets after each local change.
  for (let i = 0; i < ids.length; i += 200) {
    for (const s of seats) {
      for (const [j, id] of ids.slice(i, i + 200).entries()) {
        addOutbox(s, id, entriesOf(id), new Date(T0).toISOString());
        // The receivers share this process: let them answer while the seats work.
        if (j % 10 === 9) await new Promise((r) => setImmediate(r));
      }
    }
    await waitFor(() => seats.every((s) => s.replica.pendingCount() === 0), 300_000, 'the seats’ pushes');
    if (i % 1_000 === 0) log(`outbox entries written on ${i + 200} tickets`);
  }
  log(`${expected.size} effects written by ${seats.length} seats each; killing the server ${KILLS} times mid-delivery`);
  const adminArgs = pg ? ['--storage', 'postgres', '--pg', storageArgs[3]!] : [];
  const counts = async () => (JSON.parse((await admin(srv.server.data, 'deliveries', '--last', '1', ...adminArgs)).out) as { counts: Record<string, number> }).counts;
  for (let k = 0; k < KILLS; k++) {
    await new Promise((r) => setTimeout(r, 2_000 + rand() * 3_000));
    const c = await counts().catch(() => null);
    await srv.server.kill9();
    log(`kill -9 #${k + 1} (deliveries before: ${JSON.stringify(c)})`);
    await srv.server.restart(['--connectors', srv.file, ...storageArgs]);
  }
  let last = '';
  await waitFor(async () => {
    await new Promise((r) => setTimeout(r, 1_000));
    const c = await counts();
    const s = JSON.stringify(c);
    if (s !== last) log(`deliveries ${(last = s)}`);
    return c.queued === 0 && c.sending === 0 && (c.sent ?? 0) + (c.dead ?? 0) === expected.size;
  }, 600_000, 'every delivery settled');
  const elapsed = (Date.now() - T0) / 1000;
  const dead = JSON.parse((await admin(srv.server.data, 'dead-letters', '--last', '100000', ...adminArgs)).out) as { key: string; outcome: string; channel: string }[];
  const deadById = new Map(dead.map((d) => [d.key, d]));
  const problems: string[] = [];
  const appliedAt = new Map<string, number>();
  const httpOf = (ch: string) => (ch === 'push' ? null : ch === 'sms' ? sms : ch === 'wecom' ? wecom : null);
  for (const [name, r] of Object.entries(receivers)) {
    const seen = new Set<string>();
    for (const k of r.applied) {
      if (seen.has(k)) problems.push(`${name}: key ${k} applied twice`);
      seen.add(k);
      appliedAt.set(k, (appliedAt.get(k) ?? 0) + 1);
    }
  }
  // A receiver that cannot honour keys must never get a key again once it may have acted on it.
  for (const [name, r] of [['sms', sms], ['wecom', wecom]] as const) {
    const acted = new Set<string>();
    for (const q of r.requests) {
      if (!q.key) problems.push(`${name}: a request without a key`);
      else if (acted.has(q.key)) problems.push(`${name}: ${q.key} sent again after the receiver may have acted on it`);
      else if (q.mayHaveActed) acted.add(q.key);
    }
  }
  const mailKeys = new Map<string, number>();
  for (const m of smtp.mails) if (m.key) mailKeys.set(m.key, (mailKeys.get(m.key) ?? 0) + 1);
  for (const [k, n] of mailKeys) if (n > 1) problems.push(`mail ${k} delivered ${n} times`);
  const byOutcome = { sent: 0, failed: 0, unknown: 0 };
  for (const [id, e] of expected) {
    const d = deadById.get(id);
    const received = (appliedAt.get(id) ?? 0) + (mailKeys.get(id) ?? 0);
    if (d) {
      byOutcome[d.outcome as 'failed' | 'unknown']++;
      const rcv = httpOf(e.channel);
      if (d.outcome === 'failed' && rcv && rcv.applied.includes(id)) problems.push(`${id} (${e.channel}) is dead "failed" but its receiver has it`);
    } else {
      byOutcome.sent++;
      if (received !== 1) problems.push(`${id} (${e.channel}) is sent but its receiver has it ${received} times`);
    }
  }
  log('waiting for every seat to show every status');
  const shown = (s: TestSeat) => ids.every((id) => Object.values((s.replica.ticket(id) as Ticket).outbox).every((e) => e.status !== 'pending'));
  await waitFor(async () => {
    await new Promise((r) => setTimeout(r, 3_000));
    return seats.every(shown);
  }, 600_000, 'statuses on every seat').catch((e: Error) => problems.push(e.message));
  for (const s of seats) {
    for (const id of ids) {
      for (const [key, e] of Object.entries((s.replica.ticket(id) as Ticket).outbox)) {
        const d = deadById.get(deliveryId(id, key));
        const want = d ? d.outcome : 'sent';
        if (e.status !== want) problems.push(`${s.user}: ${id} ${key} shows ${e.status}, the server says ${want}`);
      }
    }
  }
  const requests = Object.values(receivers).reduce((n, r) => n + r.requests.length, 0) + smtp.mails.length;
  const report = {
    ok: problems.length === 0, storage: values.storage, effects: expected.size, writtenBy: seats.length, kills: KILLS, seconds: Math.round(elapsed),
    perSecond: Math.round(expected.size / elapsed), ...byOutcome, requests, resendsWithKey: erp.requests.length + mes.requests.length - erp.applied.length - mes.applied.length,
    duplicatesApplied: [...appliedAt.values()].filter((n) => n > 1).length, problems: problems.length,
  };
  process.stdout.write(`${report.ok ? 'OK' : 'FAILED'} ${JSON.stringify(report)}\n`);
  for (const p of problems.slice(0, 30)) process.stdout.write(`  - ${p}\n`);
  for (const s of seats) await s.stop();
  await srv.stop();
  for (const r of [erp, mes, sms, wecom, smtp]) await r.close();
  pg?.stop();
  return report.ok ? 0 : 1;
}

main().then((code) => process.exit(code), (e: Error) => {
  process.stderr.write(`fault test failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
