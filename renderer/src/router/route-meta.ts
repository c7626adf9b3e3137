import type { Role } from '../types';

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without signing in. */
    public?: boolean;
    /** Only these roles may open the route (others are sent to the ticket list). */
    roles?: readonly Role[];
  }
}

/** Who sees the supervisor view (主管看板, 卡点); the node refuses the others too. */
export const DASHBOARD_ROLES: readonly Role[] = ['supervisor', 'admin'];

/** Who opens the intake-form editor: admins change and publish, supervisors read. */
export const FORM_ADMIN_ROLES: readonly Role[] = ['admin', 'supervisor'];

/** Who opens 系统管理 (users, seats, sites, connectors, server); the node and the server refuse the others too. */
export const ADMIN_ROLES: readonly Role[] = ['admin'];

export function mayOpen(roles: readonly Role[] | undefined, role: Role | null): boolean {
  return roles === undefined || (role !== null && roles.includes(role));
}

/** Where a person lands after signing in: the workbench for the people who work tickets all day. */
export function landingFor(role: Role | null): 'workbench' | 'tickets' {
  return role === 'agent' || role === 'dispatcher' || role === 'technician' ? 'workbench' : 'tickets';
}
