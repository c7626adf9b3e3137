import { describe, expect, it } from 'vitest';
import { STATE_LABELS, TICKET_STATES } from '../../../domain';
import { parsePack } from '../../../rules';
import { sourceTreeRulebook } from './default-source';
import { conditionBrief, slaLabel, slaLabels } from './sla-label';

const P1 = { field: { name: 'priority', eq: 'P1' } };

describe('SLA items in Chinese words', () => {
  it.each([
    [{ state: 'pending_acceptance', after: '15m' }, '待受理超过 15 分钟'],
    [{ state: 'dispatched', after: '30m' }, '已派单 30 分钟未接单'],
    [{ state: 'in_progress', after: '4h', business: true }, '处理中超过 4 小时（工作时间）'],
    [{ state: 'pending_verification', after: '2d' }, '待验收超过 2 天'],
    [{ state: 'pending_acceptance', after: '45s' }, '待受理超过 45 秒'],
    [{ state: 'in_progress', after: '2h', when: P1 }, '处理中超过 2 小时（P1）'],
    [{ state: 'dispatched', after: '90m', business: true, when: P1 }, '已派单 90 分钟未接单（工作时间，P1）'],
    [{ state: 'in_progress', after: '8h', business: false }, '处理中超过 8 小时'],
  ])('says %j as %s', (item, label) => {
    expect(slaLabel(item)).toBe(label);
  });

  it('names every workflow state with the console’s state label', () => {
    for (const state of TICKET_STATES) {
      const label = slaLabel({ state, after: '1h' });
      expect(label.startsWith(STATE_LABELS[state].zh)).toBe(true);
      expect(label).toContain('1 小时');
    }
  });

  it('keeps a state it does not know as written rather than failing', () => {
    expect(slaLabel({ state: 'on_hold', after: '1d' })).toBe('on_hold超过 1 天');
  });

  it.each([
    [P1, 'P1'],
    [{ field: { name: 'priority', in: ['P1', 'P2'] } }, 'P1/P2'],
    [{ field: { name: 'priority', lte: 'P2' } }, '≤ P2'],
    [{ field: { name: 'category', eq: '网络' } }, '类别 网络'],
    [{ field: { name: 'category', ne: '网络' } }, '类别 非 网络'],
    [{ field: { name: 'device', exists: false } }, '无设备'],
    [{ field: { name: 'form.fault_type', eq: '硬件' } }, '表单项 fault_type 硬件'],
    [{ all: [P1, { field: { name: 'category', eq: '网络' } }] }, 'P1、类别 网络'],
    [{ any: [P1, { field: { name: 'urgency', eq: '立即处理' } }] }, 'P1或紧急程度 立即处理'],
    [{ not: P1 }, '非 P1'],
    [{ keywords: { any: ['轴承', '异响'] } }, '含“轴承”/“异响”'],
    [{ keywords: { none: ['测试'], in: ['title'] } }, '不含“测试”'],
    [{ time: { business: true } }, '工作时间内报修'],
    [{ time: { between: ['20:00', '07:59'] } }, '20:00–07:59 报修'],
    [{ time: { days: ['sat', 'sun'] } }, '周六/周日报修'],
    [{ count: { same: ['device'], at_least: 3, within: '7d' } }, '同设备 7 天内 ≥3 张'],
  ])('says the condition %j briefly as %s', (when, brief) => {
    expect(conditionBrief(when)).toBe(brief);
  });

  it('only says there is a condition when it would take more than a few words', () => {
    const long = { all: [P1, { keywords: { any: ['轴承', '异响', '停机风险', '漏油'] } }, { time: { between: ['20:00', '07:59'] } }] };
    expect(conditionBrief(long)).toBeNull();
    expect(slaLabel({ state: 'in_progress', after: '2h', when: long })).toBe('处理中超过 2 小时（有条件）');
    expect(slaLabel({ state: 'in_progress', after: '2h', when: { someday_leaf: {} } })).toBe('处理中超过 2 小时（有条件）');
  });

  it('labels every SLA item of the seed pack by its id', () => {
    const { seed, calendars } = sourceTreeRulebook();
    expect(Object.fromEntries(slaLabels(parsePack(seed.text, { file: seed.file, calendars })))).toEqual({
      'accept-10m': '待受理超过 10 分钟',
      'accept-15m': '待受理超过 15 分钟',
      'dispatch-30m': '已派单 30 分钟未接单',
      'first-response-2h-p1': '处理中超过 2 小时（P1）',
      'first-response-4h': '处理中超过 4 小时（工作时间）',
    });
  });
});
