import { describe, expect, it } from 'vitest';
import { IncrementalDashboard, metricsConfig, stuckTickets, waitingForResponse } from './index';
import { NOW, SITE } from './testing/fixture';

const config = metricsConfig('Asia/Shanghai');
const now = Date.parse(NOW);
const H = 3_600_000;
const directory = {
  people: [{ id: 'lin.chief', teams: ['mechanical'] }, { id: 'liu.tech', teams: ['it'] }, { id: 'zhao.tech', teams: ['electrical', 'it'] }],
  areas: { east: ['1号楼', '3号楼'], west: ['2号楼', '4号楼'] },
};

describe('where is it stuck', () => {
  it('lists every open ticket by stage, longest first, with its time in stage', () => {
    const v = stuckTickets(SITE, now, config);
    expect(v.entries.map((e) => [e.ticket.id, e.stage, e.msInStage! / H, e.late])).toEqual([
      ['D', 'created_assigned', 18, true],
      ['E', 'created_assigned', 1, false],
      ['B', 'accepted_firstResponse', 45.25, true],
      ['I', 'firstResponse_arrived', 20, true],
      ['K', 'firstResponse_arrived', 8.5, true],
    ]);
    expect(v).toMatchObject({ total: 5, late: 4, byStage: { created_assigned: 2, accepted_firstResponse: 1, firstResponse_arrived: 2, none: 0 } });
  });

  it('filters by person, team, area and pool', () => {
    const ids = (f: Parameters<typeof stuckTickets>[3]) => stuckTickets(SITE, now, config, f, directory).entries.map((e) => e.ticket.id);
    expect(ids({ assignee: 'lin.chief' })).toEqual(['B']);
    expect(ids({ assignee: null })).toEqual(['D', 'E']);
    expect(ids({ team: 'it' })).toEqual(['I', 'K']);
    expect(ids({ area: 'west' })).toEqual(['E', 'I', 'K']);
    expect(ids({ area: 'east' })).toEqual(['B']);
    expect(ids({ pool: '网络' })).toEqual(['K']);
    expect(ids({ area: 'west', stage: 'firstResponse_arrived' })).toEqual(['I', 'K']);
  });

  it('puts an open ticket whose milestones show no waiting stage under "none"', () => {
    const reopened = { ...SITE[0]!, id: 'R', state: 'in_progress' as const }; // A, reopened after verification
    const v = stuckTickets([reopened], now, config);
    expect(v.entries).toEqual([{ ticket: reopened, stage: null, since: null, msInStage: null, thresholdMs: null, late: false }]);
    expect(v.byStage.none).toBe(1);
  });
});

describe('今日待响应 (waiting for a response now)', () => {
  it('counts open tickets with no first response, and those created today', () => {
    const w = waitingForResponse(SITE, now, config);
    expect(w.entries.map((e) => e.ticket.id)).toEqual(['D', 'E', 'B']);
    expect(w).toMatchObject({ total: 3, late: 2, createdToday: 1 });
  });

  it('is the same on the dashboard', () => {
    const d = new IncrementalDashboard(SITE, config, now);
    expect(d.waitingForResponse(now)).toEqual(waitingForResponse(SITE, now, config));
    expect(d.stuck(now, { team: 'it' }, directory)).toEqual(stuckTickets(SITE, now, config, { team: 'it' }, directory));
  });
});
