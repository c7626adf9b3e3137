import { DELIVERY_STATES, type DeliveryRecord, type DeliveryState } from '../storage/delivery-types';
import type { SyncStorage } from '../storage/types';

/**
 * Admin commands for deliveries (`npm run -s admin -- deliveries|dead-letters|delivery|retry`),
 * run by AdminService directly on the storage or through the running server's admin socket.
 * Returns undefined for a command that is not one of these.
 */
export class DeliveryAdminError extends Error {}

export const DELIVERY_USAGE = `  deliveries [--state queued|sending|sent|dead] [--ticket ID] [--last N]   recent deliveries, newest first
  dead-letters [--last N]      deliveries that failed or whose outcome is unknown
  delivery <key>               one delivery in full (key: the idempotency key, d + 32 hex)
  retry <key>                  queue a dead-lettered delivery again (for "unknown": after checking it was not received)`;

const view = (d: DeliveryRecord, full = false) => ({
  key: d.id, ticket: d.ticket, no: d.no, outbox: d.key, channel: d.channel, connector: d.connector, to: d.to, state: d.state,
  ...(d.outcome ? { outcome: d.outcome } : {}), attempts: d.attempts, updatedAt: d.updatedAt, ...(d.sentAt ? { sentAt: d.sentAt } : {}),
  ...(d.state === 'queued' ? { nextAt: new Date(d.nextAt).toISOString() } : {}), ...(d.lastError ? { error: d.lastError } : {}),
  ...(d.reportError ? { statusNotWritten: d.reportError } : {}), ...(full ? { vars: d.vars, createdAt: d.createdAt, reportPending: d.reportPending } : {}),
});

function last(v: string | undefined): number {
  const n = Number(v ?? '50');
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new DeliveryAdminError('--last N: 1 to 100000');
  return n;
}

/** `by`: who asked, for the audit line (the CLI, or the admin at a console seat). */
export async function deliveryAdmin(storage: SyncStorage, cmd: string, a: Record<string, string | undefined>, now: () => Date, by: { by: string; seat?: string; device?: string } = { by: 'admin-cli' }): Promise<unknown> {
  switch (cmd) {
    case 'deliveries': {
      if (a.state && !(DELIVERY_STATES as readonly string[]).includes(a.state)) throw new DeliveryAdminError(`--state "${a.state}": one of ${DELIVERY_STATES.join(', ')}`);
      const list = await storage.listDeliveries({ ...(a.state ? { state: a.state as DeliveryState } : {}), ...(a.ticket ? { ticket: a.ticket } : {}), limit: last(a.last) });
      return { counts: await storage.countDeliveries(), deliveries: list.map((d) => view(d)) };
    }
    case 'dead-letters':
      return (await storage.listDeliveries({ state: 'dead', limit: last(a.last) })).map((d) => view(d));
    case 'delivery': {
      const d = await storage.getDelivery(need(a.id));
      if (!d) throw new DeliveryAdminError(`no delivery "${a.id}" (deliveries lists their keys)`);
      return view(d, true);
    }
    case 'retry': {
      const d = await storage.getDelivery(need(a.id));
      if (!d) throw new DeliveryAdminError(`no delivery "${a.id}" (dead-letters lists their keys)`);
      if (d.state !== 'dead') throw new DeliveryAdminError(`delivery ${d.id} is ${d.state}: only dead-lettered deliveries are retried`);
      const at = now();
      const next: DeliveryRecord = { ...d, state: 'queued', outcome: null, attempts: 0, nextAt: at.getTime(), updatedAt: at.toISOString(), reportPending: true, reportError: null, lastError: `retried by an admin after: ${d.lastError ?? d.outcome ?? 'failure'}` };
      if (!(await storage.putDelivery(next, d.version))) throw new DeliveryAdminError(`delivery ${d.id} changed meanwhile: look again`);
      await storage.appendAudit([{ at: at.toISOString(), kind: 'delivery_retried', ticket: d.ticket, site: d.site, reason: d.lastError ?? undefined, detail: { delivery: d.id, outbox: d.key, outcome: d.outcome, ...by } }]);
      return view({ ...next, version: d.version + 1 });
    }
    default:
      return undefined;
  }
}

function need(id: string | undefined): string {
  if (!id?.trim()) throw new DeliveryAdminError('missing the delivery key (d + 32 hex; deliveries and dead-letters list them)');
  return id.trim();
}
