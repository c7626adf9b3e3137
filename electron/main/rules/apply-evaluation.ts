import { applyTransition, checkTransition, type Actor, type Ticket } from '../../../domain';
import { outboxEntries, type Evaluation, type Firing } from '../../../rules';
import type { PackViews } from './pack-views';

/** A desktop notification for people on this seat (never an outbox entry). */
export interface DesktopNotice {
  rule: string;
  firing: string;
  to: string[];
  title: string;
  body: string;
}

export interface Applied {
  /** Firings new to the ticket's ledger, in evaluation order. */
  fresh: (Firing & { version: number })[];
  desktop: DesktopNotice[];
  notes: string[];
}

/** `rule@vN/EVENT/ISO` → EVENT. */
function eventOf(f: Firing, version: number): string {
  const rest = f.key.slice(`${f.rule}@v${version}/`.length);
  const cut = rest.lastIndexOf('/');
  return cut > 0 ? rest.slice(0, cut) : rest;
}

/** Whether routing rule `rule` already fired for the ticket's current stay in its state. */
function routedThisStay(t: Ticket, rule: string, version: number): boolean {
  const entered = `/${new Date(t.stateEnteredAt).toISOString()}`;
  const head = `${rule}@v${version}/`;
  return [`${head}created${entered}`, `${head}updated${entered}`].some((k) => k in t.firings);
}

const linesOf = (r: Evaluation, rule: string): string[] => r.explain.filter((l) => l.startsWith(`${rule}:`));

/**
 * Applies one evaluation to `t` (a draft the caller owns): the firings the ledger lacks, and only
 * their effects — scalars and skip_dispatch from routing, tags, the dispatch transition as
 * `automation`, outbox entries under their deterministic keys (a key present is not rewritten),
 * the ledger entries with their explain lines. `fill` keeps values a ticket already has (an update
 * must not undo what a person chose); on creation rules set them.
 */
export function applyEvaluation(
  t: Ticket, r: Evaluation, views: PackViews, ctx: { nowIso: string; seat: string; fill: boolean },
): Applied {
  const applied: Applied = { fresh: [], desktop: [], notes: [] };
  for (const f of r.firings) {
    const version = views.versions.get(f.rule) ?? 1;
    if (f.key in t.firings) continue;
    if (f.kind === 'routing' && routedThisStay(t, f.rule, version)) continue;
    applied.fresh.push({ ...f, version });
  }
  if (applied.fresh.length === 0) return applied;
  const fresh = new Set(applied.fresh.map((f) => f.rule));
  const routed = applied.fresh.some((f) => f.kind === 'routing');

  if (routed) {
    const set = <K extends 'pool' | 'urgency'>(key: K, value: string | null) => {
      if (value !== null && (!ctx.fill || t[key] === null)) t[key] = value;
    };
    set('pool', r.pool);
    set('urgency', r.urgency);
    if (r.priority !== null && (!ctx.fill || t.priority === null)) t.priority = r.priority as Ticket['priority'];
    const assignee = t.assignee ?? r.assignee;
    if (r.skipDispatch && r.state === 'dispatched' && t.state === 'pending_acceptance' && assignee) {
      const rule = views.full.routing.find((x) => r.fired.includes(x.id) && x.skipDispatch !== null);
      const actor: Actor = { user: `rule:${rule?.id ?? 'routing'}`, kind: 'automation', rule: `${rule?.id ?? 'routing'}@v${rule?.version ?? 1}` };
      const refusal = checkTransition(t, 'dispatch', actor, { assignee });
      if (refusal) applied.notes.push(`skip_dispatch: ${refusal.message}`);
      else {
        applyTransition(t, 'dispatch', actor, { assignee }, ctx.nowIso);
        // Seats that route the same ticket append the same line; its firing key lets readers keep one.
        const line = t.audit[t.audit.length - 1];
        const firing = applied.fresh.find((f) => f.rule === rule?.id);
        if (line && firing) line.firing = firing.key;
      }
    } else if (!t.assignee && r.assignee) {
      t.assignee = r.assignee;
    }
  }
  const tagsOf = new Map<string, readonly string[]>();
  for (const rule of [...views.full.routing, ...views.full.automations]) tagsOf.set(rule.id, rule.tags.filter((tag) => r.tags.includes(tag)));
  for (const f of applied.fresh) for (const tag of tagsOf.get(f.rule) ?? []) if (!t.tags.includes(tag)) t.tags.push(tag);

  for (const e of outboxEntries(r, t.id)) {
    if (!fresh.has(e.rule) || e.key in t.outbox) continue;
    const base = { rule: e.rule, createdAt: ctx.nowIso, status: 'pending' as const, statusAt: null };
    if (e.kind === 'notify') {
      t.outbox[e.key] = { ...base, channel: e.channel, to: e.to, payload: { ticket: t.id, no: t.no, title: t.title, text: `工单 ${t.no}「${t.title}」${ruleLabel(views, e.rule)}` } };
    } else {
      const push = r.pushes.find((p) => p.rule === e.rule && p.connector === e.connector);
      t.outbox[e.key] = { ...base, channel: 'push', to: e.connector, payload: { ticket: t.id, no: t.no, kind: e.payload, ...(push?.device !== undefined ? { device: push.device } : {}), ...(push?.records ? { records: push.records.map((x) => ({ ...x })) } : {}) } };
    }
  }

  for (const f of applied.fresh) {
    const tasks = r.tasks.filter((x) => x.rule === f.rule).map((x) => ({ to: x.to, title: x.title }));
    const tags = [...(tagsOf.get(f.rule) ?? [])];
    t.firings[f.key] = {
      rule: f.rule, version: f.version, event: eventOf(f, f.version), at: ctx.nowIso, seat: ctx.seat,
      summary: [...linesOf(r, f.rule), ...(f.kind === 'routing' ? applied.notes : [])].join('\n'),
      ...(tasks.length ? { tasks } : {}),
      ...(tags.length ? { tags } : {}),
    };
    const desktop = [...new Set(r.notifications.filter((n) => n.rule === f.rule && n.channel === 'desktop').map((n) => n.to))];
    const title = `工单 ${t.no}「${t.title}」`;
    if (desktop.length) applied.desktop.push({ rule: f.rule, firing: f.key, to: desktop, title, body: ruleLabel(views, f.rule) });
    for (const task of tasks) applied.desktop.push({ rule: f.rule, firing: f.key, to: [task.to], title, body: `新任务：${task.title}` });
  }
  return applied;
}

/**
 * A short phrase for what a rule is about, for notifications: the SLA item in the words the
 * console shows (sla-label.ts: 已派单 30 分钟未接单, …（工作时间）), its level and its id; else the id.
 */
export function ruleLabel(views: PackViews, rule: string): string {
  const sla = views.full.sla.find((s) => s.id === rule);
  if (sla) {
    const level = sla.level === 'warn' ? '即将超时' : sla.level === 'breach' ? '已超时' : '超时升级';
    return `${views.slaLabels.get(rule) ?? rule}，${level}（${rule}）`;
  }
  return `触发规则 ${rule}`;
}
