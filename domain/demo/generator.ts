import type { Ticket } from '../ticket';
import { createTicket } from '../create';
import { applyTransition, type Actor, type TransitionInput } from '../workflow';
import type { ActionId } from '../workflow-table';
import { DEMO_TEMPLATE } from '../demo-template';
import { DEMO_PEOPLE, DEMO_SITE } from '../demo-site';
import { formatLeasedNo, dayKey } from '../numbering';
import { localDate } from '../zone';
import { SCENARIOS, randomLocation, randomPerson } from './catalog';
import { chance, minutesAround, pick, seededRng, uuidFrom, type Rng } from './random';

/**
 * A seeded generator of realistic Chinese tickets whose history shows the field's stalls before
 * rules were switched on: about 36% unassigned after 2 h, 21% without a first response 4 h after
 * acceptance, 17% returned for information. ~187 tickets a day, ending at `now`.
 */
export interface DemoOptions {
  count: number;
  seed: number;
  /** The end of the generated period (epoch ms); tickets are spread over the days before it. */
  now: number;
  perDay?: number;
}

export const STALL_RATES = { unassigned2h: 0.36, noFirstResponse4h: 0.21, returned: 0.17 } as const;

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 6, 9, 10, 10, 9, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1];
const WEIGHT_SUM = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);

function hourOfDay(rng: Rng): number {
  let r = rng() * WEIGHT_SUM;
  for (let h = 0; h < 24; h++) {
    r -= HOUR_WEIGHTS[h]!;
    if (r <= 0) return h;
  }
  return 12;
}

const technicians = DEMO_PEOPLE.filter((p) => p.role === 'technician');
const agents = DEMO_PEOPLE.filter((p) => p.role === 'agent');
const dispatcher = DEMO_PEOPLE.find((p) => p.role === 'dispatcher')!;

function actor(id: string, kind: Actor['kind']): Actor {
  return { user: id, kind };
}

/** Plays one ticket's life forward from creation, stopping at `now`. */
function live(t: Ticket, rng: Rng, now: number, team: string): void {
  let at = Date.parse(t.createdAt);
  const step = (minutes: number, action: ActionId, who: Actor, input: TransitionInput = {}): boolean => {
    const next = at + minutes * MIN;
    if (next > now) return false;
    at = next;
    applyTransition(t, action, who, input, iso(at));
    return true;
  };
  const agent = actor(pick(rng, agents).id, 'agent');
  if (chance(rng, 0.02)) {
    step(minutesAround(rng, 20), 'cancel', agent, { reason: '报修人已自行解决' });
    return;
  }
  // The dispatch time is drawn from creation, so a return for info does not skew the 2-hour share.
  const slowDispatch = chance(rng, STALL_RATES.unassigned2h);
  const assignDelay = slowDispatch ? 121 + minutesAround(rng, 100, 0.7) : Math.min(119, minutesAround(rng, 35, 0.7, 8));
  if (chance(rng, STALL_RATES.returned)) {
    const reason = t.category === '系统' ? '请补充服务器IP以便远程诊断' : '请补充现场照片和具体位置';
    const returnAfter = Math.min(minutesAround(rng, 4, 0.5), assignDelay - 3);
    if (!step(returnAfter, 'return_for_info', agent, { reason, missing: [] })) return;
    const supplyAfter = Math.max(1, Math.floor((assignDelay - returnAfter - 1) * (0.3 + 0.6 * rng())));
    if (!step(supplyAfter, 'supply_info', actor(`requester:${t.no}`, 'requester'), { form: {} })) return;
  }
  const candidates = technicians.filter((p) => p.teams.includes(team));
  const tech = pick(rng, candidates.length ? candidates : technicians);
  const assignAt = Date.parse(t.createdAt) + assignDelay * MIN;
  if (!step(Math.max(1, (assignAt - at) / MIN), 'dispatch', actor(dispatcher.id, 'dispatcher'), { assignee: tech.id })) return;
  const me = actor(tech.id, 'technician');
  if (!step(minutesAround(rng, 15, 0.8), 'accept', me)) return;
  const slowResponse = chance(rng, STALL_RATES.noFirstResponse4h);
  const respondDelay = slowResponse ? 241 + minutesAround(rng, 120, 0.7) : Math.min(239, minutesAround(rng, 40, 0.8));
  if (!step(respondDelay, 'first_response', me, { note: '已电话联系报修人，确认故障现象' })) return;
  if (!step(minutesAround(rng, 90, 0.8), 'arrive', me)) return;
  if (!step(minutesAround(rng, 180, 0.8), 'resolve', me, { note: pick(rng, ['更换轴承并校准', '更换损坏部件，试运行正常', '重启服务并清理日志', '重新配置网络参数', '疏通管道，已不再漏水']) })) return;
  if (!step(minutesAround(rng, 600, 0.8), 'verify', actor(`requester:${t.no}`, 'requester'))) return;
  step(72 * 60 + minutesAround(rng, 60, 0.5), 'archive', actor('rule:auto-archive', 'automation'));
}

