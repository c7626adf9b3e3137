import { describe, expect, it } from 'vitest';
import { parsePack } from '../../../rules';
import { sourceTreeRulebook } from './default-source';
import { judgeableOnRows, packViews } from './pack-views';

describe('pack views for the seat runner', () => {
  it('knows which conditions a projection row can judge', () => {
    expect(judgeableOnRows(undefined)).toBe(true);
    expect(judgeableOnRows({ field: { name: 'priority', eq: 'P1' } })).toBe(true);
    expect(judgeableOnRows({ all: [{ count: { same: ['device', 'category'] } }, { time: { between: ['20:00', '07:59'] } }] })).toBe(true);
    expect(judgeableOnRows({ keywords: { any: ['轴承'] } })).toBe(false); // default fields include the description
    expect(judgeableOnRows({ keywords: { any: ['轴承'], in: ['title', 'tags'] } })).toBe(true);
    expect(judgeableOnRows({ not: { field: { name: 'form.fault_type', eq: '网络' } } })).toBe(false);
    expect(judgeableOnRows({ someday_leaf: {} })).toBe(false);
  });

  it('splits the seed pack into what timers and daily runs evaluate', () => {
    const { seed, calendars } = sourceTreeRulebook();
    const v = packViews(parsePack(seed.text, { file: seed.file, calendars }));
    expect(v.sla.routing).toEqual([]);
    expect(v.sla.automations).toEqual([]);
    expect(v.sla.sla.map((r) => r.id)).toEqual(v.full.sla.map((r) => r.id));
    expect(v.daily.automations.map((a) => a.id)).toEqual(['machine-daily']);
    expect(v.dailyOnRows).toBe(true);
    expect([...v.slaRowExact]).toEqual(v.full.sla.map((r) => r.id));
    expect(v.versions.get('night-bearing')).toBe(1);
  });
});
