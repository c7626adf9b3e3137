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
