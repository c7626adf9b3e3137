import { describe, expect, it } from 'vitest';
import { projectTicket, type TicketRow } from '../../../domain';
import { RowIndex, searchTerms } from './row-index';
import { dispatched, makeTicket } from './test-tickets';

const rows = (): TicketRow[] => [
  projectTicket(makeTicket(1, { title: '主轴轴承异响' })),
  projectTicket(dispatched(makeTicket(2, { title: '卫生间漏水', requester_phone: '13900001111' }), 'lin.chief')),
  projectTicket(makeTicket(3, { title: '空调不制冷', location: '5号楼/1单元/0802' })),
];

describe('row index', () => {
  it('reads the search box the way the rows are written: NFKC, lower case, every word', () => {
    expect(searchTerms('  ＭＸ2026  轴承 ')).toEqual(['mx2026', '轴承']);
    expect(searchTerms(undefined)).toEqual([]);
  });

  it('finds a Chinese substring inside a title', () => {
    const index = new RowIndex();
    index.load(rows());
    expect(index.query({ text: '轴承' }).rows.map((r) => r.title)).toEqual(['主轴轴承异响']);
    expect(index.query({ text: '5号楼 空调' }).total).toBe(1);
    expect(index.query({ text: '0111' }).rows[0]?.title).toBe('卫生间漏水');
  });

  it('lists only the given tickets (the breaching queue), and pages every row without a filter', () => {
    const index = new RowIndex();
    const [a, b, c] = rows() as [TicketRow, TicketRow, TicketRow];
    index.load([a, b, c]);
    expect(index.query({ ids: new Set([a.id, c.id, 'gone']) }).rows.map((r) => r.id).sort()).toEqual([a.id, c.id].sort());
    expect(index.query({ ids: new Set([b.id]), text: '轴承' }).total).toBe(0);
    const all = index.query({});
    expect(all.total).toBe(3);
    expect(index.query({ offset: 1, limit: 1 }).rows).toEqual([all.rows[1]]);
    expect(index.query({ sort: 'createdAt_asc', limit: 5 }).rows).toEqual([...all.rows].reverse());
  });

  it('keeps every index and order right when a row changes', () => {
    const index = new RowIndex();
    const [a, b, c] = rows() as [TicketRow, TicketRow, TicketRow];
    index.load([a, b, c]);
    index.upsert({ ...c, state: 'dispatched', assignee: 'lin.chief', updatedAt: '2026-11-25T00:00:00.000Z' });
    expect(index.query({ assignee: 'lin.chief' }).total).toBe(2);
    expect(index.query({ states: ['pending_acceptance'] }).rows.map((r) => r.id)).toEqual([a.id]);
    expect(index.query({ sort: 'updatedAt_desc', limit: 1 }).rows[0]?.id).toBe(c.id);
    expect(index.query({ assignee: null }).rows.map((r) => r.id)).toEqual([a.id]);
    expect(index.size).toBe(3);
  });

  it('pages a large list in order and counts all matches, whichever path answers', () => {
    const index = new RowIndex();
    const many = Array.from({ length: 400 }, (_, i) => {
      const r = projectTicket(makeTicket(i + 1));
      return i % 50 === 0 ? { ...r, pool: 'it' } : r;
    });
    index.load(many);
    const page = index.query({ offset: 10, limit: 5, sort: 'createdAt_asc' });
    expect(page.total).toBe(400);
    expect(page.rows.map((r) => r.no)).toEqual(many.slice(10, 15).map((r) => r.no));
    const pooled = index.query({ pool: 'it', limit: 3 }); // small candidate set: sorted on its own
    expect(pooled.total).toBe(8);
    expect(pooled.rows.map((r) => r.no)).toEqual([many[350]!.no, many[300]!.no, many[250]!.no]);
  });
});

