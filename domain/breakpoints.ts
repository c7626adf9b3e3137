import type { Milestone, Ticket } from './ticket';
import { isOpen } from './ticket';

/** The 7 breakpoints: the gaps between consecutive milestones. */
export const STAGES = [
  'created_assigned',
  'assigned_accepted',
  'accepted_firstResponse',
  'firstResponse_arrived',
  'arrived_resolved',
  'resolved_verified',
  'verified_archived',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, { zh: string; en: string }> = {
  created_assigned: { zh: '创建→派单', en: 'Created → assigned' },
  assigned_accepted: { zh: '派单→接单', en: 'Assigned → accepted' },
  accepted_firstResponse: { zh: '接单→首次响应', en: 'Accepted → first response' },
  firstResponse_arrived: { zh: '首次响应→到场', en: 'First response → arrived' },
  arrived_resolved: { zh: '到场→完工', en: 'Arrived → resolved' },
  resolved_verified: { zh: '完工→验收', en: 'Resolved → verified' },
  verified_archived: { zh: '验收→归档', en: 'Verified → archived' },
};

export function stageBounds(stage: Stage): [Milestone, Milestone] {
  return stage.split('_') as [Milestone, Milestone];
}

const H = 3_600_000;
const M = 60_000;
/** Thresholds per stage in ms; RULES-FORMAT.md `breakpoints:` documents the same defaults. */
export const DEFAULT_BREAKPOINTS: Record<Stage, number> = {
  created_assigned: 2 * H,
  assigned_accepted: 30 * M,
  accepted_firstResponse: 4 * H,
  firstResponse_arrived: 4 * H,
  arrived_resolved: 8 * H,
  resolved_verified: 24 * H,
  verified_archived: 72 * H,
};

export type StageStatus =
  | { stage: Stage; status: 'done'; ms: number; late: boolean }
  | { stage: Stage; status: 'waiting'; ms: number; late: boolean }
  | { stage: Stage; status: 'not_reached' };

/**
 * Each stage of one ticket at `now`: finished (with its duration and whether it exceeded the
 * threshold), waiting (started, not finished, ticket still open), or not reached.
 */
export function ticketStages(
  t: Pick<Ticket, 'milestones' | 'state'>,
  now: number,
  thresholds: Record<Stage, number> = DEFAULT_BREAKPOINTS,
): StageStatus[] {
  return STAGES.map((stage) => {
    const [a, b] = stageBounds(stage);
    const start = t.milestones[a];
    const end = t.milestones[b];
    if (!start) return { stage, status: 'not_reached' };
    const s = Date.parse(start);
    if (end) {
      const ms = Date.parse(end) - s;
      return { stage, status: 'done', ms, late: ms > thresholds[stage] };
    }
    const waitsHere = isOpen(t.state) || (stage === 'verified_archived' && t.state === 'closed');
    if (!waitsHere) return { stage, status: 'not_reached' };
    const ms = now - s;
    return { stage, status: 'waiting', ms, late: ms > thresholds[stage] };
  });
}

/** The stage an open ticket is stuck in now: the first started stage that has not finished. */
export function currentStage(t: Pick<Ticket, 'milestones' | 'state'>, now: number): { stage: Stage; ms: number; late: boolean } | null {
  for (const s of ticketStages(t, now)) if (s.status === 'waiting') return { stage: s.stage, ms: s.ms, late: s.late };
  return null;
}
