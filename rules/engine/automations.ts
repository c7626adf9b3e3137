/**
 * Automations: on created / updated, on a transition to a state, or on the daily schedule; when
 * their condition holds on the ticket after routing, they add tags, notify, create a task, push to
 * a connector.
 */
import { explainCondition, testCondition } from '../conditions/tree';
import type { TicketHistory } from '../history/history';
import type { EvalEvent } from '../ledger/firing';
import type { Automation, CompiledPack, Trigger } from '../pack/types';
import { addNotifications, addPush, addTags, addTask } from './effects';
import type { Evaluation } from './output';
import type { TicketScope } from './scope';

export function triggeredBy(trigger: Trigger, event: EvalEvent): boolean {
  if (trigger.kind !== event.kind) return false;
  return trigger.kind !== 'transition' || (event.kind === 'transition' && trigger.to === event.to);
}

/** Runs the automations `event` triggers; returns those that fired. */
export function runAutomations(
  pack: CompiledPack, scope: TicketScope, event: EvalEvent, out: Evaluation, history: TicketHistory | null,
): Automation[] {
  const fired: Automation[] = [];
  for (const rule of pack.automations) {
    if (!triggeredBy(rule.on, event)) continue;
    if (rule.when && !testCondition(rule.when, scope)) continue;
    const effects: string[] = [];
    const tags = addTags(out, rule.tags);
    if (tags.length) effects.push(`tags ${tags.join(', ')}`);
    effects.push(...addNotifications(out, pack, rule.id, rule.notify, scope.ticket, scope.now));
    if (rule.task) {
      const task = addTask(out, pack, rule.id, rule.task, scope.ticket, scope.now);
      if (task) effects.push(task);
    }
    for (const push of rule.pushes) effects.push(addPush(out, pack, rule.id, push, scope.ticket, scope.now, history));
    out.fired.push(rule.id);
    fired.push(rule);
    const reasons = rule.when ? explainCondition(rule.when, scope).join('; ') : 'on ' + (event.kind === 'transition' ? `transition to ${event.to}` : event.kind);
    out.explain.push(`${rule.id}: ${reasons} → ${effects.join(', ') || 'nothing'}`);
  }
  return fired;
}