describe('row index text search at scale', () => {
  const WORDS = ['主轴', '轴承', '异响', '漏水', '空调', '制冷', '电梯', '无法', '启动', '网络', '3号楼', '5号楼', '单元', 'cnc-07', 'srv-01', '138', '139'];
  /** A seeded generator, so a failure repeats. */
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  }

  it('answers every search exactly like a plain scan of the rows, whichever path it takes', () => {
    const r = rng(42);
    const pick = () => WORDS[Math.floor(r() * WORDS.length)]!;
    const many = Array.from({ length: 1200 }, (_, i) => {
      const row = projectTicket(makeTicket(i + 1, { title: `${pick()}${pick()}`, description: `${pick()} ${pick()}${pick()}`, device: r() < 0.1 ? 'SRV-01' : 'CNC-07' }));
      return i % 3 === 0 ? { ...row, state: 'closed' as const } : row;
    });
    const index = new RowIndex();
    index.load(many);
    index.finishTextIndex();
    // Change some texts after loading, so stale postings are in play too.
    for (let i = 0; i < 200; i += 7) index.upsert({ ...many[i]!, search: `${many[i]!.search}\u0001${pick()}无关` });
    const current = many.map((row) => index.get(row.id)!);
    const queries = ['轴承', '号楼', '3号楼 漏水', '轴', '楼', '1', 'c', '138', '主轴轴承', '承异轴', '不存在的词', 'srv', '无关 电梯', 'mx20261124-000'];
    for (const text of queries) {
      for (const states of [undefined, ['closed' as const]]) {
        const want = current.filter((row) => (!states || states.includes(row.state as 'closed')) && searchTerms(text).every((t) => row.search.includes(t)));
        const got = index.query({ text, ...(states ? { states } : {}), limit: 5000 });
        expect(got.total, `${text} ${states ?? ''}`).toBe(want.length);
        expect(got.rows.map((x) => x.id).sort(), text).toEqual(want.map((x) => x.id).sort());
      }
    }
  });

  it('builds the text index after a load without holding the load up, scanning meanwhile', async () => {
    const index = new RowIndex();
    const many = Array.from({ length: 2500 }, (_, i) => projectTicket(makeTicket(i + 1, { title: i === 7 ? '冷却塔风机异响' : '空调不制冷' })));
    index.load(many);
    expect(index.textReady).toBe(false);
    expect(index.query({ text: '风机' }).total).toBe(1); // answered by the scan
    index.upsert({ ...many[9]!, search: `${many[9]!.search}\u0001风机` }); // a change while the build runs
    for (let i = 0; i < 10 && !index.textReady; i++) await new Promise((done) => setImmediate(done));
    expect(index.textReady).toBe(true);
    expect(index.query({ text: '风机' }).rows.map((r) => r.id).sort()).toEqual([many[7]!.id, many[9]!.id].sort());
  });

  it('rejects a row that has every bigram of a term but not the term itself', () => {
    const index = new RowIndex();
    index.load([projectTicket(makeTicket(1, { title: '电梯门无法关闭', description: '门锁', location: '1号楼' }))]);
    index.finishTextIndex();
    expect(index.query({ text: '电梯门锁' }).total).toBe(0);
    expect(index.query({ text: '梯门' }).total).toBe(1);
  });

  it('writes a batch of rows as one by one would: orders, filters and what listeners hear', () => {
    const tickets = Array.from({ length: 40 }, (_, i) => projectTicket(makeTicket(i + 1, { title: i % 2 ? '轴承异响' : '漏水' })));
    const one = new RowIndex();
    const many = new RowIndex();
    const heard: string[] = [];
    many.listen((prev, next) => heard.push(`${prev ? 'changed' : 'new'} ${next.id}`));
    one.load(tickets.slice(0, 10));
    many.load(tickets.slice(0, 10));
    const moved = { ...tickets[3]!, updatedAt: '2030-01-01T00:00:00.000Z', state: 'dispatched' as const };
    const batch = [...tickets.slice(10), moved, { ...tickets[15]!, title: '再次写入' }];
    for (const r of batch) one.upsert(r);
    many.upsertMany(batch);
    for (const q of [{}, { sort: 'updatedAt_desc' as const }, { sort: 'createdAt_asc' as const }, { states: ['dispatched' as const] }, { text: '轴承' }]) {
      expect(many.query({ ...q, limit: 100 })).toEqual(one.query({ ...q, limit: 100 }));
    }
    expect(many.size).toBe(40);
    expect(many.query({ sort: 'updatedAt_desc', limit: 1 }).rows[0]!.id).toBe(moved.id);
    expect(heard).toEqual([...tickets.slice(10).map((t) => `new ${t.id}`), `changed ${moved.id}`, `changed ${tickets[15]!.id}`]);
  });
});
