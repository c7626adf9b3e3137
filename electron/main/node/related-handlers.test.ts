import { describe, expect, it } from 'vitest';
import { projectTicket, type TicketRow } from '../../../domain';
import { makeTicket } from '../store/test-tickets';
import { deviceKey, phoneKey, relatedRows, unitKey } from './related-handlers';

const T0 = Date.parse('2026-11-24T01:00:00.000Z');
const DAY = 86_400_000;
/** A row created `daysAgo` before NOW. */
function row(n: number, daysAgo: number, answers: Record<string, string>): TicketRow {
  const r = projectTicket(makeTicket(n, answers));
  return { ...r, createdAt: new Date(NOW - daysAgo * DAY).toISOString() };
}
const NOW = T0 + 400 * DAY;

describe('related tickets', () => {
  it('reads phones, devices and locations the way people type them', () => {
    expect(phoneKey('138-1234 5678')).toBe('13812345678');
    expect(phoneKey('12')).toBeNull();
    expect(deviceKey(' ＣＮＣ-07 ')).toBe('cnc-07');
    expect(unitKey('3号楼/2单元/1502')).toBe('3号楼/2单元');
    expect(unitKey('3号楼 / 2单元')).toBe('3号楼/2单元');
    expect(unitKey('3号楼')).toBeNull();
  });

  it('finds the caller’s, the device’s and the unit’s tickets of the last half year, newest first, with why', () => {
    const rows = [
      row(1, 300, { requester_phone: '13900000001', device: 'CNC-07', location: '3号楼/2单元/1502' }), // too old
      row(2, 100, { requester_phone: '13900000001', device: 'PUMP-1', location: '9号楼/1单元/0101' }),
      row(3, 50, { requester_phone: '13700000000', device: 'cnc-07', location: '9号楼/1单元/0101' }),
      row(4, 20, { requester_phone: '13700000000', device: 'PUMP-2', location: '3号楼/2单元/0802' }),
      row(5, 10, { requester_phone: '13700000000', device: 'PUMP-3', location: '3号楼/3单元/0802' }),
      row(6, 1, { requester_phone: '139-0000-0001', device: 'CNC-07', location: '3号楼/2单元/1502' }), // the ticket itself
    ];
    const r = relatedRows(rows, { phone: '13900000001', device: 'CNC-07', location: '3号楼/2单元/1502', excludeId: rows[5]!.id, sinceDays: 183, limit: 20 }, NOW);
    expect(r.rows.map((x) => [x.row.id, x.reasons])).toEqual([
      [rows[3]!.id, ['location']],
      [rows[2]!.id, ['device']],
      [rows[1]!.id, ['phone']],
    ]);
    expect(r.total).toBe(3);
    expect(relatedRows(rows, { phone: '13900000001', sinceDays: 183, limit: 1 }, NOW)).toMatchObject({ total: 2, rows: [{ row: { id: rows[5]!.id } }] });
    expect(relatedRows(rows, { sinceDays: 183, limit: 20 }, NOW).total).toBe(0);
  });

  it('stops at the window: 50,000 rows cost the tickets of the window only', () => {
    const old = row(1, 1000, { requester_phone: '13900000001' });
    const rows: TicketRow[] = Array.from({ length: 50_000 }, () => old);
    rows.push(row(2, 5, { requester_phone: '13900000001' }));
    let read = 0;
    const counted = new Proxy(rows, { get: (target, key, receiver) => {
      if (typeof key === 'string' && /^\d+$/.test(key)) read++;
      return Reflect.get(target, key, receiver);
    } });
    expect(relatedRows(counted, { phone: '13900000001', sinceDays: 183, limit: 20 }, NOW).total).toBe(1);
    expect(read).toBe(2); // the new row, then the first one past the window
  });
});
