import { describe, expect, it } from 'vitest';
import { TextIndex, termGrams, textGrams } from './text-index';

const sorted = (ids: string[] | null) => (ids === null ? null : [...ids].sort());

describe('the text index', () => {
  it('keeps bigrams and single Chinese characters, never across the field separator', () => {
    expect([...textGrams('ab\u0001轴承')].sort()).toEqual(['ab', '承', '轴', '轴承'].sort());
    expect(termGrams('3号楼')).toEqual(['3号', '号楼']);
    expect(termGrams('轴')).toEqual(['轴']);
    expect(termGrams('a')).toBeNull();
  });

  it('narrows a term to the rows that have every gram, and gives up on a single ASCII character', () => {
    const index = new TextIndex<string>();
    index.set('a', 'mx-0001\u0001主轴轴承异响\u00013号楼/2单元', 'a');
    index.set('b', 'mx-0002\u0001卫生间漏水\u00015号楼/1单元', 'b');
    index.set('c', 'mx-0003\u0001空调不制冷\u00013号楼/1单元', 'c');
    expect(sorted(index.candidates(['轴承']))).toEqual(['a']);
    expect(sorted(index.candidates(['3号楼']))).toEqual(['a', 'c']);
    expect(sorted(index.candidates(['3号楼', '空调']))).toEqual(['c']);
    expect(sorted(index.candidates(['漏']))).toEqual(['b']);
    expect(index.candidates(['冰箱'])).toEqual([]);
    expect(index.candidates(['x'])).toBeNull();
    expect(sorted(index.candidates(['x', 'mx-0002']))).toEqual(['b']);
  });

  it('hands back what it was given for the row, once, and never a removed row', () => {
    const index = new TextIndex<{ no: string }>();
    const a = { no: 'A' };
    index.set('a', '主轴轴承', { no: 'old' });
    index.set('a', '主轴轴承', a);
    index.set('b', '轴承座', { no: 'B' });
    expect(index.candidates(['轴承'])?.map((x) => x.no).sort()).toEqual(['A', 'B']);
    index.remove('b');
    expect(index.candidates(['轴承'])).toEqual([a]);
    expect(index.candidates(['轴承'])).toEqual([a]); // marks from the last query do not leak into the next
  });

  it('says when its candidates are exact: one bigram or one Chinese character per term, nothing stale', () => {
    const index = new TextIndex<string>();
    index.set('a', '主轴轴承异响', 'a');
    expect(index.lookup(['轴承'])).toEqual({ items: ['a'], exact: true });
    expect(index.lookup(['轴'])?.exact).toBe(true);
    expect(index.lookup(['主轴轴承'])?.exact).toBe(false);
    expect(index.lookup(['轴承', 'x'])?.exact).toBe(false);
    for (let i = 0; i < 100; i++) index.set(`r${i}`, i % 2 ? '异响' : '轴承', `r${i}`);
    expect(index.lookup(['轴承', '异响'])?.exact).toBe(false); // few survive the first list: the second is left to includes
    index.set('a', '卫生间漏水', 'a');
    expect(index.lookup(['漏水'])?.exact).toBe(false); // stale postings may point at a row that lost the gram
  });

  it('forgets nothing when a text changes, and lists a row once after its gram comes back', () => {
    const index = new TextIndex<string>();
    index.set('a', '主轴轴承异响', 'a');
    index.set('a', '卫生间漏水', 'a');
    expect(sorted(index.candidates(['漏水']))).toEqual(['a']);
    expect(index.staleCount).toBeGreaterThan(0);
    index.set('a', '主轴轴承异响 漏水', 'a');
    expect(index.candidates(['轴承'])).toEqual(['a']);
    expect(index.candidates(['漏水'])).toEqual(['a']);
  });

  it('drops stale postings once they pile up and still finds every row', () => {
    const index = new TextIndex<string>(100);
    for (let i = 0; i < 50; i++) index.set(`r${i}`, `固定文字${i}`, `r${i}`);
    for (let round = 0; round < 400; round++) index.set('r0', `第${round}轮的描述文字${round}`, 'r0');
    expect(index.staleCount).toBeLessThan(400); // without rebuilds: about 2,000
    expect(index.candidates(['第399轮'])).toEqual(['r0']);
    expect(index.candidates(['第5轮'])).toEqual([]); // its postings went with a rebuild
    expect(sorted(index.candidates(['固定']))?.length).toBe(49);
  });

  it('answers null past the limit, so the caller takes its ordered pass instead', () => {
    const index = new TextIndex<string>();
    for (let i = 0; i < 100; i++) index.set(`r${i}`, `号楼${i}`, `r${i}`);
    expect(index.candidates(['号楼'], 10)).toBeNull();
    expect(index.candidates(['号楼'])?.length).toBe(100);
  });
});
