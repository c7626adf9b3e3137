export { SeatMetrics, type SeatMetricsDeps } from './seat-metrics';
export { metricsHandlers, DASHBOARD_ROLES, type MetricsHandlerDeps } from './handlers';
export { metricsSettings, type MetricsSettings, type RulebookLike } from './settings';
export { MAX_PERIOD_DAYS } from './views';
