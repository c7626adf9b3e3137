import * as Automerge from '@automerge/automerge';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, DEMO_TEMPLATE, auditTrail, createTicket, type Ticket } from '../../domain';
import { Rulebook, SeatRunner, sourceTreeRulebook } from '../../electron/main/rules';
import { fromTicket } from '../../electron/main/rules/rule-ticket';
import { memoryBacking, openMemoryTicketStore, type TicketStore } from '../../electron/main/store';

/**
 * Every effect a firing writes into a ticket document merges into one (DESIGN.md §4, §5): two
 * seats, each with its own store and rule runner and no link between them, fire the same rules on
 * the same ticket — routing with skip_dispatch (a transition, its audit line, a tag, an SMS), a
 * repeat-device automation (a tag, a task, a push) and a 30-minute escalation (an SMS) — and after
 * their documents merge, in either direction, there is one of each.
 */
interface Seat {
  store: TicketStore;
  runner: SeatRunner;
  now: number;
}

const seats: Seat[] = [];
afterEach(async () => {
  for (const s of seats.splice(0)) {
    await s.runner.stop();
    await s.store.close();
  }
});

async function openSeat(code: string, at: string): Promise<Seat> {
  const store = await openMemoryTicketStore(memoryBacking(), { seat: code });
  const rulebook = Rulebook.open(store, sourceTreeRulebook(), DEMO_PEOPLE);
  const seat: Seat = { store, now: Date.parse(at), runner: undefined as unknown as SeatRunner };
  seat.runner = new SeatRunner({ store, rulebook, clock: () => seat.now, emit: () => undefined, changed: () => undefined, log: () => undefined });
  seats.push(seat);
  return seat;
}

const FORM = {
  title: '3号机床主轴停转', requester_name: '张三', requester_phone: '13812345678', area: '公共区域',
  location: '3号楼/2单元/1502', device: 'CNC-07', fault_type: '硬件', description: '主轴轴承有明显的金属摩擦声',
  urgency: '立即处理', owner_cooperation: '否', faulty_part: '主轴轴承',
};

function made(n: number, createdAt: string): Ticket {
  const r = createTicket(FORM, {
    id: `00000000-0000-4000-8000-00000000b00${n}`, no: `MX20260303-AB00${n}`, site: 'mx-plant', now: createdAt,
    actor: { user: 'wang.fang', kind: 'agent' }, template: DEMO_TEMPLATE,
  });
  if (!r.ok) throw new Error(r.message);
  return r.ticket;
}

const bytesOf = async (s: Seat, id: string) => (await s.store.withDoc(id, (d) => Automerge.save(d)))!;
const countBy = <T>(items: readonly T[], key: (x: T) => string) =>
  items.reduce<Record<string, number>>((n, x) => ({ ...n, [key(x)]: (n[key(x)] ?? 0) + 1 }), {});

/** The effects of the rules in a ticket document, counted as its readers count them. */
function effects(t: Ticket) {
  const tasks = Object.values(t.firings).flatMap((f) => (f.tasks ?? []).map((x) => `${f.rule}:${x.to}:${x.title}`));
  return {
    firings: countBy(Object.values(t.firings), (f) => f.rule),
    outbox: countBy(Object.values(t.outbox), (e) => `${e.rule}:${e.channel}:${e.to}`),
    tasks: countBy(tasks, (x) => x),
    tags: countBy(t.tags, (x) => x),
    automatedAudit: countBy(auditTrail(t.audit).filter((e) => e.kind === 'automation'), (e) => `${e.action}:${e.rule}`),
  };
}

const SINGLE = {
  firings: { 'night-bearing': 1, 'repeat-device': 1, 'dispatch-30m': 1 },
  outbox: { 'night-bearing:sms:lin.chief': 1, 'repeat-device:push:crm': 1, 'dispatch-30m:sms:zhou.sup': 1 },
  tasks: { 'repeat-device:zhou.sup:安排技术拜访': 1 },
  tags: { 夜间直派: 1, 红色预警: 1 },
  automatedAudit: { 'dispatch:night-bearing@v1': 1 },
};

