/**
 * Deterministic inputs for the rules benchmark: a 500-rule routing pack (keyword any/all/none
 * lists, category/urgency conditions, some time windows, a few stops) and a few thousand Chinese
 * tickets. Same seed → same pack and tickets on every run.
 */
import { seededRng } from '../../domain/demo/random';

/** The same seeded PRNG as the demo data (mulberry32). */
export const rng = seededRng;

const COMPONENTS = [
  '轴承', '电机', '水泵', '风机', '皮带', '减速机', '空压机', '冷却塔', '变频器', '传感器', '阀门', '管道', '配电柜',
  '开关', '照明', '电梯', '门禁', '监控', '摄像头', '交换机', '路由器', '网关', '服务器', '打印机', '显示器', '键盘',
  '数据库', '操作系统', '应用系统', '工控机', 'PLC', '触摸屏', '叉车', '锅炉', '空调', '热水器', '消防泵', '烟感', '发电机', 'UPS',
];
const SYMPTOMS = [
  '异响', '过热', '漏油', '漏水', '振动', '卡死', '跳闸', '无法启动', '报警', '断网', '丢包', '蓝屏', '死机', '无法登录',
  '报错', '卡顿', '停机风险', '冒烟', '异味', '短路', '松动', '磨损', '失灵', '黑屏', '超时',
];
const FILLER = [
  '今天早上巡检时发现', '请尽快安排师傅处理', '已经影响正常生产', '现场已临时断电', '客户反映已经出现多次', '上周刚刚维修过',
  '麻烦带上备件', '位置在车间东侧靠近出口', '已通知班组长', '目前设备临时停用', '夜班人员报告', '声音比较大',
  '温度比平时高', '请确认是否需要更换', '操作员无法继续作业', '怀疑是老化导致', '附件里有现场照片', '联系电话见工单',
];
export const CATEGORIES = ['网络', '系统', '应用', '硬件'] as const;
export const URGENCIES = ['立即处理', '2小时内', '24小时内'] as const;
const POOLS = Array.from({ length: 20 }, (_, i) => `池-${i + 1}`);
const TAGS = Array.from({ length: 30 }, (_, i) => `标签${i + 1}`);
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface GeneratedRule {
  readonly id: string;
  readonly any: string[];
  readonly all: string[];
  readonly none: string[];
  readonly category: { eq: string } | { in: string[] } | null;
  readonly urgency: string | null;
  readonly window: { from: string; to: string; days: string[] | null } | null;
  readonly assign: string;
  readonly pool: string | null;
  readonly priority: string | null;
  readonly tags: string[];
  readonly stop: boolean;
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const pickSome = <T>(r: () => number, list: readonly T[], n: number): T[] => {
  const out = new Set<T>();
  while (out.size < n) out.add(pick(r, list));
  return [...out];
};
const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Rule keywords: mostly a component with its symptom (电机过热), sometimes a bare word. */
function keyword(r: () => number): string {
  const x = r();
  if (x < 0.12) return pick(r, COMPONENTS);
  if (x < 0.2) return pick(r, SYMPTOMS);
  return pick(r, COMPONENTS) + pick(r, SYMPTOMS);
}

export function generateRules(count: number, seed = 1): GeneratedRule[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const hasWindow = r() < 0.2;
    const from = Math.floor(r() * 48) * 30;
    const to = (from + 60 * (2 + Math.floor(r() * 12)) - 1) % 1440;
    const catRoll = r();
    return {
      id: `r${String(i).padStart(3, '0')}`,
      any: pickSome(r, Array.from({ length: 6 }, () => keyword(r)), 2 + Math.floor(r() * 4)),
      all: r() < 0.3 ? [pick(r, COMPONENTS), pick(r, SYMPTOMS)] : [],
      none: r() < 0.15 ? [pick(r, SYMPTOMS)] : [],
      category: catRoll < 0.25 ? { eq: pick(r, CATEGORIES) } : catRoll < 0.4 ? { in: pickSome(r, CATEGORIES, 2) } : null,
      urgency: r() < 0.25 ? pick(r, URGENCIES) : null,
      window: hasWindow ? { from: hhmm(from), to: hhmm(to), days: r() < 0.3 ? pickSome(r, DAYS, 3) : null } : null,
      assign: `u${String(Math.floor(r() * 40)).padStart(2, '0')}`,
      pool: r() < 0.7 ? pick(r, POOLS) : null,
      priority: r() < 0.5 ? pick(r, ['P1', 'P2', 'P3', 'P4']) : null,
      tags: r() < 0.6 ? pickSome(r, TAGS, 1 + Math.floor(r() * 2)) : [],
      stop: r() < 0.02,
    };
  });
}

/** The rules as a version-1 pack (plain data, as if read from YAML). */
export function rulesToPack(rules: readonly GeneratedRule[]): unknown {
  return {
    version: 1,
    site: { timezone: 'Asia/Shanghai' },
    people: Array.from({ length: 40 }, (_, i) => ({ id: `u${String(i).padStart(2, '0')}`, name: `技术员${i}`, roles: ['technician'] })),
    routing: rules.map((rule) => {
      const all: unknown[] = [{ keywords: { any: rule.any, ...(rule.all.length ? { all: rule.all } : {}), ...(rule.none.length ? { none: rule.none } : {}) } }];
      if (rule.category) all.push({ field: { name: 'category', ...rule.category } });
      if (rule.urgency) all.push({ field: { name: 'urgency', eq: rule.urgency } });
      if (rule.window) all.push({ time: { between: [rule.window.from, rule.window.to], ...(rule.window.days ? { days: rule.window.days } : {}) } });
      return {
        id: rule.id,
        when: { all },
        then: {
          assign: { user: rule.assign },
          ...(rule.pool ? { pool: rule.pool } : {}),
          ...(rule.priority ? { priority: rule.priority } : {}),
          ...(rule.tags.length ? { tags: rule.tags } : {}),
        },
        ...(rule.stop ? { stop: true } : {}),
      };
    }),
  };
}

export type GeneratedTicket = {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly tags: string[];
  readonly category: string;
  readonly urgency: string;
  readonly state: 'pending_acceptance';
  readonly createdAt: string;
};

export function generateTickets(count: number, seed = 2): GeneratedTicket[] {
  const r = rng(seed);
  const base = Date.UTC(2026, 2, 2, 0, 0) - 8 * 3_600_000; // Monday 2 March 2026, 00:00 in Shanghai
  return Array.from({ length: count }, (_, i) => {
    const terms = Array.from({ length: 1 + Math.floor(r() * 4) }, () => (r() < 0.5 ? pick(r, COMPONENTS) + pick(r, SYMPTOMS) : pick(r, r() < 0.5 ? COMPONENTS : SYMPTOMS)));
    const sentences = Array.from({ length: 3 + Math.floor(r() * 5) }, () => pick(r, FILLER));
    for (const term of terms.slice(1)) sentences.splice(Math.floor(r() * sentences.length), 0, term);
    const minute = Math.floor(r() * 7 * 1440);
    const local = new Date(base + minute * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
    return {
      id: `b-${i}`,
      title: `${pick(r, ['1号楼', '2号楼', '一车间', '动力中心'])}${terms[0] ?? ''}`,
      description: sentences.join('，'),
      tags: r() < 0.3 ? [pick(r, SYMPTOMS)] : [],
      category: pick(r, CATEGORIES),
      urgency: pick(r, URGENCIES),
      state: 'pending_acceptance',
      createdAt: `${local}:00+08:00`,
    };
  });
}
