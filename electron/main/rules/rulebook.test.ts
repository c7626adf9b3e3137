import { afterEach, describe, expect, it } from 'vitest';
import { sourceTreeRulebook } from './default-source';
import { BEARING_FORM, openTestSeat, type TestSeat } from './test-seat';

let seat: TestSeat;
afterEach(async () => {
  await seat.close();
});

const SEED = sourceTreeRulebook().seed.text;
/** The seed pack without its night routing rule (the first routing rule, up to the next one). */
const WITHOUT_NIGHT = SEED.replace(/ {2}- id: night-bearing[\s\S]*?(?= {2}- id: day-mechanical)/, '');

describe('the rulebook', () => {
  it('starts with the built-in seed pack as version 0', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const book = await seat.call('rulebook.get', {});
    expect(book.current).toMatchObject({ version: 0, id: 'seed', name: '演示站点默认规则', publishedBy: null, rules: { routing: 6, sla: 5, automations: 3 } });
    expect(book.yaml).toBe(SEED);
    expect(book.versions.map((v) => v.version)).toEqual([0]);
  });

  it('lets only admins publish', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const err = await seat.refusal('rulebook.publish', { yaml: WITHOUT_NIGHT }, await seat.as('zhou.sup'));
    expect(err.code).toBe('not_allowed');
    expect(err.message).toContain('只有管理员可以发布规则');
    await seat.call('session.signOut', {});
    expect((await seat.refusal('rulebook.publish', { yaml: WITHOUT_NIGHT })).code).toBe('not_signed_in');
    expect((await seat.call('rulebook.get', {})).current.version).toBe(0);
  });

  it('refuses a broken pack with the engine’s message, and keeps the previous one in force', async () => {
    seat = await openTestSeat({ now: '2026-03-03T23:10:00+08:00' });
    const admin = await seat.as('admin');
    const broken = await seat.refusal('rulebook.publish', { yaml: 'version: 1\nrouting: [' }, admin);
    expect(broken).toMatchObject({ code: 'bad_request', field: 'yaml' });
    expect(broken.message).toContain('rulebook.yaml:');
    const unknownKey = await seat.refusal('rulebook.publish', { yaml: SEED.replace('pool: 紧急-机械类', 'pol: 紧急-机械类') }, admin);
    expect(unknownKey.message).toContain('rulebook.yaml: routing[0] (night-bearing) .then.pol: unknown key');
    const window = await seat.refusal('rulebook.publish', { yaml: SEED.replace('between: ["20:00", "07:59"]', 'between: ["25:00", "07:59"]') }, admin);
    expect(window.message).toContain('routing[0] (night-bearing) .when.all[1].time.between[0]');
    const huge = await seat.refusal('rulebook.publish', { yaml: `${SEED}\n# ${'x'.repeat(2_200_000)}\n` }, admin);
    expect(huge.code).toBe('bad_request');
    expect(huge.message).toMatch(/rulebook\.yaml.*(MB|bytes|large)/);
    expect((await seat.call('rulebook.get', {})).current.version).toBe(0);
    const { ticket } = await seat.call('tickets.create', { form: BEARING_FORM }, await seat.as('wang.fang'));
    expect(ticket.assignee).toBe('lin.chief');
  });

  it('publishes a new version that takes effect at once, keeps every version with who and when, over a restart', async () => {
    seat = await openTestSeat({ now: '2026-03-03T23:00:00+08:00' });
    const admin = await seat.as('admin');
    const book = await seat.call('rulebook.publish', { yaml: WITHOUT_NIGHT, note: '夜间不再直派' }, admin);
    expect(book.current).toMatchObject({ version: 1, publishedBy: 'admin', publishedByName: '系统管理员', publishedAt: '2026-03-03T15:00:00.000Z', seat: 'AB', note: '夜间不再直派', rules: { routing: 5 } });
    expect(book.versions.map((v) => v.version)).toEqual([1, 0]);
    expect(seat.events.some((e) => e.name === 'rulebook.changed')).toBe(true);

    seat.now += 10 * 60_000;
    const { ticket } = await seat.call('tickets.create', { form: BEARING_FORM }, await seat.as('wang.fang'));
    expect(ticket).toMatchObject({ state: 'pending_acceptance', assignee: null, pool: '综合受理' });

    seat.now += 60_000;
    await seat.call('rulebook.publish', { yaml: SEED }, admin);
    await seat.reopen();
    const after = await seat.call('rulebook.get', {});
    expect(after.current.version).toBe(2);
    expect(after.yaml).toBe(SEED);
    expect(after.versions.map((v) => [v.version, v.note])).toEqual([[2, null], [1, '夜间不再直派'], [0, null]]);
  });
});