async function bothFire(): Promise<{ a: Seat; b: Seat; id: string }> {
  const created = '2026-03-03T23:10:00+08:00';
  const a = await openSeat('AB', created);
  const b = await openSeat('CD', created);
  // The device failed twice this week already: both seats know (their counts come from their rows).
  for (const s of [a, b]) for (const t of [made(1, '2026-03-01T09:00:00+08:00'), made(2, '2026-03-02T09:00:00+08:00')]) s.runner.history.upsert(fromTicket(t));
  const t = made(3, created);
  await a.store.create(t, { message: { by: 'wang.fang', seat: 'AB', action: 'create' }, at: Date.parse(created) });
  await b.store.mergeDoc(await bytesOf(a, t.id));

  // Both route the new ticket, neither having seen the other's outcome…
  const [ra, rb] = await Promise.all([a.runner.apply(t.id, [{ kind: 'created' }], { announce: false }), b.runner.apply(t.id, [{ kind: 'created' }], { announce: false })]);
  for (const r of [ra, rb]) expect(r.plan?.fired.map((f) => f.rule)).toEqual(['night-bearing', 'repeat-device']);
  // …and both escalate it when nobody accepted it in 30 minutes, a minute apart.
  a.now = Date.parse(created) + 31 * 60_000;
  b.now = Date.parse(created) + 32 * 60_000;
  await Promise.all([a.runner.apply(t.id, [{ kind: 'deadline' }], { announce: false }), b.runner.apply(t.id, [{ kind: 'deadline' }], { announce: false })]);
  for (const s of [a, b]) expect(effects((await s.store.read(t.id))!)).toEqual(SINGLE);
  return { a, b, id: t.id };
}

describe('two seats firing the same rules on the same ticket, then merging', () => {
  it('leave one firing, audit line, tag, task and outbox entry per rule, whichever way they merge', async () => {
    const { a, b, id } = await bothFire();
    const fromB = await bytesOf(b, id);
    const fromA = await bytesOf(a, id);
    const onA = await a.store.mergeDoc(fromB);
    const onB = await b.store.mergeDoc(fromA);

    expect(effects(onA)).toEqual(SINGLE);
    expect(effects(onB)).toEqual(SINGLE);
    expect(onA).toEqual(onB);
    expect(onA).toMatchObject({ state: 'dispatched', assignee: 'lin.chief', pool: '紧急-机械类', priority: 'P1', tags: ['夜间直派', '红色预警'] });
    const heads = (s: Seat) => s.store.withDoc(id, (d) => Automerge.getHeads(d).sort());
    expect(await heads(a)).toEqual(await heads(b));
  });

  it('keeps the audit trail append-only: both seats’ lines stay, and readers see one per firing', async () => {
    const { a, b, id } = await bothFire();
    const merged = await a.store.mergeDoc(await bytesOf(b, id));
    const dispatches = merged.audit.filter((e) => e.action === 'dispatch');
    expect(dispatches).toHaveLength(2); // the server refuses a change that removes audit entries
    expect(new Set(dispatches.map((e) => e.firing))).toEqual(new Set(['night-bearing@v1/created/2026-03-03T15:10:00.000Z']));
    expect(auditTrail(merged.audit).map((e) => e.action)).toEqual(['create', 'dispatch']);
  });

  it('writes nothing more when either seat evaluates the merged ticket again', async () => {
    const { a, b, id } = await bothFire();
    await a.store.mergeDoc(await bytesOf(b, id));
    const again = await a.runner.apply(id, [{ kind: 'updated' }, { kind: 'deadline' }], { announce: false });
    expect(again.plan?.changed).toBe(false);
  });

  it('restores a tag a concurrent whole-list write of another rule replaced, from the ledger', async () => {
    const { a, b, id } = await bothFire();
    await b.store.mergeDoc(await bytesOf(a, id));
    // Then B writes a list without 红色预警 (as another rule's concurrent write would have won).
    await b.store.update(id, (t) => ({ ticket: { ...t, tags: ['夜间直派', '其他'] }, rewrite: ['tags'], message: { by: 'automation', seat: 'CD', action: 'rules:other@v1' }, at: b.now }));
    expect((await a.store.mergeDoc(await bytesOf(b, id))).tags).toEqual(['夜间直派', '其他']);
    const { ticket } = await a.runner.apply(id, [{ kind: 'deadline' }], { announce: false });
    expect(ticket!.tags).toEqual(['夜间直派', '其他', '红色预警']);
  });
});
