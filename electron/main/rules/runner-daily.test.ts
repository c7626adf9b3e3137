import { afterEach, describe, expect, it } from 'vitest';
import { PLAIN_FORM, openTestSeat, type TestSeat } from './test-seat';

let seat: TestSeat;
afterEach(async () => {
  await seat.close();
});

const HOUR = 3_600_000;
const dailyKeys = async (ids: string[]) => {
  const keys: string[] = [];
  for (const id of ids) keys.push(...Object.keys((await seat.call('tickets.get', { id })).ticket.firings).filter((k) => k.startsWith('machine-daily')));
  return keys;
};

async function fourTicketsOfOneMachine(): Promise<string[]> {
  const agent = await seat.as('wang.fang');
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    ids.push((await seat.call('tickets.create', { form: PLAIN_FORM }, agent)).ticket.id);
    seat.now += HOUR;
  }
  return ids;
}

describe('daily automations on the seat', () => {
  it('closes the day at local midnight: a machine with more than 3 tickets that day gets a task and a push to the MES', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const ids = await fourTicketsOfOneMachine();
    expect(await dailyKeys(ids)).toEqual([]);
    seat.setClock('2026-03-04T00:00:01+08:00');
    await seat.waitFor('tickets.changed', (e) => e.ids.includes(ids[3]!));
    await seat.node.rules!.idle();
    const keys = await dailyKeys(ids);
    expect(keys).toHaveLength(4);
    expect(keys.every((k) => k.startsWith('machine-daily@v1/daily:2026-03-03/'))).toBe(true);
    const last = (await seat.call('tickets.get', { id: ids[3]! })).ticket;
    expect(Object.keys(last.outbox).filter((k) => k.includes('machine-daily'))).toEqual([`${keys[3]}/push/mes`]);
    expect(last.firings[keys[3]!]?.tasks).toEqual([{ to: 'zhou.sup', title: '设备当日报修超过3次，安排排查' }]);
    expect(seat.node.store.meta('rules.dailyClosed')).toBe('2026-03-03');
  });

  it('runs on start for the day so far, and not twice for one day', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const ids = await fourTicketsOfOneMachine();
    await seat.reopen();
    await seat.node.rules!.idle();
    const firstRun = await dailyKeys(ids);
    expect(firstRun).toHaveLength(4);
    seat.setClock('2026-03-04T00:00:01+08:00');
    await new Promise((r) => setTimeout(r, 100));
    await seat.node.rules!.idle();
    expect(await dailyKeys(ids)).toEqual(firstRun);
    const history = await seat.call('tickets.history', { id: ids[0]! });
    expect(history.filter((h) => h.summary.includes('machine-daily'))).toHaveLength(1);
  });

  it('runs today’s check for tickets that arrive from other seats, without waiting for a restart', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const ids = await fourTicketsOfOneMachine();
    const tickets = await Promise.all(ids.map(async (id) => (await seat.call('tickets.get', { id })).ticket));
    const first = seat;
    // A second seat that has started (its start-of-day check saw nothing) receives the four.
    seat = await openTestSeat({ now: '2026-03-03T14:00:00+08:00', seat: 'AC' });
    try {
      await seat.node.store.importTickets(tickets, { message: { by: 'sync', seat: 'AB', action: 'import' }, at: seat.now });
      seat.node.ticketsChanged(ids);
      await seat.node.rules!.idle();
      expect((await dailyKeys(ids)).filter((k) => k.startsWith('machine-daily@v1/daily:2026-03-03/'))).toHaveLength(4);
    } finally {
      await first.close();
    }
  });

  it('writes nothing to a ticket cancelled that day (the sync server refuses any change to it but a reopen)', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const agent = await seat.as('wang.fang');
    const ids = [(await seat.call('tickets.create', { form: PLAIN_FORM }, agent)).ticket.id, ...(await fourTicketsOfOneMachine())];
    await seat.call('tickets.transition', { id: ids[0]!, action: 'cancel', input: { reason: '重复报修' } }, agent);
    seat.setClock('2026-03-04T00:00:01+08:00');
    await seat.waitFor('tickets.changed', (e) => e.ids.includes(ids[3]!));
    await seat.node.rules!.idle();
    const cancelled = (await seat.call('tickets.get', { id: ids[0]! })).ticket;
    expect(Object.keys(cancelled.firings).filter((k) => k.startsWith('machine-daily'))).toEqual([]);
    expect(await dailyKeys(ids.slice(1))).toHaveLength(4); // the machine's four open tickets that day fire
  });
});
