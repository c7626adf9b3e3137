import { personName, type SitePerson, type Ticket } from '../../../domain';
import { PackError, evaluate, type TicketHistory } from '../../../rules';
import { ContractError, type CallContext, type ExplainedFiring, type Handlers, type Session, type TicketExplanation } from '../../contract/ipc';
import type { TicketStore } from '../store';
import type { BannerBoard } from './banner-board';
import { explainLineZh } from './explain-zh';
import { fromTicket } from './rule-ticket';
import type { ActiveRulebook, Rulebook } from './rulebook';

export interface RulesHandlerDeps {
  store: TicketStore;
  rulebook: Rulebook;
  banners: BannerBoard;
  history: TicketHistory;
  people: readonly SitePerson[];
  clock: () => number;
  requireSession: (ctx: CallContext) => Session;
  /** After a publish: tell the consoles. */
  published: (version: number) => void;
}

type RulesHandlers = Pick<Handlers, 'tickets.explain' | 'rules.banners' | 'rulebook.get' | 'rulebook.publish'>;

function kindOf(active: ActiveRulebook, rule: string, event: string): ExplainedFiring['kind'] {
  if (event === 'deadline' || active.pack.sla.some((r) => r.id === rule)) return 'sla';
  if (active.pack.routing.some((r) => r.id === rule)) return 'routing';
  if (active.pack.automations.some((r) => r.id === rule)) return 'automation';
  return 'rule';
}

/** Why the rules did what they did to a ticket (its ledger), and its SLA clocks now. */
export function explainTicket(t: Ticket, deps: Pick<RulesHandlerDeps, 'rulebook' | 'history' | 'people' | 'clock'>): TicketExplanation {
  const active = deps.rulebook.current();
  const firings = Object.entries(t.firings)
    .map(([key, f]): ExplainedFiring => ({
      key, rule: f.rule, version: f.version, kind: kindOf(active, f.rule, f.event), event: f.event, at: f.at, seat: f.seat,
      lines: f.summary.split('\n').filter(Boolean).map((l) => explainLineZh(l, f.rule)),
      tasks: (f.tasks ?? []).map((x) => ({ ...x, toName: personName(x.to, deps.people) })),
      outbox: Object.entries(t.outbox).filter(([k]) => k.startsWith(`${key}/`)).map(([k, e]) => ({ key: k, channel: e.channel, to: e.to, status: e.status })),
    }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
  const r = evaluate(active.views.sla, fromTicket(t), { now: deps.clock(), event: 'updated', history: deps.history });
  const paused = t.pauses.some((p) => p.to === null);
  return {
    ticketId: t.id,
    no: t.no,
    rulebook: { version: active.version, name: active.name },
    firings,
    deadlines: r.deadlines.map((d) => ({
      rule: d.rule, state: d.state, level: d.level, dueAt: d.dueAt, breached: d.breached, paused: paused && d.dueAt === null,
      banner: active.pack.sla.find((s) => s.id === d.rule)?.banner ?? null,
    })),
    now: r.explain.map((l) => explainLineZh(l)),
  };
}

export function rulesHandlers(deps: RulesHandlerDeps): RulesHandlers {
  return {
    'tickets.explain': async ({ id }) => {
      const t = await deps.store.read(id);
      if (!t) throw new ContractError({ code: 'not_found', message: `找不到工单：${id}`, field: 'id' });
      return explainTicket(t, deps);
    },

    'rules.banners': async () => deps.banners.list(),

    'rulebook.get': async () => deps.rulebook.view(),

    'rulebook.publish': async ({ yaml, note }, ctx) => {
      const s = deps.requireSession(ctx);
      if (s.user.role !== 'admin') throw new ContractError({ code: 'not_allowed', message: `只有管理员可以发布规则（${s.user.name}不是管理员）` });
      try {
        const active = await deps.rulebook.publish(yaml, s.user, deps.clock(), note);
        deps.published(active.version);
      } catch (e) {
        if (e instanceof PackError) throw new ContractError({ code: 'bad_request', message: `规则包有误，未发布，原规则继续生效：\n${e.message}`, field: 'yaml' });
        throw e;
      }
      return deps.rulebook.view();
    },
  };
}
