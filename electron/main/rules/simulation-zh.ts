import type { Difference, SimulationReport } from '../../../rules';
import type { RuleSimulation, RuleSimulationChange } from '../../contract/ipc';

type Value = Difference['before'];

const NONE = '无';

/** One difference for people: "处理人：王建国 → 林师傅", "标签：+夜间直派", "SLA 超时：−accept-15m". */
export function differenceZh(d: Difference, name: (id: string) => string): string {
  const text = (v: Value): string => (v === null || v === '' ? NONE : String(v));
  const list = (v: Value): string[] => (Array.isArray(v) ? v.map(String) : []);
  const delta = (label: string): string => {
    const before = list(d.before);
    const after = list(d.after);
    const parts = [...after.filter((x) => !before.includes(x)).map((x) => `+${x}`), ...before.filter((x) => !after.includes(x)).map((x) => `−${x}`)];
    return `${label}：${parts.join(' ')}`;
  };
  switch (d.aspect) {
    case 'assignee':
      return `处理人：${d.before === null ? NONE : name(String(d.before))} → ${d.after === null ? NONE : name(String(d.after))}`;
    case 'pool':
      return `队列：${text(d.before)} → ${text(d.after)}`;
    case 'priority':
      return `优先级：${text(d.before)} → ${text(d.after)}`;
    case 'skipDispatch':
      return `跳过人工派单：${d.before ? '是' : '否'} → ${d.after ? '是' : '否'}`;
    case 'notifications':
      return `通知：${text(d.before)} → ${text(d.after)} 条`;
    case 'tasks':
      return `任务：${text(d.before)} → ${text(d.after)} 个`;
    case 'pushes':
      return `推送：${text(d.before)} → ${text(d.after)} 次`;
    case 'tags':
      return delta('标签');
    case 'sla':
      return delta('SLA 超时');
  }
}

/** The contract's view of a dry run: Chinese lines, people's names, both sides' tallies. */
export function simulationView(
  report: SimulationReport,
  meta: Pick<RuleSimulation, 'from' | 'to' | 'against' | 'source' | 'elapsedMs'>,
  name: (id: string) => string,
): RuleSimulation {
  const changed: RuleSimulationChange[] = report.changed.map((c) => ({
    ticketId: c.id, no: c.ticket, createdAt: c.createdAt, title: c.title,
    changes: c.differences.map((d) => differenceZh(d, name)), fired: [...c.fired],
  }));
  return {
    ...meta,
    replayed: report.replayed,
    changedTotal: report.changedTotal,
    changed,
    counts: { ...report.counts },
    rules: report.rules.map((r) => ({ rule: r.rule, kind: r.kind, draft: r.draft, current: r.current ?? 0 })),
    notifications: Object.entries(report.notifications).map(([channel, n]) => ({ channel, draft: n.draft, current: n.current ?? 0 })),
    breachedTickets: { draft: report.breachedTickets.draft, current: report.breachedTickets.current ?? 0 },
  };
}
