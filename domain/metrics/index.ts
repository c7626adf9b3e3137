/**
 * Supervisor metrics (issue 6, docs/metrics.md): the cards, the 7 breakpoints, where tickets are
 * stuck, trends, and an incremental dashboard over the seat's ticket rows. Pure: `now` is an
 * argument, days are the site zone's calendar days.
 */
export type { MetricTicket, MetricsConfig, Period, PeriodMetrics, Trends, DeviceCount, StageBreakpoints, StageRecord } from './types';
export { metricsConfig } from './types';
export { computeMetrics, computeTrends, lastDays, periodDays, PeriodError } from './compute';
export { breakpointEliminationRate, rate, topDevices, TOP_DEVICES, REPEAT_AT_LEAST } from './report';
export { buildingOf, NO_LOCATION, TWO_HOURS } from './facts';
export { stuckTickets, waitingForResponse, areaMatcher, isOpenTicket } from './stuck';
export type { StuckFilter, SiteDirectory, StuckEntry, StuckView, WaitingView } from './stuck';
export { IncrementalDashboard } from './dashboard';
export { ZoneDays, dayKey, dayNumber, daysBetween } from './days';
export { instantMs } from './instant';
