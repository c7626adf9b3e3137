import { describe, expect, it } from 'vitest';
import { evaluate } from '../../engine/evaluate';
import { pack, ticket } from '../../testing/fixtures';

/** A one-rule pack whose rule tags the ticket "hit" when `when` holds. */
function holds(when: string, fields: Record<string, unknown>, now = '2026-02-18T22:10:00+08:00'): boolean {
  const p = pack(`routing:\n  - id: r\n    when: ${when}\n    then: { tags: [hit] }\n`);
  return evaluate(p, ticket(fields), { now }).fired.includes('r');
}

describe('keywords leaf', () => {
  it('matches any keyword as a substring of title, description or tags by default', () => {
    expect(holds('{ keywords: { any: [轴承, 异响] } }', { description: '电机轴承过热' })).toBe(true);
    expect(holds('{ keywords: { any: [轴承, 异响] } }', { tags: ['设备异响'] })).toBe(true);
    expect(holds('{ keywords: { any: [轴承, 异响] } }', { title: '打印机卡纸' })).toBe(false);
  });

  it('ignores case and full width', () => {
    expect(holds('{ keywords: { any: [plc] } }', { title: 'ＰＬＣ 通讯中断' })).toBe(true);
  });

  it('requires every keyword of all, across the named fields', () => {
    expect(holds('{ keywords: { all: [电机, 过热] } }', { title: '电机', description: '外壳过热' })).toBe(true);
    expect(holds('{ keywords: { all: [电机, 过热] } }', { title: '电机' })).toBe(false);
  });

  it('rejects a ticket containing a none keyword', () => {
    expect(holds('{ keywords: { any: [异响], none: [测试] } }', { title: '异响' })).toBe(true);
    expect(holds('{ keywords: { any: [异响], none: [测试] } }', { title: '测试工单 异响' })).toBe(false);
  });

  it('searches only the fields named in `in`', () => {
    expect(holds('{ keywords: { any: [轴承], in: [title] } }', { description: '轴承' })).toBe(false);
    expect(holds('{ keywords: { any: [轴承], in: [form.fault_part] } }', { form: { fault_part: '主轴轴承' } })).toBe(true);
  });
});

describe('field leaf', () => {
  it('compares with eq and ne', () => {
    expect(holds('{ field: { name: category, eq: 网络 } }', { category: '网络' })).toBe(true);
    expect(holds('{ field: { name: category, eq: 网络 } }', { category: '系统' })).toBe(false);
    expect(holds('{ field: { name: category, ne: 网络 } }', { category: '系统' })).toBe(true);
  });

  it('tests membership with in, also for tags', () => {
    expect(holds('{ field: { name: urgency, in: [立即处理, 2小时内] } }', { urgency: '2小时内' })).toBe(true);
    expect(holds('{ field: { name: urgency, in: [立即处理, 2小时内] } }', { urgency: '24小时内' })).toBe(false);
    expect(holds('{ field: { name: tags, eq: VIP } }', { tags: ['VIP', '夜间'] })).toBe(true);
  });

  it('checks exists on form answers and empty fields', () => {
    expect(holds('{ field: { name: form.server_ip, exists: false } }', { form: { server_ip: '' } })).toBe(true);
    expect(holds('{ field: { name: form.server_ip, exists: true } }', { form: { server_ip: '10.0.0.8' } })).toBe(true);
    expect(holds('{ field: { name: device, exists: true } }', {})).toBe(false);
  });

  it('compares ranges with gte and lte', () => {
    expect(holds('{ field: { name: priority, lte: P2 } }', { priority: 'P1' })).toBe(true);
    expect(holds('{ field: { name: priority, lte: P2 } }', { priority: 'P3' })).toBe(false);
    expect(holds('{ field: { name: form.loss_rate, gte: 5, lte: 50 } }', { form: { loss_rate: 12 } })).toBe(true);
    expect(holds('{ field: { name: form.loss_rate, gte: 5 } }', { form: { loss_rate: '3' } })).toBe(false);
    expect(holds('{ field: { name: returns, gte: 1 } }', { returns: [{ reason: '缺少服务器IP' }] })).toBe(true);
  });
});

describe('all / any / not', () => {
  it('nests freely', () => {
    const when = '{ all: [ { any: [ { field: { name: category, eq: 网络 } }, { keywords: { any: [断网] } } ] }, { not: { field: { name: urgency, eq: 24小时内 } } } ] }';
    expect(holds(when, { category: '网络', urgency: '立即处理' })).toBe(true);
    expect(holds(when, { title: '车间断网', urgency: '2小时内' })).toBe(true);
    expect(holds(when, { category: '网络', urgency: '24小时内' })).toBe(false);
    expect(holds(when, { category: '硬件' })).toBe(false);
  });
});
