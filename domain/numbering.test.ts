import { describe, expect, it } from 'vitest';
import { formatLeasedNo, formatOfflineNo, nextTicketNo, parseTicketNo, NumberingError, type NumberLease } from './numbering';
import { seededRng } from './demo/random';

describe('ticket numbers', () => {
  it('formats the leased form with 4 digits, 5 past 9,999', () => {
    expect(formatLeasedNo('MX', '20260218', 872)).toBe('MX20260218-0872');
    expect(formatLeasedNo('MX', '20260218', 12_345)).toBe('MX20260218-12345');
  });
  it('formats the offline form with the seat code and 3 digits', () => {
    expect(formatOfflineNo('MX', '20260218', 'AB', 17)).toBe('MX20260218-AB017');
    expect(formatOfflineNo('MX', '20260218', 'AB', 1234)).toBe('MX20260218-AB1234');
  });
  it('parses both forms and refuses look-alikes', () => {
    expect(parseTicketNo('MX20260218-0872')).toEqual({ prefix: 'MX', day: '20260218', kind: 'leased', seq: 872, seat: null });
    expect(parseTicketNo('MX20260218-AB017')).toEqual({ prefix: 'MX', day: '20260218', kind: 'offline', seq: 17, seat: 'AB' });
    expect(parseTicketNo('MX20260218-872')).toBeNull();
    expect(parseTicketNo('MX20260218-00872')).toBeNull();
    expect(parseTicketNo('mx20260218-0872')).toBeNull();
  });
  it('refuses bad prefixes, seats and sequences with a message', () => {
    expect(() => formatLeasedNo('M1', '20260218', 1)).toThrow(NumberingError);
    expect(() => formatOfflineNo('MX', '20260218', 'A', 1)).toThrow('座席代码应为 2 个大写字母');
    expect(() => formatLeasedNo('MX', '20260218', 0)).toThrow('序号超出范围');
  });
  it('uses the lease while it lasts, then the offline sequence', () => {
    let state = { prefix: 'MX', seat: 'AB', leases: [{ day: '20260218', from: 11, to: 12, next: 11 }] as NumberLease[], offlineNext: {} };
    const got: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = nextTicketNo(state, '20260218');
      got.push(r.no);
      state = { ...state, leases: r.leases, offlineNext: r.offlineNext };
    }
    expect(got).toEqual(['MX20260218-0011', 'MX20260218-0012', 'MX20260218-AB001', 'MX20260218-AB002']);
  });
  it('stays unique across concurrent offline seats with disjoint leases', () => {
    const rng = seededRng(7);
    const seats = ['AB', 'CD', 'EF', 'GH', 'JK'].map((seat, i) => ({
      prefix: 'MX', seat,
      leases: [{ day: '20260218', from: i * 20 + 1, to: i * 20 + 20, next: i * 20 + 1 }] as NumberLease[],
      offlineNext: {} as Record<string, number>,
    }));
    const all = new Set<string>();
    let issued = 0;
    for (let k = 0; k < 2_000; k++) {
      const s = seats[Math.floor(rng() * seats.length)]!;
      const day = rng() < 0.8 ? '20260218' : '20260219';
      const r = nextTicketNo(s, day);
      s.leases = r.leases;
      s.offlineNext = r.offlineNext;
      all.add(r.no);
      issued++;
      expect(parseTicketNo(r.no)).not.toBeNull();
    }
    expect(all.size).toBe(issued);
  });
});
