import { afterEach, describe, expect, it } from 'vitest';
import { sourceTreeRulebook } from './default-source';
import { judgeableOnRowsPack, windowStart } from './simulation';
import { BEARING_FORM, PLAIN_FORM, openTestSeat, type TestSeat } from './test-seat';
import { parsePack } from '../../../rules';

let seat: TestSeat;
afterEach(async () => {
  await seat.close();
});

const SEED = sourceTreeRulebook().seed.text;
const WITHOUT_NIGHT = SEED.replace(/ {2}- id: night-bearing[\s\S]*?(?= {2}- id: day-mechanical)/, '');
const DAY = 86_400_000;

/** Three weeks of tickets on one seat: a night bearing ticket (routed to the night chief), a day one, a plain one. */
async function pastTickets(): Promise<TestSeat> {
  const s = await openTestSeat({ now: '2026-03-03T23:10:00+08:00' });
  const agent = await s.as('wang.fang');
  const night = await s.call('tickets.create', { form: BEARING_FORM }, agent);
  s.setClock('2026-03-04T10:00:00+08:00');
  await s.call('tickets.create', { form: PLAIN_FORM }, agent);
  s.setClock('2026-03-05T10:00:00+08:00');
  await s.call('tickets.create', { form: { ...PLAIN_FORM, title: '打印机卡纸' } }, agent);
  // The night chief accepts 40 minutes after the rule dispatched it: the 30-minute escalation fired.
  s.setClock(Date.parse('2026-03-03T23:50:00+08:00'));
  await s.call('tickets.transition', { id: night.ticket.id, action: 'accept' }, await s.as('lin.chief'));
  s.setClock('2026-03-20T10:00:00+08:00');
  return s;
}

describe('rulebook.simulate: a draft over the seat’s past tickets', () => {
  it('says in Chinese what a draft without night routing would have changed, against the version in force', async () => {
    seat = await pastTickets();
    const sup = await seat.as('zhou.sup');
    const sim = await seat.call('rulebook.simulate', { yaml: WITHOUT_NIGHT, since: '30d' }, sup);
    expect(sim).toMatchObject({ replayed: 3, changedTotal: 1, against: { version: 0 }, source: 'documents', to: '2026-03-20T02:00:00.000Z' });
    expect(sim.from).toBe(new Date(Date.parse('2026-03-20T10:00:00+08:00') - 30 * DAY).toISOString());
    const [change] = sim.changed;
    expect(change).toMatchObject({ no: expect.stringMatching(/^MX20260303-/), title: '3号机床主轴停转' });
    expect(change!.changes).toContain('队列：紧急-机械类 → 综合受理');
    expect(change!.changes).toContain('优先级：P1 → P2');
    expect(change!.changes).toContain('标签：−夜间直派');
    expect(change!.changes).toContain('跳过人工派单：是 → 否');
    expect(change!.changes.some((l) => l.startsWith('处理人：林师傅 → '))).toBe(true);
    const tally = (rule: string) => sim.rules.find((r) => r.rule === rule);
    expect(tally('night-bearing')).toEqual({ rule: 'night-bearing', kind: 'routing', draft: 0, current: 1 });
    expect(tally('dispatch-30m')).toMatchObject({ kind: 'sla', current: 1 });
    expect(sim.notifications.find((n) => n.channel === 'sms')?.current).toBeGreaterThan(0);
  });

  it('reports progress, and leaves the tickets and the rulebook as they were', async () => {
    seat = await pastTickets();
    const admin = await seat.as('admin');
    const before = seat.node.store.rows().map((r) => r.updatedAt);
    await seat.call('rulebook.simulate', { yaml: WITHOUT_NIGHT, since: '7d' }, admin);
    const progress = seat.events.filter((e) => e.name === 'rulebook.simulation').map((e) => e.payload);
    if (progress.length) expect(progress.at(-1)).toEqual({ done: 0, total: 0 }); // nothing created in the last 7 days
    const sim = await seat.call('rulebook.simulate', { yaml: SEED, since: '2026-03-01T00:00:00+08:00' }, admin);
    expect(sim).toMatchObject({ replayed: 3, changedTotal: 0, changed: [] });
    expect(seat.node.store.rows().map((r) => r.updatedAt)).toEqual(before);
    expect((await seat.call('rulebook.get', {})).current.version).toBe(0);
  });

  it('keeps the node answering while it replays, and runs one at a time', async () => {
    seat = await openTestSeat({ now: '2026-03-20T10:00:00+08:00' });
    await seat.node.seedDemo({ count: 800, seed: 4 });
    const admin = await seat.as('admin');
    const run = seat.call('rulebook.simulate', { yaml: WITHOUT_NIGHT, since: '30d' }, admin);
    expect((await seat.refusal('rulebook.simulate', { yaml: WITHOUT_NIGHT, since: '30d' }, admin)).code).toBe('conflict');
    let done = false;
    const waits: number[] = [];
    void run.finally(() => { done = true; });
    while (!done) {
      const asked = performance.now();
      await seat.call('node.status', {});
      waits.push(performance.now() - asked);
      await new Promise((r) => setTimeout(r, 20));
    }
    const sim = await run;
    expect(sim.replayed).toBeGreaterThan(700);
    expect(waits.length).toBeGreaterThan(3); // answered while the replay ran
    expect(Math.max(...waits)).toBeLessThan(1500);
  }, 60_000);

  it('refuses a broken draft, a bad window and people who may not run it', async () => {
    seat = await pastTickets();
    const admin = await seat.as('admin');
    const broken = await seat.refusal('rulebook.simulate', { yaml: SEED.replace('pool: 紧急-机械类', 'pol: 紧急-机械类'), since: '30d' }, admin);
    expect(broken).toMatchObject({ code: 'bad_request', field: 'yaml' });
    expect(broken.message).toContain('rulebook.yaml: routing[0] (night-bearing) .then.pol: unknown key');
    expect(await seat.refusal('rulebook.simulate', { yaml: SEED, since: 'last month' }, admin)).toMatchObject({ code: 'bad_request', field: 'since' });
    expect((await seat.refusal('rulebook.simulate', { yaml: SEED, since: '30d' }, await seat.as('wang.fang'))).code).toBe('not_allowed');
  });
});

describe('the window and the source of a dry run', () => {
  it('reads 30d, 7d and ISO instants', () => {
    const now = Date.parse('2026-03-20T10:00:00+08:00');
    expect(windowStart('30d', now)).toBe(now - 30 * DAY);
    expect(windowStart('7d', now)).toBe(now - 7 * DAY);
    expect(windowStart('2026-03-01T00:00:00+08:00', now)).toBe(Date.parse('2026-03-01T00:00:00+08:00'));
    expect(() => windowStart('2026-04-01T00:00:00+08:00', now)).toThrow(/before now/);
  });

  it('judges on rows when no condition reads the description or form answers', () => {
    const calendars = sourceTreeRulebook().calendars;
    expect(judgeableOnRowsPack(parsePack(SEED, { calendars }))).toBe(false); // keywords in the description
    const rowsOnly = 'version: 1\nsite: { timezone: Asia/Shanghai }\nrouting:\n  - { id: net, when: { field: { name: category, eq: 网络 } }, then: { pool: IT } }\n';
    expect(judgeableOnRowsPack(parsePack(rowsOnly))).toBe(true);
  });
});
