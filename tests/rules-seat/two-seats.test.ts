import * as Automerge from '@automerge/automerge';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_TEMPLATE, createTicket, type Ticket } from '../../domain';
import type { RuleBannerList } from '../../electron/contract/ipc';
import { createLocalNode, type LocalNode } from '../../electron/main/node';
import { toTicket } from '../../electron/main/store';
import { BEARING_FORM, PLAIN_FORM } from '../../electron/main/rules/test-seat';

/**
 * Rules on several seats (DESIGN.md §4): two local nodes in their own data folders hold the same
 * ticket (its Automerge bytes carried from one store to the other, as the sync feed will), both
 * fire the same rules at the same time, and their documents merge into one firing and one outbox
 * entry per rule. And a seat with no sync at all raises an SLA banner on time.
 */
interface Seat {
  node: LocalNode;
  dir: string;
  /** The seat's clock is real time shifted by this much (ms). */
  shift: number;
}

const seats: Seat[] = [];
afterEach(async () => {
  for (const s of seats.splice(0)) {
    await s.node.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});

async function openSeat(code: string, at: string): Promise<Seat> {
  const dir = mkdtempSync(join(tmpdir(), `closeloop-seat-${code}-`));
  const seat: Seat = { node: undefined as unknown as LocalNode, dir, shift: Date.parse(at) - Date.now() };
  seat.node = await createLocalNode({ dataDir: dir, seat: code, clock: () => Date.now() + seat.shift, log: () => undefined });
  seats.push(seat);
  return seat;
}

/** Moves a seat's clock to `at` and tells its node (what the host's --clock-file does). */
function setClock(seat: Seat, at: number): void {
  seat.shift = at - Date.now();
  seat.node.clockChanged();
}

/** A new ticket written on `seat` only, without its rules having run (an intake no seat routed yet). */
async function newTicket(seat: Seat, form: Record<string, string>, createdAt: string): Promise<Ticket> {
  const made = createTicket(form, {
    id: '00000000-0000-4000-8000-00000000a001', no: 'MX20260303-AB001', site: 'mx-plant', now: createdAt,
    actor: { user: 'wang.fang', kind: 'agent' }, template: DEMO_TEMPLATE,
  });
  if (!made.ok) throw new Error(made.message);
  return seat.node.store.create(made.ticket, { message: { by: 'wang.fang', seat: seat.node.store.seat, action: 'create' }, at: Date.parse(createdAt) });
}

const bytesOf = async (seat: Seat, id: string) => (await seat.node.store.withDoc(id, (d) => Automerge.save(d)))!;

/** Merges the two seats' documents of a ticket, as Automerge does when they meet. */
async function merged(a: Seat, b: Seat, id: string): Promise<Ticket> {
  const docA = Automerge.load<Record<string, unknown>>(await bytesOf(a, id));
  const docB = Automerge.load<Record<string, unknown>>(await bytesOf(b, id));
  const doc = Automerge.merge(docA, docB);
  const ticket = toTicket(doc);
  Automerge.free(doc);
  Automerge.free(docB);
  return ticket;
}

const perRule = (keys: string[]) => keys.reduce<Record<string, number>>((n, k) => ({ ...n, [k.split('@')[0]!]: (n[k.split('@')[0]!] ?? 0) + 1 }), {});

describe('two seats firing the same rules', () => {
  it('merge into exactly one firing and one outbox entry per rule', async () => {
    const created = '2026-03-03T23:10:00+08:00';
    const a = await openSeat('AB', created);
    const b = await openSeat('CD', created);
    const t = await newTicket(a, BEARING_FORM, created);
    await b.node.store.mergeDoc(await bytesOf(a, t.id));
    b.node.ticketsChanged([t.id]);

    // Both route the new ticket at the same time (neither has seen the other's outcome).
    const [ra, rb] = await Promise.all([
      a.node.rules!.apply(t.id, [{ kind: 'created' }], { announce: true }),
      b.node.rules!.apply(t.id, [{ kind: 'created' }], { announce: true }),
    ]);
    expect(ra.plan?.fired).toEqual([{ rule: 'night-bearing', version: 1 }]);
    expect(rb.plan?.fired).toEqual([{ rule: 'night-bearing', version: 1 }]);

    // Half an hour later, both escalate the ticket nobody accepted — still without meeting.
    const later = Date.parse(created) + 31 * 60_000;
    setClock(a, later);
    setClock(b, later);
    await Promise.all([a.node.rules!.apply(t.id, [{ kind: 'deadline' }], { announce: true }), b.node.rules!.apply(t.id, [{ kind: 'deadline' }], { announce: true })]);

    const m = await merged(a, b, t.id);
    expect(perRule(Object.keys(m.firings))).toEqual({ 'night-bearing': 1, 'dispatch-30m': 1 });
    expect(perRule(Object.keys(m.outbox))).toEqual({ 'night-bearing': 1, 'dispatch-30m': 1 });
    expect(Object.keys(m.outbox).sort()).toEqual([
      'dispatch-30m@v1/deadline/2026-03-03T15:10:00.000Z/notify/sms/zhou.sup',
      'night-bearing@v1/created/2026-03-03T15:10:00.000Z/notify/sms/lin.chief',
    ]);
    expect(m).toMatchObject({ state: 'dispatched', assignee: 'lin.chief', pool: '紧急-机械类', priority: 'P1', stateEnteredAt: '2026-03-03T15:10:00.000Z' });

    // Carried into each store, both seats hold the same document, and it stays one firing each.
    await a.node.store.mergeDoc(await bytesOf(b, t.id));
    await b.node.store.mergeDoc(await bytesOf(a, t.id));
    const heads = async (s: Seat) => s.node.store.withDoc(t.id, (d) => Automerge.getHeads(d).sort());
    expect(await heads(a)).toEqual(await heads(b));
    const again = await a.node.rules!.apply(t.id, [{ kind: 'updated' }, { kind: 'deadline' }], { announce: true });
    expect(again.plan?.fired).toEqual([]);
    const onA = (await a.node.store.read(t.id))!;
    expect(perRule(Object.keys(onA.firings))).toEqual({ 'night-bearing': 1, 'dispatch-30m': 1 });
    expect(perRule(Object.keys(onA.outbox))).toEqual({ 'night-bearing': 1, 'dispatch-30m': 1 });
    // Both seats wrote the same tag list whole, so the merge keeps one (merge-effects.test.ts).
    expect(m.tags).toEqual(['夜间直派']);
    expect(onA.tags).toEqual(['夜间直派']);
  });
});

describe('a seat that is offline', () => {
  it('raises the red banner within a second of the 15-minute breach, with no sync at all', async () => {
    const created = '2026-03-03T10:00:00+08:00';
    const seat = await openSeat('EF', created);
    const t = await newTicket(seat, PLAIN_FORM, created);
    await seat.node.rules!.afterCreate(t);
    expect((await seat.node.handlers['node.status']({}, { session: null })).online).toBe(false);

    const lists: { at: number; list: RuleBannerList }[] = [];
    seat.node.subscribe((name, payload) => {
      if (name === 'rules.banners') lists.push({ at: Date.now(), list: payload as RuleBannerList });
    });
    const dueAt = Date.parse(created) + 15 * 60_000;
    setClock(seat, dueAt - 600); // 0.6 s before the breach, by the seat's clock
    const dueReal = Date.now() + 600;
    const deadline = Date.now() + 5000;
    let red: (typeof lists)[number] | undefined;
    while (!red && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      red = lists.find((l) => l.list.banners.some((b) => b.ticketId === t.id && b.rule === 'accept-15m' && b.color === 'red'));
    }
    expect(red, 'a red banner event').toBeDefined();
    expect(red!.at - dueReal).toBeGreaterThanOrEqual(-20); // not before it is due
    expect(red!.at - dueReal).toBeLessThan(1000);
    const { banners, total } = await seat.node.handlers['rules.banners']({}, { session: null });
    expect(total).toBe(2);
    expect(banners.map((b) => `${b.rule}:${b.color}`)).toEqual(['accept-15m:red', 'accept-10m:yellow']);
  });
});
