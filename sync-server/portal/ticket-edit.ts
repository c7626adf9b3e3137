import * as A from '@automerge/automerge';
import { randomBytes } from 'node:crypto';
import { ticketSchema, type Role, type Ticket } from '../../domain';
import type { Pusher } from '../engine/push';
import { plain, toAutomerge } from '../protocol';

/**
 * The portal's own changes to tickets, made on the server and committed through the same push
 * pipeline (policy, log, fan-out) as a seat's: the requester has no seat, so the server writes
 * the Automerge change for them, as "requester via link".
 */
export const REQUESTER = 'requester';

/** The requester as the pipeline's pusher (the domain's `requester` actor kind, not a sign-in role). */
export function requesterPusher(site: string): Pusher {
  return { user: REQUESTER, role: REQUESTER as unknown as Role, sites: [site], seatId: 'portal', seatCode: '', device: 'portal' };
}

const message = (action: string) => JSON.stringify({ by: REQUESTER, seat: 'portal', action });
const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** The ticket in a document as a plain, validated object (null when it is not one). */
export function plainTicket(doc: A.Doc<unknown>): Ticket | null {
  const r = ticketSchema.safeParse(plain(doc));
  return r.success ? r.data : null;
}

/** The first change of a new ticket. */
export function creationChange(ticket: Ticket, at: Date): Uint8Array {
  const doc = A.change(A.init<Record<string, unknown>>({ actor: randomBytes(16).toString('hex') }), { message: message('create'), time: seconds(at) }, (d) => {
    Object.assign(d, toAutomerge(ticket));
  });
  const change = A.getLastLocalChange(doc)!;
  A.free(doc);
  return change;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One change taking the document from `prev` to `next`: lists that grew get the new items
 * appended (so concurrent appends from seats merge), maps get the keys that changed, the rest is
 * set. Null when nothing changed.
 */
export function editChange(doc: A.Doc<unknown>, prev: Ticket, next: Ticket, action: string, at: Date): Uint8Array | null {
  const p = prev as unknown as Record<string, unknown>;
  const n = next as unknown as Record<string, unknown>;
  const keys = Object.keys(n).filter((k) => !same(p[k], n[k]));
  if (keys.length === 0) return null;
  const fork = A.clone(doc as A.Doc<Record<string, unknown>>, { actor: randomBytes(16).toString('hex') });
  const out = A.change(fork, { message: message(action), time: seconds(at) }, (d) => {
    for (const k of keys) {
      const pv = p[k];
      const nv = n[k];
      const target = d[k];
      if (Array.isArray(pv) && Array.isArray(nv) && Array.isArray(target) && nv.length >= pv.length && pv.every((v, i) => same(v, nv[i]))) {
        for (const item of nv.slice(pv.length)) target.push(toAutomerge(item));
      } else if (isRecord(pv) && isRecord(nv) && isRecord(target)) {
        for (const sk of Object.keys(nv)) if (!same(pv[sk], nv[sk])) target[sk] = toAutomerge(nv[sk]);
      } else d[k] = toAutomerge(nv);
    }
  });
  const change = A.getLastLocalChange(out);
  A.free(out);
  return change ?? null;
}