export function generateDemoTickets(opts: DemoOptions): Ticket[] {
  const rng = seededRng(opts.seed);
  const perDay = opts.perDay ?? 187;
  const days = Math.max(1, Math.ceil(opts.count / perDay));
  const start = opts.now - days * 24 * 60 * MIN;
  const created: number[] = [];
  for (let i = 0; i < opts.count; i++) {
    const day = Math.floor((i / opts.count) * days);
    const t = start + day * 24 * 60 * MIN + hourOfDay(rng) * 60 * MIN + Math.floor(rng() * 60) * MIN;
    created.push(Math.min(t, opts.now - MIN));
  }
  created.sort((a, b) => a - b);
  const seqByDay = new Map<string, number>();
  const tickets: Ticket[] = [];
  for (const at of created) {
    const sc = pick(rng, SCENARIOS);
    const person = randomPerson(rng);
    const day = dayKey(localDate(at, DEMO_SITE.timezone));
    const seq = (seqByDay.get(day) ?? 0) + 1;
    seqByDay.set(day, seq);
    const answers = {
      title: pick(rng, sc.titles),
      requester_name: person.name,
      requester_phone: person.phone,
      area: sc.area,
      location: randomLocation(rng),
      device: pick(rng, sc.devices),
      fault_type: sc.fault,
      description: pick(rng, sc.descriptions),
      urgency: pick(rng, ['立即处理', '2小时内', '24小时内', '24小时内']),
      owner_cooperation: sc.area === '户内设施' ? '是' : '否',
      ...sc.group(rng),
    };
    const res = createTicket(answers, {
      id: uuidFrom(rng),
      no: formatLeasedNo(DEMO_SITE.prefix, day, seq),
      site: DEMO_SITE.id,
      now: iso(at),
      actor: actor(pick(rng, agents).id, 'agent'),
      template: DEMO_TEMPLATE,
    });
    if (!res.ok) throw new Error(`demo scenario does not fill the template: ${res.message}`);
    res.ticket.pool = demoPool(res.ticket);
    live(res.ticket, rng, opts.now, sc.team);
    tickets.push(res.ticket);
  }
  return tickets;
}

const MECHANICAL = ['轴承', '异响', '停机风险', '漏油', '过热', '皮带'];

/**
 * The pool the seed rule pack's routing would give the ticket (rules/packs/seed.yaml), so the
 * demo's queues look like a routed site's; consumes no randomness.
 */
export function demoPool(t: Pick<Ticket, 'category' | 'title' | 'description'>): string {
  if (t.category === '网络') return 'IT-网络';
  if (t.category === '系统' || t.category === '应用') return 'IT-系统应用';
  if (MECHANICAL.some((k) => t.title.includes(k) || t.description.includes(k))) return '紧急-机械类';
  return '综合受理';
}
