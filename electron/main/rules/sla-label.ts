import { STATE_LABELS, type TicketState } from '../../../domain';
import type { CompiledPack } from '../../../rules';
import { durationZh, fieldZh } from './explain-zh';

/**
 * What an SLA item of a rule pack means, in Chinese words for the console — the pack format gives
 * SLA items ids, not labels: `{state: dispatched, after: 30m}` → "已派单 30 分钟未接单",
 * `{state: in_progress, after: 4h, business: true}` → "处理中超过 4 小时（工作时间）", and a `when:`
 * in brief, `{…, when: {field: {name: priority, eq: P1}}}` → "处理中超过 2 小时（P1）". Pure: from
 * the item as written in the pack.
 */
export interface SlaItem {
  readonly state: string;
  /** As written: an integer and one unit (s, m, h, d). */
  readonly after: string;
  readonly business?: boolean | undefined;
  /** The condition as written in the pack (data, not compiled). */
  readonly when?: unknown;
}

/** Longest condition said in words; a longer one is only said to exist. */
const BRIEF_MAX = 20;
const SOME_CONDITION = '有条件';
const DAYS: Record<string, string> = {
  mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日', workday: '工作日', offday: '休息日',
};
const OPS: Record<string, string> = { ne: '非 ', gte: '≥ ', lte: '≤ ' };
/** Fields whose values say what they are ("P1"): shown without the field's name. */
const SELF_EVIDENT = new Set(['priority']);

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);
const texts = (v: unknown): string[] | null => {
  if (!Array.isArray(v)) return null;
  const out = v.map(text);
  return out.every((x): x is string => x !== null) ? out : null;
};

function fieldBrief(body: Record<string, unknown>): string | null {
  const name = text(body.name);
  if (name === null) return null;
  const label = fieldZh(name);
  const bare = SELF_EVIDENT.has(name);
  const parts: string[] = [];
  for (const [op, value] of Object.entries(body)) {
    if (op === 'name') continue;
    if (op === 'exists') {
      if (typeof value !== 'boolean') return null;
      parts.push(`${value ? '有' : '无'}${label}`);
      continue;
    }
    const v = op === 'in' ? texts(value)?.join('/') : text(value);
    if (v === undefined || v === null) return null;
    if (op === 'eq' || op === 'in') parts.push(bare ? v : `${label} ${v}`);
    else if (OPS[op]) parts.push(`${bare ? '' : `${label} `}${OPS[op]}${v}`);
    else return null;
  }
  return parts.length ? parts.join('、') : null;
}

function keywordsBrief(body: Record<string, unknown>): string | null {
  const quoted = (v: unknown, sep: string, many: string) => {
    const words = texts(v);
    if (!words?.length) return null;
    return words.length > 3 ? many.replace('{w}', `“${words[0]}”`).replace('{n}', String(words.length)) : words.map((w) => `“${w}”`).join(sep);
  };
  const parts: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === 'in') continue;
    const words = quoted(value, key === 'all' ? '' : '/', key === 'all' ? '{w}等全部 {n} 个词' : '{w}等 {n} 个词之一');
    if (words === null) return null;
    if (key === 'any' || key === 'all') parts.push(`含${words}`);
    else if (key === 'none') parts.push(`不含${words}`);
    else return null;
  }
  return parts.length ? parts.join('、') : null;
}

function timeBrief(body: Record<string, unknown>): string | null {
  const parts: string[] = [];
  const field = text(body.field);
  if (Array.isArray(body.days)) {
    const days = body.days.map((d) => DAYS[String(d)] ?? String(d));
    parts.push(days.join('/'));
  }
  const between = texts(body.between);
  if (between?.length === 2) parts.push(`${between[0]}–${between[1]}`);
  if (body.business === true) parts.push('工作时间内');
  if (body.business === false) parts.push('工作时间外');
  if (!parts.length) return null;
  const at = parts.join(' ');
  if (field !== null && field !== 'createdAt') return `${fieldZh(field)} ${at}`;
  return /[\x00-\x7f]$/.test(at) ? `${at} 报修` : `${at}报修`;
}

