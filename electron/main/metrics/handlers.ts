import type { Role } from '../../../domain';
import type { StuckFilter } from '../../../domain/metrics';
import { ContractError, type CallContext, type Handlers, type Session } from '../../contract/ipc';
import type { SeatMetrics } from './seat-metrics';

/** Who may open the supervisor view. */
export const DASHBOARD_ROLES: readonly Role[] = ['supervisor', 'admin'];

export interface MetricsHandlerDeps {
  metrics: SeatMetrics;
  requireSession: (ctx: CallContext) => Session;
}

type MetricsHandlers = Pick<Handlers, 'metrics.overview' | 'metrics.trends' | 'metrics.stuck' | 'metrics.tickets'>;

function requireSupervisor(deps: MetricsHandlerDeps, ctx: CallContext): void {
  const s = deps.requireSession(ctx);
  if (!DASHBOARD_ROLES.includes(s.user.role)) {
    throw new ContractError({ code: 'not_allowed', message: `主管看板仅对主管和管理员开放（${s.user.name} 的角色是 ${s.user.role}）` });
  }
}

/** The contract's `metrics.*` calls over the seat's dashboard. */
export function metricsHandlers(deps: MetricsHandlerDeps): MetricsHandlers {
  return {
    'metrics.overview': async ({ from, to }, ctx) => {
      requireSupervisor(deps, ctx);
      return deps.metrics.overview(from, to);
    },
    'metrics.trends': async ({ days }, ctx) => {
      requireSupervisor(deps, ctx);
      return deps.metrics.trends(days);
    },
    'metrics.stuck': async (input, ctx) => {
      requireSupervisor(deps, ctx);
      const filter: { -readonly [K in keyof StuckFilter]: StuckFilter[K] } = {};
      if (input.assignee !== undefined) filter.assignee = input.assignee;
      if (input.team !== undefined) filter.team = input.team;
      if (input.area !== undefined) filter.area = input.area;
      if (input.pool !== undefined) filter.pool = input.pool;
      if (input.stage !== undefined) filter.stage = input.stage;
      return deps.metrics.stuck(filter);
    },
    'metrics.tickets': async ({ from, to, building, device }, ctx) => {
      requireSupervisor(deps, ctx);
      return deps.metrics.tickets({ from, to, building, device });
    },
  };
}
