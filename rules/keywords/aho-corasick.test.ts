import { describe, expect, it } from 'vitest';
import { AhoCorasick } from './aho-corasick';
import { KeywordDictionary } from './matcher';
import { normalizeText } from './normalize';

describe('Aho–Corasick keyword automaton', () => {
  it('finds overlapping and nested keywords in one pass', () => {
    const ac = new AhoCorasick(['he', 'she', 'his', 'hers']);
    expect(ac.findAll('ushers').sort()).toEqual([0, 1, 3]);
  });

  it('finds Chinese keywords without word boundaries', () => {
    const ac = new AhoCorasick(['轴承', '异响', '停机风险', '风险']);
    expect(ac.findAll('电机轴承有异响，有停机风险').sort()).toEqual([0, 1, 2, 3]);
    expect(ac.findAll('一切正常')).toEqual([]);
  });

  it('reports each keyword once however often it occurs', () => {
    const ac = new AhoCorasick(['异响']);
    expect(ac.findAll('异响异响异响')).toEqual([0]);
  });

  it('follows failure links past a partial match', () => {
    const ac = new AhoCorasick(['abcd', 'bcx']);
    expect(ac.findAll('abcx')).toEqual([1]);
  });

  it('matches full-width text after NFKC and lower case', () => {
    const dict = new KeywordDictionary();
    const id = dict.add('PLC');
    const wifi = dict.add('wifi');
    expect(normalizeText('ＰＬＣ故障')).toBe('plc故障');
    expect(dict.scan('ＰＬＣ故障，ＷｉＦｉ断开')).toEqual([id, wifi]);
  });

  it('gives one id to keywords that normalise the same', () => {
    const dict = new KeywordDictionary();
    expect(dict.add('ＰＬＣ')).toBe(dict.add('plc'));
    expect(dict.size).toBe(1);
  });

  it('scans in time that does not grow with the number of keywords', () => {
    const few = new AhoCorasick(['轴承']);
    const many = new AhoCorasick(Array.from({ length: 20_000 }, (_, i) => `设备${i}号故障`));
    const text = '电机轴承有异响，有停机风险'.repeat(50);
    // fastest of several trials, so a busy machine does not decide the outcome
    const time = (ac: AhoCorasick): number => {
      let best = Infinity;
      for (let trial = 0; trial < 7; trial++) {
        const start = performance.now();
        for (let i = 0; i < 50; i++) ac.findAll(text);
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    time(few);
    time(many);
    expect(time(many)).toBeLessThan(time(few) * 4 + 2);
  });
});
