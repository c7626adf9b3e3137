/**
 * A hand-made site for the metrics tests (docs/metrics.md works the same tickets through by hand).
 * Period 2026-02-18..2026-02-19 in Asia/Shanghai, now 2026-02-20 10:00 +08:00.
 */
import type { Milestone } from '../../ticket';
import type { MetricTicket } from '../types';

export const NOW = '2026-02-20T10:00:00+08:00';
export const PERIOD = { from: '2026-02-18', to: '2026-02-19' } as const;

type Times = Partial<Record<Milestone, string>>;
const sh = (dayTime: string): string => `2026-02-${dayTime.replace(' ', 'T')}:00+08:00`;

export function ticket(id: string, state: MetricTicket['state'], times: Times, more: Partial<MetricTicket> = {}): MetricTicket {
  const milestones: Times = {};
  for (const [k, v] of Object.entries(times)) milestones[k as Milestone] = v.includes('T') ? v : sh(v);
  return { id, state, createdAt: milestones.created as string, milestones, returns: 0, device: null, location: null, assignee: null, pool: null, ...more };
}

/** Closed: created 23:50, assigned 00:40 next day (50 min), accepted 01:20 (40 min > 30: late, on the 19th). Verified after 12 h. */
export const A = ticket('A', 'closed', {
  created: '18 23:50', assigned: '19 00:40', accepted: '19 01:20', firstResponse: '19 01:40', arrived: '19 03:00', resolved: '19 05:00', verified: '19 11:50',
}, { location: '3号楼/2单元/1203', device: 'M-07', assignee: 'lin.chief' });

/** Assigned after exactly 2 h (counts), accepted 45 min later (late), waiting for a first response since the 18th 12:45. Returned once. */
export const B = ticket('B', 'in_progress', { created: '18 10:00', assigned: '18 12:00', accepted: '18 12:45' },
  { location: '1号楼 101', device: 'M-07', returns: [{ reason: '请补充现场照片' }], assignee: 'lin.chief', pool: '紧急-机械类' });

/** Cancelled: left out of everything (its device would make M-07 a 3). */
export const C = ticket('C', 'cancelled', { created: '19 09:00' }, { device: 'M-07' });

/** Created 08:00 UTC = 16:00 in Shanghai, never assigned: a 2-hour miss, waiting late in created→assigned. */
export const D = ticket('D', 'pending_acceptance', { created: '2026-02-19T08:00:00Z' }, { device: 'AC-3F-02' });

/** Created 16:30 UTC on the 17th = 00:30 on the 18th in Shanghai: in the period. Assigned after 2 h 30 min (late); closed in 8 h. */
export const F = ticket('F', 'closed', {
  created: '2026-02-17T16:30:00Z', assigned: '18 03:00', accepted: '18 03:10', firstResponse: '18 03:20', arrived: '18 04:00',
  resolved: '18 06:00', verified: '18 08:30', archived: '19 09:00',
}, { location: '1号楼/1单元/0101', device: 'AC-3F-02', returns: 0 });

/** Created 23:59 on the 17th in Shanghai (15:59 UTC): before the period. */
export const G = ticket('G', 'closed', {
  created: '2026-02-17T15:59:00Z', assigned: '18 00:10', accepted: '18 00:20', firstResponse: '18 00:30', arrived: '18 01:00',
  resolved: '18 02:00', verified: '18 03:00', archived: '19 05:00',
}, { location: '3号楼', device: 'M-07' });

/** No `accepted` but a first response: assigned→accepted is skipped (not late however long); waiting to arrive since 14:00 (20 h at now). */
export const I = ticket('I', 'in_progress', { created: '19 10:00', assigned: '19 10:30', firstResponse: '19 14:00' }, { location: '2号楼', assignee: 'liu.tech' });

/** Verified after `now` (the 20th 12:00): not in the average close time. */
export const J = ticket('J', 'closed', {
  created: '19 12:00', assigned: '19 12:30', accepted: '19 12:40', firstResponse: '19 13:00', arrived: '19 14:00', resolved: '19 16:00', verified: '20 12:00',
}, { location: '2号楼', device: 'SRV-HR' });

/** Created 23:00 on the 19th; its late stages start on the 20th (after the period): accepted 50 min after assignment, no arrival for 8.5 h. */
export const K = ticket('K', 'in_progress', { created: '19 23:00', assigned: '20 00:10', accepted: '20 01:00', firstResponse: '20 01:30' },
  { location: '2号楼', assignee: 'zhao.tech', pool: '网络' });

/** Created at 09:00 on the 20th: after the period, open, 1 h old at now. */
export const E = ticket('E', 'pending_acceptance', { created: '20 09:00' }, { location: '4号楼' });

export const SITE: readonly MetricTicket[] = [A, B, C, D, E, F, G, I, J, K];
