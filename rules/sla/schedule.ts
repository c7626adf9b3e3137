/** From an evaluation to the scheduler: the deadlines still to come, as epoch ms. */
import type { Evaluation } from '../engine/output';
import { parseInstant } from '../time/instant';
import type { ScheduledDeadline } from './scheduler';

export function pendingDeadlines(result: Evaluation, ticket: string): ScheduledDeadline[] {
  const list: ScheduledDeadline[] = [];
  for (const d of result.deadlines) {
    if (d.breached || d.dueAt === null) continue;
    const dueAt = parseInstant(d.dueAt);
    if (dueAt !== null) list.push({ dueAt, ticket, rule: d.rule });
  }
  return list;
}