function countBrief(body: Record<string, unknown>): string | null {
  const same = texts(body.same);
  const least = text(body.at_least);
  const within = text(body.within);
  if (!same || least === null || within === null) return null;
  const span = within === 'today' ? '当天' : ` ${durationZh(within)}内`;
  return `同${same.map(fieldZh).join('、')}${span} ≥${least} 张`;
}

/** The only key of a condition and its body, or null. */
function single(when: unknown): [string, unknown] | null {
  if (!isMapping(when)) return null;
  const entries = Object.entries(when);
  return entries.length === 1 ? (entries[0] as [string, unknown]) : null;
}

/** One condition that is not all/any/not, in words; null when it is not known, or says several things where `several` is false. */
function leafBrief(when: unknown, several = false): string | null {
  const [key, body] = single(when) ?? [];
  if (!isMapping(body)) return null;
  const out = key === 'field' ? fieldBrief(body) : key === 'keywords' ? keywordsBrief(body) : key === 'time' ? timeBrief(body) : key === 'count' ? countBrief(body) : null;
  return out !== null && (several || !/[、或]/.test(out)) ? out : null;
}

/** The opposite of a leaf in words: 含 → 不含, 非 X → X, else 非 X. */
function negated(leaf: string): string {
  if (leaf.startsWith('不含')) return leaf.slice(1);
  if (leaf.startsWith('含')) return `不${leaf}`;
  if (leaf.startsWith('非')) return leaf.slice(1).trimStart();
  return `非${/^[\x00-\x7f]/.test(leaf) ? ' ' : ''}${leaf}`;
}

/**
 * A condition (as written in the pack) in a few words, or null when it would take more. Words have
 * no brackets, so only one level is said: `all` joins with 、, `any` with 或, `not` over `all`/`any`
 * is turned round (not any → 非 a、非 b; not all → 非 a或非 b), and anything nested deeper (an `any`
 * inside an `all`, a leaf that already says two things) is only said to exist.
 */
export function conditionBrief(when: unknown): string | null {
  const [key, body] = single(when) ?? [];
  let out: string | null;
  if (key === 'all' || key === 'any' || key === 'not') {
    const [joined, inner] = key === 'not' ? (single(body) ?? []) : [key, body];
    const negate = key === 'not';
    if (joined === 'all' || joined === 'any') {
      const parts = Array.isArray(inner) && inner.length > 0 ? inner.map((p) => leafBrief(p)) : [null];
      const words = parts.every((p): p is string => p !== null) ? parts.map((p) => (negate ? negated(p) : p)) : null;
      out = words && words.join((joined === 'all') !== negate ? '、' : '或');
    } else {
      const leaf = leafBrief(body);
      out = leaf === null ? null : negated(leaf);
    }
  } else out = leafBrief(when, true);
  return out !== null && out.length <= BRIEF_MAX ? out : null;
}

/** How long in a state the item allows, as people say it: "待受理超过 15 分钟", "已派单 30 分钟未接单". */
function stateSpan(state: string, after: string): string {
  const label = STATE_LABELS[state as TicketState]?.zh ?? state;
  const d = durationZh(after);
  return state === 'dispatched' ? `${label} ${d}未接单` : `${label}超过 ${d}`;
}

/** The Chinese label of one SLA item. */
export function slaLabel(item: SlaItem): string {
  const notes: string[] = [];
  if (item.business) notes.push('工作时间');
  if (item.when !== undefined && item.when !== null) notes.push(conditionBrief(item.when) ?? SOME_CONDITION);
  return `${stateSpan(item.state, item.after)}${notes.length ? `（${notes.join('，')}）` : ''}`;
}

/** Every SLA item's label by rule id, from the pack as written. */
export function slaLabels(pack: Pick<CompiledPack, 'data'>): ReadonlyMap<string, string> {
  return new Map((pack.data.sla ?? []).map((s) => [s.id, slaLabel(s)]));
}
