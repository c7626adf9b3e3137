import * as A from '@automerge/automerge';
import { DEMO_PEOPLE, DEMO_SITE, formatLeasedNo, generateDemoTickets, parseTicketNo } from '../../domain';
import { hashPassword } from '../auth/passwords';
import { changeMeta, projectDoc, toAutomerge } from '../protocol';
import type { CommitTicket, SyncStorage } from '../storage/types';

/**
 * Seeds the demo site on an empty store: mx-plant, DEMO_PEOPLE as users and `count` generated
 * tickets. DEMO ONLY: every demo user's password is `demo1234`. Tickets go through the same
 * commit as pushed changes (log, heads, digests, rows), as the seat `seed`.
 */
export const DEMO_PASSWORD = 'demo1234';
const CHUNK = 5_000;

export async function seedDemo(storage: SyncStorage, count: number, now: Date, log: (s: string) => void = () => undefined): Promise<boolean> {
  if ((await storage.listUsers()).length > 0 || (await storage.countTickets(DEMO_SITE.id)) > 0) return false;
  await storage.putSite({ ...DEMO_SITE });
  // One hash (one salt) for every demo user: they share a published password anyway, and scrypt
  // costs ~0.1–0.4 s a hash here. Real users get their own salt (admin add-user / reset-password).
  const password = await hashPassword(DEMO_PASSWORD);
  for (const p of DEMO_PEOPLE) {
    await storage.putUser({ id: p.id, name: p.name, role: p.role, sites: [DEMO_SITE.id], password, disabled: false, createdAt: now.toISOString() });
  }
  // Generated in windows of CHUNK tickets (one seeded generator per window, windows back to back
  // in time) so that seeding 200,000 tickets never holds them all in memory.
  const perDay = 187;
  const days = Math.ceil(CHUNK / perDay);
  const next = new Map<string, number>();
  let done = 0;
  for (let w = 0; done < count; w++) {
    const n = Math.min(CHUNK, count - done);
    const tickets = generateDemoTickets({ count: n, seed: 20260218 + w, now: now.getTime() - w * days * 86_400_000, perDay });
    for (let i = 0; i < tickets.length; i += 500) {
      const batch: CommitTicket[] = [];
      for (const t of tickets.slice(i, i + 500)) {
        // Windows may share a local day at their edges: number each day once, across windows.
        const day = parseTicketNo(t.no)?.day ?? '';
        const seq = next.get(day) ?? 1;
        next.set(day, seq + 1);
        t.no = formatLeasedNo(DEMO_SITE.prefix, day, seq);
        const doc = A.change(A.init<Record<string, unknown>>(), { message: JSON.stringify({ by: 'seed', seat: 'seed', action: 'seed' }) }, (d) => Object.assign(d, toAutomerge(t)));
        const bytes = A.getLastLocalChange(doc)!;
        batch.push({ id: t.id, site: t.site, no: t.no, changes: [{ ...changeMeta(bytes), bytes }], row: projectDoc(doc, { linear: true }), basedOn: [] });
        A.free(doc);
      }
      await storage.commit({ seat: 'seed', tickets: batch, audit: [{ at: now.toISOString(), kind: 'seed', detail: { tickets: batch.length } }] });
    }
    done += n;
    log(`seeded ${done}/${count} demo tickets`);
  }
  for (const [day, n] of next) await storage.raiseLeaseFloor(DEMO_SITE.id, day, n);
  return true;
}
