import { describe, expect, it } from 'vitest';
import { currentStage, ticketStages } from './breakpoints';

const t0 = Date.parse('2026-02-18T22:00:00+08:00');
const at = (min: number) => new Date(t0 + min * 60_000).toISOString();

describe('breakpoints (stage gaps)', () => {
  it('measures finished stages and flags the ones past their threshold', () => {
    const s = ticketStages({ state: 'in_progress', milestones: { created: at(0), assigned: at(150), accepted: at(160) } }, t0 + 200 * 60_000);
    expect(s[0]).toEqual({ stage: 'created_assigned', status: 'done', ms: 150 * 60_000, late: true });
    expect(s[1]).toEqual({ stage: 'assigned_accepted', status: 'done', ms: 10 * 60_000, late: false });
    expect(s[2]).toEqual({ stage: 'accepted_firstResponse', status: 'waiting', ms: 40 * 60_000, late: false });
    expect(s[3]).toEqual({ stage: 'firstResponse_arrived', status: 'not_reached' });
  });
  it('counts exactly the threshold as on time (≤) and one millisecond more as late', () => {
    const two = 2 * 3_600_000;
    expect(ticketStages({ state: 'dispatched', milestones: { created: at(0), assigned: at(120) } }, t0)[0]).toMatchObject({ late: false });
    expect(ticketStages({ state: 'pending_acceptance', milestones: { created: at(0) } }, t0 + two + 1)[0]).toMatchObject({ status: 'waiting', late: true });
  });
  it('says where an open ticket is stuck, across midnight', () => {
    expect(currentStage({ state: 'pending_acceptance', milestones: { created: at(0) } }, t0 + 130 * 60_000)).toEqual({ stage: 'created_assigned', ms: 130 * 60_000, late: true });
  });
  it('does not count a cancelled ticket as waiting', () => {
    expect(currentStage({ state: 'cancelled', milestones: { created: at(0) } }, t0 + 999 * 60_000)).toBeNull();
  });
  it('waits for archive after a closed ticket is verified', () => {
    expect(currentStage({ state: 'closed', milestones: { created: at(0), verified: at(10) } }, t0 + 60 * 60_000)?.stage).toBe('verified_archived');
  });
});
