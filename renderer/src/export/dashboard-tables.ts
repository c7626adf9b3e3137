/**
 * Every table of the supervisor view as an ExportTable (CSV / Excel), with the headers of the
 * console's language. Times are written in the site's zone, durations in minutes, rates as 0–1
 * fractions formatted as percentages in Excel.
 */
import { STAGES } from '../../../domain';
import type { ExportTable } from './table-export';
import type { MessageKey } from '@/i18n/zh-CN';
import type { DrillRow, MetricsOverview, MetricsStuck, Stage, StuckRow, TicketState, Trends } from '@/types';
import { hoursCell } from './format';

export interface TableLabels {
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  stageLabel: (s: Stage) => string;
  stateLabel: (s: TicketState) => string;
  personName: (id: string | null) => string;
  /** An ISO time in the site's zone (YYYY-MM-DD HH:mm). */
  time: (iso: string | null) => string;
}

const minutes = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 60_000));

export function breakpointTable(o: MetricsOverview, l: TableLabels): ExportTable<Stage> {
  const d = o.metrics.breakpointDetails;
  const days = Object.keys(d.created_assigned.byDay);
  return {
    name: `${l.t('bp.sheet')} ${o.period.from}~${o.period.to}`,
    columns: [
      { header: l.t('bp.col.stage'), value: (s) => l.stageLabel(s), width: 22 },
      { header: `${l.t('bp.col.threshold')}（min）`, value: (s) => d[s].thresholdMinutes },
      { header: l.t('bp.col.late'), value: (s) => d[s].late },
      { header: l.t('bp.col.finishedWaiting'), value: (s) => `${d[s].finishedLate} / ${d[s].waitingLate}`, width: 24 },
      { header: `${l.t('bp.col.previous')} ${o.previous.from}~${o.previous.to}`, value: (s) => o.previousBreakpoints[s], width: 26 },
      { header: l.t('bp.col.elimination'), value: (s) => o.eliminationRate[s], numFmt: '0.0%' },
      { header: l.t('bp.col.stuckNow'), value: (s) => o.stuckNow.byStage[s] },
      ...days.map((day) => ({ header: day, value: (s: Stage) => d[s].byDay[day] ?? 0, width: 11 })),
    ],
    rows: [...STAGES],
  };
}

export function buildingTable(o: MetricsOverview, l: TableLabels): ExportTable<string> {
  const m = o.metrics;
  return {
    name: `${l.t('building.sheet')} ${o.period.from}~${o.period.to}`,
    columns: [
      { header: l.t('building.col.building'), value: (b) => (b === '(none)' ? l.t('building.none') : b) },
      { header: l.t('building.col.hours'), value: (b) => hoursCell(m.avgCloseHoursByLocation[b]), numFmt: '0.00' },
      { header: l.t('building.col.closed'), value: (b) => m.counts.closedByLocation[b] ?? 0 },
    ],
    rows: Object.keys(m.avgCloseHoursByLocation),
  };
}

export function deviceTable(o: MetricsOverview, l: TableLabels): ExportTable<{ device: string; count: number }> {
  return {
    name: `${l.t('device.sheet')} ${o.period.from}~${o.period.to}`,
    columns: [
      { header: l.t('device.col.device'), value: (d) => d.device, width: 18 },
      { header: l.t('device.col.count'), value: (d) => d.count },
    ],
    rows: [...o.metrics.topRepeatDevices],
  };
}

export function trendTable(tr: Trends, l: TableLabels): ExportTable<number> {
  return {
    name: `${l.t('trend.sheet')} ${tr.days[0] ?? ''}~${tr.days[tr.days.length - 1] ?? ''}`,
    columns: [
      { header: l.t('trend.col.day'), value: (i) => tr.days[i] ?? null, width: 12 },
      { header: l.t('trend.created'), value: (i) => tr.created[i] ?? null },
      { header: l.t('trend.fr2h'), value: (i) => tr.firstResponse2hRate[i] ?? null, numFmt: '0.0%' },
      { header: l.t('trend.firstPass'), value: (i) => tr.firstPassRate[i] ?? null, numFmt: '0.0%' },
      { header: l.t('trend.close'), value: (i) => hoursCell(tr.avgCloseHours[i]), numFmt: '0.00' },
      ...STAGES.map((s) => ({ header: `${l.t('trend.breakpoints')}：${l.stageLabel(s)}`, value: (i: number) => tr.breakpoints[s][i] ?? 0, width: 20 })),
    ],
    rows: tr.days.map((_, i) => i),
  };
}

export function stuckTable(s: MetricsStuck, l: TableLabels): ExportTable<StuckRow> {
  return {
    name: l.t('stuck.sheet'),
    columns: [
      { header: l.t('list.col.no'), value: (r) => r.no, width: 18 },
      { header: l.t('list.col.title'), value: (r) => r.title, width: 30 },
      { header: l.t('stuck.col.stage'), value: (r) => (r.stage ? l.stageLabel(r.stage) : l.t('stuck.none')), width: 18 },
      { header: `${l.t('stuck.col.inStage')}（min）`, value: (r) => minutes(r.msInStage) },
      { header: `${l.t('stuck.col.threshold')}（min）`, value: (r) => minutes(r.thresholdMs) },
      { header: l.t('stuck.late'), value: (r) => (r.late ? l.t('stuck.late') : '') },
      { header: l.t('list.col.state'), value: (r) => l.stateLabel(r.state) },
      { header: l.t('list.col.assignee'), value: (r) => (r.assignee ? l.personName(r.assignee) : l.t('list.unassigned')) },
      { header: l.t('stuck.col.area'), value: (r) => r.area },
      { header: l.t('stuck.col.pool'), value: (r) => r.pool, width: 16 },
      { header: l.t('list.col.location'), value: (r) => r.location, width: 20 },
      { header: l.t('ticket.device'), value: (r) => r.device },
      { header: l.t('ticket.urgency'), value: (r) => r.urgency },
      { header: l.t('stuck.col.since'), value: (r) => l.time(r.since), width: 18 },
    ],
    rows: s.rows,
  };
}

export function drillTable(name: string, rows: readonly DrillRow[], l: TableLabels): ExportTable<DrillRow> {
  return {
    name,
    columns: [
      { header: l.t('list.col.no'), value: (r) => r.no, width: 18 },
      { header: l.t('list.col.title'), value: (r) => r.title, width: 30 },
      { header: l.t('list.col.state'), value: (r) => l.stateLabel(r.state) },
      { header: l.t('list.col.assignee'), value: (r) => (r.assignee ? l.personName(r.assignee) : l.t('list.unassigned')) },
      { header: l.t('list.col.location'), value: (r) => r.location, width: 20 },
      { header: l.t('ticket.device'), value: (r) => r.device },
      { header: l.t('list.col.createdAt'), value: (r) => l.time(r.createdAt), width: 18 },
      { header: l.t('drill.col.verifiedAt'), value: (r) => l.time(r.verifiedAt), width: 18 },
      { header: l.t('drill.col.closeHours'), value: (r) => hoursCell(r.closeHours), numFmt: '0.00' },
    ],
    rows,
  };
}
