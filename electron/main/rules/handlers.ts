import { personName, type SitePerson, type Ticket } from '../../../domain';
import { PackError, evaluate, formatInZone, type TicketHistory } from '../../../rules';
import { ContractError, type CallContext, type EventName, type Events, type ExplainedFiring, type Handlers, type Session, type TicketExplanation } from '../../contract/ipc';
import type { TicketStore } from '../store';
import type { BannerBoard } from './banner-board';
import { explainLineZh } from './explain-zh';
import { onDutyNow } from './on-duty';
import { fromTicket } from './rule-ticket';
import type { ActiveRulebook, Rulebook } from './rulebook';
import { SimulationWindowError, simulateOnSeat, windowStart } from './simulation';
import { simulationView } from './simulation-zh';

export interface RulesHandlerDeps {
  store: TicketStore;
  rulebook: Rulebook;
  banners: BannerBoard;
  history: TicketHistory;
  people: readonly SitePerson[];
  clock: () => number;
  requireSession: (ctx: CallContext) => Session;
  /** Sends node events (a dry run's progress); without it the dry run reports only its result. */
  emit?: <E extends EventName>(event: E, payload: Events[E]) => void;
}

type RulesHandlers = Pick<Handlers, 'tickets.explain' | 'rules.banners' | 'rules.onDuty' | 'rulebook.get' | 'rulebook.publish' | 'rulebook.simulate'>;

/** Who may run a dry run: it reads every ticket of the window, so not every seat user. */
const SIMULATE_ROLES = new Set(['admin', 'supervisor']);

function kindOf(active: ActiveRulebook, rule: string, event: string): ExplainedFiring['kind'] {
  if (event === 'deadline' || active.pack.sla.some((r) => r.id === rule)) return 'sla';
  if (active.pack.routing.some((r) => r.id === rule)) return 'routing';
  if (active.pack.automations.some((r) => r.id === rule)) return 'automation';
  return 'rule';
}

/** `{label}` of an SLA item when the rulebook in force has one. */
function labelOf(active: ActiveRulebook, rule: string): { label?: string } {
  const label = active.views.slaLabels.get(rule);
  return label === undefined ? {} : { label };
}

/** Why the rules did what they did to a ticket (its ledger), and its SLA clocks now. */
export function explainTicket(t: Ticket, deps: Pick<RulesHandlerDeps, 'rulebook' | 'history' | 'people' | 'clock'>): TicketExplanation {
  const active = deps.rulebook.current();
  const firings = Object.entries(t.firings)
    .map(([key, f]): ExplainedFiring => ({
      key, rule: f.rule, version: f.version, ...(active.views.versions.get(f.rule) === f.version ? labelOf(active, f.rule) : {}),
      kind: kindOf(active, f.rule, f.event), event: f.event, at: f.at, seat: f.seat,
      lines: f.summary.split('\n').filter(Boolean).map((l) => explainLineZh(l, f.rule)),
      tasks: (f.tasks ?? []).map((x) => ({ ...x, toName: personName(x.to, deps.people) })),
      outbox: Object.entries(t.outbox).filter(([k]) => k.startsWith(`${key}/`)).map(([k, e]) => ({ key: k, channel: e.channel, to: e.to, status: e.status, statusAt: e.statusAt ?? null })),
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
      rule: d.rule, ...labelOf(active, d.rule), state: d.state, level: d.level, dueAt: d.dueAt, breached: d.breached, paused: paused && d.dueAt === null,
      banner: active.pack.sla.find((s) => s.id === d.rule)?.banner ?? null,
    })),
    now: r.explain.map((l) => explainLineZh(l)),
  };
}

export function rulesHandlers(deps: RulesHandlerDeps): RulesHandlers {
  let simulating = false;
  return {
    'tickets.explain': async ({ id }) => {
      const t = await deps.store.read(id);
      if (!t) throw new ContractError({ code: 'not_found', message: `找不到工单：${id}`, field: 'id' });
      return explainTicket(t, deps);
    },

    'rules.banners': async () => deps.banners.list(),

    'rules.onDuty': async (_input, ctx) => {
      deps.requireSession(ctx);
      const { pack } = deps.rulebook.current();
      const now = deps.clock();
      return { at: formatInZone(pack.zone, now), timezone: pack.zone, rosters: onDutyNow(pack, deps.store.rows(), now) };
    },

    'rulebook.get': async () => deps.rulebook.view(),

    'rulebook.publish': async ({ yaml, note }, ctx) => {
      const s = deps.requireSession(ctx);
      if (s.user.role !== 'admin') throw new ContractError({ code: 'not_allowed', message: `只有管理员可以发布规则（${s.user.name}不是管理员）` });
      try {
        await deps.rulebook.publish(yaml, s.user, deps.clock(), note);
      } catch (e) {
        if (e instanceof PackError) throw new ContractError({ code: 'bad_request', message: `规则包有误，未发布，原规则继续生效：\n${e.message}`, field: 'yaml' });
        throw e;
      }
      return deps.rulebook.view();
    },

    'rulebook.simulate': async ({ yaml, since }, ctx) => {
      const s = deps.requireSession(ctx);
      if (!SIMULATE_ROLES.has(s.user.role)) throw new ContractError({ code: 'not_allowed', message: `只有管理员和主管可以试运行规则（${s.user.name}不能）` });
      if (simulating) throw new ContractError({ code: 'conflict', message: '已有一次试运行正在进行，请稍候' });
      const now = deps.clock();
      let draft;
      let from;
      try {
        draft = deps.rulebook.validate(yaml);
        from = windowStart(since, now);
      } catch (e) {
        if (e instanceof PackError) throw new ContractError({ code: 'bad_request', message: `规则包有误，无法试运行：\n${e.message}`, field: 'yaml' });
        if (e instanceof SimulationWindowError) throw new ContractError({ code: 'bad_request', message: `时间范围有误：${since}（应为 30d、7d 这样的时长，或带时区的时间）`, field: 'since' });
        throw e;
      }
      const active = deps.rulebook.current();
      simulating = true;
      try {
        const run = await simulateOnSeat({
          store: deps.store, history: deps.history, draft, current: active.pack, now, from,
          ...(deps.emit ? { onProgress: (done: number, total: number) => deps.emit?.('rulebook.simulation', { done, total }) } : {}),
        });
        return simulationView(run.report, {
          from: new Date(from).toISOString(), to: new Date(now).toISOString(), against: { version: active.version, name: active.name },
          source: run.source, elapsedMs: run.elapsedMs,
        }, (id) => personName(id, deps.people));
      } catch (e) {
        if (e instanceof SimulationWindowError) throw new ContractError({ code: 'bad_request', message: e.message, field: 'since' });
        throw e;
      } finally {
        simulating = false;
      }
    },
  };
}
