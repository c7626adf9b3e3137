import { describe, expect, it } from 'vitest';
import { conditionBrief, slaLabel } from './sla-label';

/**
 * A `not:` over several conditions, and an `any:` inside an `all:` (or the other way round), were
 * said without grouping, so the label read as a different condition (found in review).
 */
const P1 = { field: { name: 'priority', eq: 'P1' } };
const SAFETY = { field: { name: 'category', eq: '安全' } };
const NETWORK = { field: { name: 'category', eq: '网络' } };

describe('SLA labels keep the meaning of a compound condition', () => {
  it('does not say "not (P1 or 安全)" as "非 P1或类别 安全" (read: non-P1, or 安全)', () => {
    // The usual "every other ticket" item next to special P1 and safety items.
    const label = slaLabel({ state: 'in_progress', after: '4h', when: { not: { any: [P1, SAFETY] } } });
    expect(label).not.toBe('处理中超过 4 小时（非 P1或类别 安全）');
  });

  it('does not say "not (P1 and 网络)" as "非 P1、类别 网络" (read: non-P1 and 网络)', () => {
    expect(conditionBrief({ not: { all: [P1, NETWORK] } })).not.toBe('非 P1、类别 网络');
  });

  it('says not-any and not-all the way round (非 P1、非类别 安全 / 非 P1或非类别 网络), and 含 as 不含', () => {
    expect(conditionBrief({ not: { any: [P1, SAFETY] } })).toBe('非 P1、非类别 安全');
    expect(conditionBrief({ not: { all: [P1, NETWORK] } })).toBe('非 P1或非类别 网络');
    expect(conditionBrief({ not: { keywords: { any: ['轴承'] } } })).toBe('不含“轴承”');
    expect(slaLabel({ state: 'in_progress', after: '4h', when: { not: { any: [P1, SAFETY] } } })).toBe('处理中超过 4 小时（非 P1、非类别 安全）');
  });

  it('only says that a condition nested deeper exists (words have no brackets to group it)', () => {
    // b and c mean different things (b holds for a P3 safety ticket, c does not): neither may read as the other.
    for (const when of [{ all: [{ any: [P1, NETWORK] }, SAFETY] }, { any: [{ all: [P1, NETWORK] }, SAFETY] }, { all: [P1, { any: [NETWORK, SAFETY] }] }]) {
      expect(conditionBrief(when)).toBeNull();
      expect(slaLabel({ state: 'in_progress', after: '4h', when })).toBe('处理中超过 4 小时（有条件）');
    }
  });

  it('says keywords any: and all: of more than three words differently', () => {
    const words = ['轴承', '异响', '停机风险', '漏油'];
    // any: one of the four words; all: every one of them. Both read "含“轴承”等 4 个词".
    expect(conditionBrief({ keywords: { any: words } })).not.toBe(conditionBrief({ keywords: { all: words } }));
  });
});
