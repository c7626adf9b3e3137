import { createRouter, createWebHashHistory, type Router } from 'vue-router';
import { useSessionStore } from '../stores/session';
import { ADMIN_ROLES, DASHBOARD_ROLES, FORM_ADMIN_ROLES, landingFor, mayOpen } from './route-meta';

/**
 * Hash history: the console loads from file:// in Electron and from any path the browser host
 * serves it on, and a reload never asks the server for a route.
 */
export function createConsoleRouter(): Router {
  const router = createRouter({
    history: createWebHashHistory(),
    routes: [
      // Where a person lands depends on who is signed in, known once the global guard loaded the session.
      { path: '/', name: 'home', component: () => import('@/views/WorkbenchView.vue'), beforeEnter: () => ({ name: landingFor(useSessionStore().role) }) },
      { path: '/workbench', name: 'workbench', component: () => import('@/views/WorkbenchView.vue') },
      { path: '/sign-in', name: 'sign-in', component: () => import('@/views/SignInView.vue'), meta: { public: true } },
      { path: '/tickets', name: 'tickets', component: () => import('@/views/TicketListView.vue') },
      { path: '/tickets/new', name: 'ticket-new', component: () => import('@/views/TicketCreateView.vue') },
      { path: '/tickets/:id', name: 'ticket', component: () => import('@/views/TicketDetailView.vue'), props: true },
      { path: '/dashboard', name: 'dashboard', component: () => import('@/views/DashboardView.vue'), meta: { roles: DASHBOARD_ROLES } },
      { path: '/dashboard/stuck', name: 'stuck', component: () => import('@/views/DashboardStuckView.vue'), meta: { roles: DASHBOARD_ROLES } },
      { path: '/rulebook', name: 'rulebook', component: () => import('@/views/RulebookView.vue') },
      { path: '/forms', name: 'forms', component: () => import('@/views/FormAdminView.vue'), meta: { roles: FORM_ADMIN_ROLES } },
      { path: '/admin', name: 'admin', component: () => import('@/views/AdminView.vue'), meta: { roles: ADMIN_ROLES } },
      { path: '/:rest(.*)*', redirect: { name: 'home' } },
    ],
  });

  router.beforeEach(async (to) => {
    const session = useSessionStore();
    try {
      await session.load();
    } catch {
      // The sign-in view shows why the site could not be read and offers a retry.
    }
    if (to.meta.public) return true;
    if (!session.user) return { name: 'sign-in', query: to.fullPath !== '/tickets' && to.fullPath !== '/' ? { next: to.fullPath } : {} };
    if (!mayOpen(to.meta.roles, session.role)) return { name: 'tickets' };
    return true;
  });

  return router;
}
