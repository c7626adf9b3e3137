import { ImmutableString, getConflicts, type Doc } from '@automerge/automerge';
import { projectTicket, type AuditEntry, type Ticket, type TicketRow } from '../../domain';

/**
 * Reading ticket documents without `Automerge.toJS` (0.3 ms a ticket): strings may be stored as
 * text or as `ImmutableString`, so values are normalised field by field, and only the fields the
 * projection and the workflow policy read are copied.
 */
export function plain(v: unknown): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(plain);
  const val = (v as { val?: unknown }).val;
  if (typeof val === 'string' && v.constructor?.name === 'ImmutableString') return val;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = plain(x);
  return out;
}

/** Plain values as tickets are written to Automerge: strings as immutable scalars (like the seat store). */
export function toAutomerge(v: unknown): unknown {
  if (typeof v === 'string') return new ImmutableString(v);
  if (Array.isArray(v)) return v.map(toAutomerge);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toAutomerge(x);
    return out;
  }
  return v;
}

const str = (v: unknown): string | null => {
  const p = plain(v);
  return typeof p === 'string' ? p : null;
};

/** The fields of a ticket that the policy and the projection read, as plain values. */
export type TicketView = Pick<Ticket, 'id' | 'no' | 'site' | 'state' | 'assignee' | 'awaitingInfo' | 'milestones' | 'pauses' | 'audit'> & {
  /** Everything else the projection needs, read lazily. */
  doc: Doc<unknown>;
};

type Raw = Record<string, unknown>;

/** Null when the document is not (yet) a ticket: no id, site or state. */
export function viewTicket(doc: Doc<unknown>): TicketView | null {
  const d = doc as unknown as Raw;
  const id = str(d.id);
  const site = str(d.site);
  const state = str(d.state);
  if (!id || !site || !state) return null;
  const audit = Array.isArray(d.audit) ? (d.audit as unknown[]) : [];
  const pauses = Array.isArray(d.pauses) ? (d.pauses as unknown[]) : [];
  return {
    id,
    site,
    no: str(d.no) ?? '',
    state: state as Ticket['state'],
    assignee: str(d.assignee),
    awaitingInfo: d.awaitingInfo === true,
    milestones: (plain(d.milestones) ?? {}) as Ticket['milestones'],
    pauses: pauses.map((p) => ({ to: str((p as Raw).to) })) as Ticket['pauses'],
    audit: audit as AuditEntry[], // entries are read one by one with auditEntryAt()
    doc,
  };
}

export function auditEntryAt(view: TicketView, i: number): AuditEntry | null {
  const e = view.audit[i];
  return e === undefined ? null : (plain(e) as AuditEntry);
}

/** Fields whose concurrent values a supervisor must see until someone sets them again. */
export const WATCHED_FIELDS = ['assignee', 'state', 'priority', 'urgency', 'pool', 'title', 'category'] as const;

/** Concurrent values of watched fields, where they differ (two dispatchers, two assignees). */
export function fieldConflicts(doc: Doc<unknown>, fields: readonly string[] = WATCHED_FIELDS): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const f of fields) {
    const c = getConflicts(doc, f);
    if (!c) continue;
    const values = [...new Set(Object.values(c).map((v) => JSON.stringify(plain(v))))].map((s) => JSON.parse(s) as unknown);
    if (values.length > 1) out[f] = values.sort((a, b) => String(a).localeCompare(String(b)));
  }
  return out;
}

/** The projection row plus the conflicts a supervisor must resolve. */
export interface SyncRow extends TicketRow {
  conflicts: Record<string, unknown[]>;
}

/**
 * The document as a plain ticket, converted lazily field by field: `projectTicket` reads what it
 * needs (whatever the domain's row holds next) and only those fields are converted.
 */
function lazyTicket(doc: Doc<unknown>): Ticket {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(doc as object, {
    get(target, key) {
      if (!cache.has(key)) cache.set(key, plain((target as Record<PropertyKey, unknown>)[key]));
      return cache.get(key);
    },
  }) as Ticket;
}

/**
 * The row of a ticket document, or null when it is not a complete ticket. `linear`: the caller
 * knows the history has no concurrent changes (a new ticket from one seat), so there can be no
 * conflicts to look for (7 getConflicts calls: ~0.15–0.25 ms).
 */
export function projectDoc(doc: Doc<unknown>, opts: { linear?: boolean } = {}): SyncRow | null {
  try {
    const t = lazyTicket(doc);
    if (typeof t.id !== 'string' || typeof t.state !== 'string') return null;
    return { ...projectTicket(t), conflicts: opts.linear ? {} : fieldConflicts(doc) };
  } catch {
    return null;
  }
}
