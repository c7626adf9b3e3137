import { describe, expect, it } from 'vitest';
import { generateDemoTickets, STALL_RATES } from './generator';
import { ticketSchema } from '../ticket';
import { checkCompleteness } from '../forms';
import { DEMO_TEMPLATE } from '../demo-template';

const now = Date.parse('2026-11-24T10:00:00+08:00');
const H = 3_600_000;

describe('demo ticket generator', () => {
  const tickets = generateDemoTickets({ count: 3_000, seed: 42, now });

  it('is deterministic for a seed', () => {
    const again = generateDemoTickets({ count: 50, seed: 42, now });
    expect(again.map((t) => t.no)).toEqual(generateDemoTickets({ count: 50, seed: 42, now }).map((t) => t.no));
    expect(generateDemoTickets({ count: 50, seed: 43, now })[0]!.id).not.toBe(again[0]!.id);
  });
  it('makes valid tickets with complete intake forms and unique numbers', () => {
    for (const t of tickets.slice(0, 300)) {
      expect(ticketSchema.safeParse(t).success).toBe(true);
      expect(checkCompleteness(DEMO_TEMPLATE, t.form).complete).toBe(true);
    }
    expect(new Set(tickets.map((t) => t.no)).size).toBe(tickets.length);
    expect(tickets.every((t) => Date.parse(t.createdAt) <= now)).toBe(true);
  });
  it('shows the field stalls: ~36% unassigned after 2 h, ~21% no first response 4 h after acceptance, ~17% returned', () => {
    const settled = tickets.filter((t) => Date.parse(t.createdAt) < now - 2 * 24 * H && t.state !== 'cancelled');
    const share = (n: number, d: number) => n / d;
    const unassigned = share(settled.filter((t) => !t.milestones.assigned || Date.parse(t.milestones.assigned) - Date.parse(t.createdAt) > 2 * H).length, settled.length);
    const accepted = settled.filter((t) => t.milestones.accepted);
    const slow = share(accepted.filter((t) => !t.milestones.firstResponse || Date.parse(t.milestones.firstResponse) - Date.parse(t.milestones.accepted!) > 4 * H).length, accepted.length);
    const returned = share(settled.filter((t) => t.returns.length > 0).length, settled.length);
    expect(Math.abs(unassigned - STALL_RATES.unassigned2h)).toBeLessThan(0.03);
    expect(Math.abs(slow - STALL_RATES.noFirstResponse4h)).toBeLessThan(0.03);
    expect(Math.abs(returned - STALL_RATES.returned)).toBeLessThan(0.03);
  });
  it('spreads about 187 tickets over each day', () => {
    const days = new Set(tickets.map((t) => t.no.slice(2, 10)));
    expect(tickets.length / days.size).toBeGreaterThan(150);
    expect(tickets.length / days.size).toBeLessThan(200);
  });
});
