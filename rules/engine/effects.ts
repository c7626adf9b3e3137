/**
 * Effects shared by routing, SLA and automations: notifications (one per recipient and channel,
 * `to` a person id), tags (a de-duplicated union in firing order), tasks and pushes.
 */
import type { TicketHistory } from '../history/history';
import type { Ticket } from '../model/ticket';
import type { NotifySpec, PushSpec, TaskSpec } from '../pack/types';
import type { CompiledPack } from '../pack/types';
import { pickFor } from '../people/pick';
import { formatInZone } from '../time/zone';
import type { Evaluation, Push } from './output';
import { resolveRecipient } from './recipients';

/** Adds a rule's notifications; returns phrases such as "sms → 林师傅" for the rule's explain line. */
export function addNotifications(
  out: Evaluation, pack: CompiledPack, rule: string, specs: readonly NotifySpec[], ticket: Ticket, now: number,
): string[] {
  const phrases: string[] = [];
  for (const spec of specs) {
    const resolved = resolveRecipient(pack.directory, spec.to, ticket, now);
    if (resolved.ids.length === 0) {
      out.explain.push(`${rule}: ${spec.channel} to ${resolved.label}: nobody, no notification`);
      continue;
    }
    const added: string[] = [];
    for (const to of resolved.ids) {
      if (out.notifications.some((n) => n.rule === rule && n.channel === spec.channel && n.to === to)) continue;
      out.notifications.push({ rule, channel: spec.channel, to });
      added.push(to);
    }
    if (added.length) phrases.push(`${spec.channel} → ${pack.directory.names(added)}`);
  }
  return phrases;
}

export function addTags(out: Evaluation, tags: readonly string[]): string[] {
  const added: string[] = [];
  for (const tag of tags) {
    if (!out.tags.includes(tag)) {
      out.tags.push(tag);
      added.push(tag);
    }
  }
  return added;
}

/** A task goes to one person: the recipient, or a deterministic pick among several. */
export function addTask(out: Evaluation, pack: CompiledPack, rule: string, spec: TaskSpec, ticket: Ticket, now: number): string | null {
  const resolved = resolveRecipient(pack.directory, spec.to, ticket, now);
  const to = pickFor(ticket.key, resolved.ids);
  if (!to) {
    out.explain.push(`${rule}: task "${spec.title}" for ${resolved.label}: nobody, no task`);
    return null;
  }
  out.tasks.push({ rule, to, title: spec.title });
  return `task ${spec.title} → ${pack.directory.name(to)}`;
}

export function addPush(
  out: Evaluation, pack: CompiledPack, rule: string, spec: PushSpec, ticket: Ticket, now: number, history: TicketHistory | null,
): string {
  if (spec.payload === 'ticket') {
    out.pushes.push({ rule, connector: spec.connector, payload: 'ticket', ticket: ticket.key });
    return `push ticket to ${spec.connector}`;
  }
  const device = typeof ticket.fields.device === 'string' ? ticket.fields.device : '';
  const records = device && history ? history.repairs.recent(device, spec.limit + 1, now).filter((r) => r.id !== ticket.key) : [];
  const own = ticket.milestones.resolved;
  const all = own !== undefined && device
    ? [{ id: ticket.key, no: typeof ticket.fields.no === 'string' ? ticket.fields.no : null, title: typeof ticket.fields.title === 'string' ? ticket.fields.title : '', category: typeof ticket.fields.category === 'string' ? ticket.fields.category : null, resolvedAt: own }, ...records]
    : records;
  all.sort((a, b) => b.resolvedAt - a.resolvedAt);
  const push: Push = {
    rule, connector: spec.connector, payload: 'device_recent_repairs', ticket: ticket.key, device,
    records: all.slice(0, spec.limit).map((r) => ({ id: r.id, no: r.no, title: r.title, category: r.category, resolvedAt: formatInZone(pack.zone, r.resolvedAt) })),
  };
  out.pushes.push(push);
  return `push ${push.records?.length ?? 0} recent repairs of ${device || '(no device)'} to ${spec.connector}`;
}
