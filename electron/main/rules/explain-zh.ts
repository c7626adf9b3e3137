import { ROLE_LABELS, STATE_LABELS, type ActorKind, type TicketState } from '../../../domain';

/**
 * The engine's explain lines (stable English-ish text with people's names, kept in the ledger) in
 * Chinese for the console: "night-bearing: keyword 轴承 in description; 22:10 within 20:00–07:59 →
 * 林师傅" → "描述含“轴承”；22:10 在 20:00–07:59 内 → 林师傅". Phrases it does not know stay as
 * they are, so a new engine phrase is never lost, only untranslated.
 */
const FIELDS: Record<string, string> = {
  title: '标题', description: '描述', tags: '标签', category: '类别', device: '设备', location: '位置',
  requester: '报修人', urgency: '紧急程度', priority: '优先级', pool: '工单池', assignee: '处理人', state: '状态',
  site: '站点', no: '工单号', returns: '退回次数', createdAt: '创建时间', stateEnteredAt: '进入本状态时间', now: '当前时间',
};
const CHANNELS: Record<string, string> = { sms: '短信', wecom: '企业微信', email: '邮件', webhook: 'Webhook', desktop: '桌面通知' };
const LEVELS: Record<string, string> = { warn: '预警', breach: '超时', escalate: '升级' };
const BANNERS: Record<string, string> = { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色' };
const DAYS: Record<string, string> = { Mon: '周一', Tue: '周二', Wed: '周三', Thu: '周四', Fri: '周五', Sat: '周六', Sun: '周日' };
const UNITS: Record<string, string> = { d: '天', h: '小时', m: '分钟', s: '秒' };
const FIELD_NAMES = `(?:${Object.keys(FIELDS).join('|')}|form\\.[\\p{L}\\p{N}_-]+|milestones\\.\\w+)`;

const state = (s: string) => STATE_LABELS[s as TicketState]?.zh ?? s;
const role = (r: string) => ROLE_LABELS[r as ActorKind]?.zh ?? r;
const field = (f: string) => FIELDS[f] ?? (f.startsWith('form.') ? `表单项 ${f.slice(5)}` : f);
/** A ticket field's name in Chinese (`category` → `类别`, `form.x` → `表单项 x`); unknown names stay. */
export const fieldZh = field;
/** `1h30m` → `1 小时 30 分钟`. */
export const durationZh = (d: string) => d.replace(/(\d+)([dhms])/g, (_m, n: string, u: string) => `${n} ${UNITS[u] ?? u} `).trim();

function recipient(label: string): string {
  return label
    .replace(/^the assignee$/, '处理人')
    .replace(/^on duty in roster (\S+)$/, '值班表 $1 的在岗人员')
    .replace(/^role (\w+)$/, (_m, r: string) => `角色 ${role(r)}`)
    .replace(/^team (\S+)$/, '班组 $1')
    .replace(/^(\w+) of the ticket's area \(location (.*) is in no area\)$/, (_m, r: string, l: string) => `工单所在区域的${role(r)}（位置 ${l} 不属于任何区域）`)
    .replace(/^(\w+) of area (\S+)$/, (_m, r: string, a: string) => `区域 ${a} 的${role(r)}`);
}

const RULES: [RegExp, string | ((...m: string[]) => string)][] = [
  [/^(\w+) to (.+): nobody, no notification$/, (_m, c = '', to = '') => `${CHANNELS[c] ?? c}发给${recipient(to)}：无人，不发送`],
  [/^task "(.+)" for (.+): nobody, no task$/, (_m, t = '', to = '') => `任务“${t}”（${recipient(to)}）：无人，未创建`],
  [/^the ticket already has assignee (.+); kept$/, '工单已有处理人 $1，保持不变'],
  [/^nobody in team (\S+); assign does nothing$/, '班组 $1 无人，未分派'],
  [/^nobody on duty in roster (\S+) at (\d\d:\d\d); assign does nothing$/, '$2 值班表 $1 无人在岗，未分派'],
  [/^skip_dispatch: the ticket is already (\w+); nothing to skip$/, (_m, s = '') => `跳过派单：工单已是${state(s)}，无需跳过`],
  [/^skip_dispatch: no assignee, so the ticket stays pending_acceptance$/, '跳过派单：没有处理人，工单保持待受理'],
  [/^stop \(later routing rules not evaluated\)$/, '停止（不再评估后续分派规则）'],
  [/^(.*)nothing new \(earlier rules already decided\)$/, '$1无新结果（前面的规则已决定）'],
];

const PHRASES: [RegExp, string | ((...m: string[]) => string)][] = [
  [/^always\b/, '无条件'],
  [/^also /, '另外：'],
  [/\bkeywords? /g, ''],
  [new RegExp(`(\\S+) in (${FIELD_NAMES})(?:/[\\w./]+)?`, 'gu'), (_m, w = '', f = '') => `${field(f)}含“${w}”`],
  [/\bnone of (\S+?)(?: in ([\w., ]+))?(?=[;,]|$)/g, (_m, w = '', f) => `${f ? f.split(', ').map(field).join('、') : ''}不含“${w.split('/').join('”“')}”`],
  [/(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?(\d\d:\d\d) within (?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun)'s )?(\d\d:\d\d)–(\d\d:\d\d)/g,
    (_m, d1, t = '', d2, a = '', b = '') => `${d1 ? `${DAYS[d1]} ` : ''}${t} 在${d2 ? `${DAYS[d2]}的 ` : ' '}${a}–${b} 内`],
  [/ on ((?:mon|tue|wed|thu|fri|sat|sun|workday|offday)(?:\/\w+)*)/g, '（$1）'],
  [/, inside business hours/g, '，在工作时间内'],
  [/, outside business hours/g, '，在工作时间外'],
  [/(\d+) tickets with (.+?) (today|in (\S+)) \(at least (\d+)\)/g, (_m, n = '', same = '', _w, span, least = '') =>
    `${same.split(', ').map((p) => p.replace(/^(\S+) /, (_x, f: string) => `${field(f)} `)).join('、')} 的工单${span ? ` ${durationZh(span)}内` : '今天'}共 ${n} 张（至少 ${least} 张）`],
  [/(\w+) since ([\d: -]+?)(?=[;(]| \()/g, (_m, s = '', at = '') => `${state(s)}自 ${at} 起`],
  [/paused, clock stopped \((\w+) after (?:business )?(\S+)\)/g, (_m, l = '', d = '') => `已暂停，计时停止（${durationZh(d)}后${LEVELS[l] ?? l}）`],
  [/no deadline \(the calendar never opens\)/g, '无时限（日历中没有工作时间）'],
  [/(\w+) due ([\d: -]+) \(in (\S+)\)/g, (_m, l = '', at = '', d = '') => `${LEVELS[l] ?? l}时限 ${at}（还剩 ${durationZh(d)}）`],
  [/(\w+) due ([\d: -]+), breached (\S+) ago/g, (_m, l = '', at = '', d = '') => `${LEVELS[l] ?? l}时限 ${at}，已超时 ${durationZh(d)}`],
  [/\b(red|orange|yellow|blue) banner\b/g, (_m, c = '') => `${BANNERS[c]}横幅`],
  [/\bon transition to (\w+)/g, (_m, s = '') => `转为${state(s)}时`],
  [/^on (created|updated|daily)$/, (_m, e = '') => ({ created: '创建时', updated: '更新时', daily: '每日检查' })[e] ?? e],
  [/\btask (.+?) → /g, '任务“$1” → '],
  [/\bpush ticket to (\S+)/g, '推送工单到 $1'],
  [/\bpush (\d+) recent repairs of (.+?) to (\S+)/g, '推送 $2 最近 $1 次维修记录到 $3'],
  [/\bpool /g, '工单池 '],
  [/\bpriority /g, '优先级 '],
  [/\burgency /g, '紧急程度 '],
  [/\bskip dispatch\b/g, '跳过人工派单'],
  [/\btags /g, '标签 '],
  [/\b(sms|wecom|email|webhook|desktop) → /g, (_m, c = '') => `${CHANNELS[c]} → `],
  [/\bnothing$/, '无'],
  [/; /g, '；'],
];

/** A leading field name of a condition segment ("category 网络") in Chinese. */
function leadingField(segment: string): string {
  return segment.replace(new RegExp(`^(${FIELD_NAMES}) `, 'u'), (_m, f: string) => `${field(f)} `);
}

function apply(text: string, table: typeof PHRASES): string {
  let out = text;
  for (const [re, to] of table) out = typeof to === 'string' ? out.replace(re, to) : out.replace(re, to as (...m: string[]) => string);
  return out;
}

/** One explain line of rule `rule` without its `rule: ` prefix, in Chinese. */
export function explainLineZh(line: string, rule?: string): string {
  const prefix = rule === undefined ? /^[\w.-]+: (?=.)/.exec(line)?.[0] : `${rule}: `;
  const body = prefix && line.startsWith(prefix) && !line.startsWith('skip_dispatch: ') ? line.slice(prefix.length) : line;
  for (const [re, to] of RULES) if (re.test(body)) return apply(typeof to === 'string' ? body.replace(re, to) : body.replace(re, to as (...m: string[]) => string), PHRASES);
  const [head, ...rest] = body.split(' → ');
  const reasons = (head ?? '').split('; ').map(leadingField).join('; ');
  return apply([reasons, ...rest].join(' → '), PHRASES);
}
