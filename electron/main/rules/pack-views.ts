import type { CompiledPack, SlaRule } from '../../../rules';
import { slaLabels } from './sla-label';

/**
 * Views of a compiled pack for the seat runner's narrower evaluations, built once per rulebook
 * version. `evaluate` runs routing, then the automations the event triggers, then the SLA
 * deadlines; a view with some sections emptied runs only the rest (an SLA timer must not route).
 */
export interface PackViews {
  readonly full: CompiledPack;
  /** SLA deadlines only: what a timer evaluates. */
  readonly sla: CompiledPack;
  /** Automations and SLA, no routing: an update of a ticket that routing no longer concerns. */
  readonly noRouting: CompiledPack;
  /** The `schedule: daily` automations only. */
  readonly daily: CompiledPack;
  /**
   * SLA only, judged on a projection row: rules whose `when:` needs what rows lack (description,
   * form answers) keep no `when:`, so a row never misses a deadline; the full ticket decides.
   */
  readonly slaOnRows: CompiledPack;
  /** SLA rules whose `when:` a projection row can judge exactly. */
  readonly slaRowExact: ReadonlySet<string>;
  /** Whether the daily automations' `when:` can be judged on rows. */
  readonly dailyOnRows: boolean;
  /** A rule's version by id (routing, SLA and automations share one id space). */
  readonly versions: ReadonlyMap<string, number>;
  /** The routing rules by id, to find which one set `skip_dispatch`. */
  readonly routingOrder: readonly string[];
  /** Each SLA item's label for people by rule id ("待受理超过 15 分钟"). */
  readonly slaLabels: ReadonlyMap<string, string>;
}

const NO_ROUTING = { routing: [], routingIndex: { byKeyword: [], always: [] } } as const;

/** Fields a projection row carries (TicketRow), as rule conditions name them. */
const ROW_FIELDS = new Set([
  'id', 'no', 'site', 'title', 'category', 'device', 'location', 'requester', 'urgency', 'priority', 'tags',
  'state', 'assignee', 'pool', 'createdAt', 'stateEnteredAt', 'returns', 'now',
]);
const DEFAULT_KEYWORD_FIELDS = ['title', 'description', 'tags'];

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const onRow = (field: unknown): boolean => typeof field === 'string' && (ROW_FIELDS.has(field) || field.startsWith('milestones.'));

/** Whether condition data (as written in the pack) only reads fields a projection row has. */
export function judgeableOnRows(when: unknown): boolean {
  if (when === undefined || when === null) return true;
  if (!isMapping(when)) return false;
  const [key, body] = Object.entries(when)[0] ?? [];
  switch (key) {
    case 'all':
    case 'any':
      return Array.isArray(body) && body.every(judgeableOnRows);
    case 'not':
      return judgeableOnRows(body);
    case 'keywords': {
      const fields = isMapping(body) && Array.isArray(body.in) ? body.in : DEFAULT_KEYWORD_FIELDS;
      return fields.every(onRow);
    }
    case 'field':
      return isMapping(body) && onRow(body.name);
    case 'time':
      return isMapping(body) && (body.field === undefined || onRow(body.field));
    case 'count':
      return isMapping(body) && Array.isArray(body.same) && body.same.every(onRow);
    default:
      return false; // a leaf added later: assume it needs the whole ticket
  }
}

function whenOf(list: unknown, id: string): unknown {
  if (!Array.isArray(list)) return undefined;
  const rule: unknown = list.find((r) => isMapping(r) && r.id === id);
  return isMapping(rule) ? rule.when : undefined;
}

export function packViews(pack: CompiledPack): PackViews {
  const slaRowExact = new Set(pack.sla.filter((r) => judgeableOnRows(whenOf(pack.data.sla, r.id))).map((r) => r.id));
  const slaOnRowsRules: SlaRule[] = pack.sla.map((r) => (slaRowExact.has(r.id) ? r : { ...r, when: null }));
  const daily = pack.automations.filter((a) => a.on.kind === 'daily');
  const versions = new Map<string, number>();
  for (const r of [...pack.routing, ...pack.sla, ...pack.automations]) versions.set(r.id, r.version);
  return {
    full: pack,
    sla: { ...pack, ...NO_ROUTING, automations: [] },
    noRouting: { ...pack, ...NO_ROUTING },
    daily: { ...pack, ...NO_ROUTING, sla: [], automations: daily },
    slaOnRows: { ...pack, ...NO_ROUTING, automations: [], sla: slaOnRowsRules },
    slaRowExact,
    dailyOnRows: daily.every((a) => judgeableOnRows(whenOf(pack.data.automations, a.id))),
    versions,
    routingOrder: pack.routing.map((r) => r.id),
    slaLabels: slaLabels(pack),
  };
}
