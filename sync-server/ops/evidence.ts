import * as A from '@automerge/automerge';
import { plain } from '../protocol';
import type { AuditLine, SeatRecord, SyncStorage } from '../storage/types';

/**
 * Audit evidence: who did what and when, per ticket or per period, from the server's audit log
 * (time, kind, user, device, seat) joined to the Automerge history (each change replayed to show
 * the fields it changed, before → after, and the workflow action it recorded). The server binds a
 * change to the seat that pushed it (the log's seat), so "who" comes from the seat record, and the
 * audit line confirms it. Rows are plain data; csv.ts and html.ts print them.
 */
export interface EvidenceScope {
  /** A ticket id or number. */
  ticket?: string;
  /** ISO date or time; lines at or after it. */
  from?: string;
  /** ISO date or time; lines before it. */
  to?: string;
}

export interface EvidenceRow {
  auditId: number | null;
  at: string;
  kind: string;
  site: string;
  ticketNo: string;
  ticketId: string;
  user: string;
  device: string;
  seat: string;
  change: string;
  /** The seat's own clock when it made the change (Automerge change time). */
  seatTime: string;
  action: string;
  field: string;
  before: string;
  after: string;
  reason: string;
}

export interface Evidence {
  scope: EvidenceScope & { ticketId?: string };
  generatedAt: string;
  rows: EvidenceRow[];
  tickets: number;
  changes: number;
}

const SKIP_FIELDS = new Set(['audit', 'updatedAt']);
const CREATED = ['no', 'title', 'state', 'category', 'urgency', 'priority', 'assignee', 'pool', 'location', 'device'];
const js = (doc: A.Doc<Record<string, unknown>>): Record<string, unknown> => plain(A.toJS(doc)) as Record<string, unknown>;
const MAX = 300;
const show = (v: unknown): string => {
  if (v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX ? s.slice(0, MAX - 1) + '…' : s;
};

/** Field-level differences, two levels deep; lists that grew by appending show what was appended. */
export function describeDiff(before: Record<string, unknown>, after: Record<string, unknown>): { field: string; before: string; after: string }[] {
  const out: { field: string; before: string; after: string }[] = [];
  const walk = (b: unknown, a: unknown, path: string, depth: number) => {
    if (JSON.stringify(b) === JSON.stringify(a)) return;
    if (Array.isArray(b) && Array.isArray(a) && a.length > b.length && JSON.stringify(a.slice(0, b.length)) === JSON.stringify(b)) {
      out.push({ field: `${path}[+]`, before: '', after: show(a.slice(b.length)) });
      return;
    }
    if (depth < 2 && b && a && typeof b === 'object' && typeof a === 'object' && !Array.isArray(b) && !Array.isArray(a)) {
      for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) walk((b as Record<string, unknown>)[k], (a as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1);
      return;
    }
    out.push({ field: path, before: show(b), after: show(a) });
  };
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) if (!SKIP_FIELDS.has(k)) walk(before[k], after[k], k, 1);
  return out;
}

const inPeriod = (at: string, s: EvidenceScope) => (!s.from || at >= s.from) && (!s.to || at < s.to);

interface Wanted {
  line?: { id: number; line: AuditLine };
}

export async function collectEvidence(storage: SyncStorage, scope: EvidenceScope, now: () => Date = () => new Date()): Promise<Evidence> {
  const seats = new Map<string, SeatRecord>((await storage.listSeats()).map((s) => [s.id, s]));
  const sites = await storage.listSites();
  let ticketId: string | undefined;
  if (scope.ticket) {
    const t = await storage.loadTicket(scope.ticket);
    if (t) ticketId = t.id;
    else for (const s of sites) ticketId ??= (await storage.ticketIdsByNo(s.id, [scope.ticket])).get(scope.ticket);
    if (!ticketId) throw new EvidenceScopeError(`no ticket "${scope.ticket}" (give its id or its number)`);
  }
  const rows: EvidenceRow[] = [];
  // ticket → change hash → the audit line that accepted it (undefined: every change of the ticket)
  const wanted = new Map<string, Map<string, Wanted> | 'all'>();
  if (ticketId) wanted.set(ticketId, 'all');
  const acceptedBy = new Map<string, { id: number; line: AuditLine }>();
  for (let after = 0; ; ) {
    const page = await storage.readAudit(after, 2_000);
    if (page.length === 0) break;
    for (const x of page) {
      const l = x.line;
      if (!inPeriod(l.at, scope)) continue;
      if (ticketId && l.ticket !== ticketId) continue;
      if (l.kind === 'accept' && l.ticket) {
        for (const h of l.hashes ?? []) acceptedBy.set(l.ticket + '\u0000' + h, x);
        if (!ticketId) {
          const m = (wanted.get(l.ticket) as Map<string, Wanted> | undefined) ?? new Map<string, Wanted>();
          for (const h of l.hashes ?? []) m.set(h, { line: x });
          wanted.set(l.ticket, m);
        }
      } else {
        const seat = l.seat ? seats.get(l.seat) : undefined;
        rows.push({
          auditId: x.id, at: l.at, kind: l.kind, site: l.site ?? '', ticketNo: '', ticketId: l.ticket ?? '', user: l.user ?? seat?.user ?? '', device: l.device ?? seat?.device ?? '',
          seat: seat?.code ?? l.seat ?? '', change: (l.hashes ?? []).join(' '), seatTime: '', action: '', field: '', before: '', after: l.detail ? show(l.detail) : '', reason: l.reason ?? '',
        });
      }
    }
    after = page[page.length - 1]!.id;
  }
  // Replay the history of each ticket in scope (only those), site by site in log order.
  let changes = 0;
  const history = new Map<string, { seq: number; hash: string; seat: string; change: Uint8Array }[]>();
  for (const site of sites) {
    for (let after = 0; wanted.size > 0; ) {
      const page = await storage.readLog(site.id, after, 2_000);
      if (page.length === 0) break;
      for (const e of page) if (wanted.has(e.ticketId)) history.set(e.ticketId, [...(history.get(e.ticketId) ?? []), e]);
      after = page[page.length - 1]!.seq;
    }
  }
  const siteOf = new Map<string, string>();
  for (const [id, entries] of history) {
    const want = wanted.get(id)!;
    let doc = A.init<Record<string, unknown>>();
    let no = '';
    for (const e of entries) {
      const interesting = want === 'all' || want.has(e.hash);
      const before = interesting ? js(doc) : null;
      try {
        [doc] = A.applyChanges(doc, [e.change]);
      } catch {
        rows.push(blank({ at: '', kind: 'change_unreadable', ticketId: id, change: e.hash, reason: 'the stored change cannot be read (run verify)' }));
        continue;
      }
      if (!before) continue;
      changes += 1;
      const after = js(doc);
      no = typeof after.no === 'string' ? after.no : no;
      siteOf.set(id, typeof after.site === 'string' ? after.site : '');
      const accepted = acceptedBy.get(id + '\u0000' + e.hash);
      if (want === 'all' && !accepted && e.seat !== 'seed' && (scope.from || scope.to)) continue;
      const l = accepted?.line;
      const seat = seats.get(e.seat);
      const meta = A.decodeChange(e.change);
      const grew = ((after.audit as { action?: string; by?: string }[] | undefined) ?? []).slice(((before.audit as unknown[] | undefined) ?? []).length);
      const base: EvidenceRow = {
        auditId: accepted?.id ?? null, at: l?.at ?? '', kind: l ? 'change' : e.seat === 'seed' ? 'seed' : 'change_without_audit_line',
        site: siteOf.get(id) ?? '', ticketNo: no, ticketId: id, user: seat?.user ?? l?.user ?? e.seat, device: seat?.device ?? l?.device ?? '', seat: seat?.code ?? e.seat,
        change: e.hash, seatTime: meta.time ? new Date(meta.time * 1000).toISOString() : '', action: grew.map((g) => `${g.action ?? '?'}${g.by ? ` (${g.by})` : ''}`).join('; '),
        field: '', before: '', after: '', reason: '',
      };
      // a creation is one row: what the ticket started as
      const diffs = Object.keys(before).length === 0 ? [{ field: '(created)', before: '', after: show(Object.fromEntries(CREATED.filter((k) => after[k] !== undefined).map((k) => [k, after[k]]))) }] : describeDiff(before, after);
      if (diffs.length === 0) rows.push(base);
      for (const d of diffs) rows.push({ ...base, ...d });
    }
  }
  rows.sort((a, b) => (a.at || '9') < (b.at || '9') ? -1 : (a.at || '9') > (b.at || '9') ? 1 : (a.auditId ?? 0) - (b.auditId ?? 0));
  return { scope: { ...scope, ...(ticketId ? { ticketId } : {}) }, generatedAt: now().toISOString(), rows, tickets: history.size, changes };
}

export class EvidenceScopeError extends Error {}

function blank(p: Partial<EvidenceRow>): EvidenceRow {
  return { auditId: null, at: '', kind: '', site: '', ticketNo: '', ticketId: '', user: '', device: '', seat: '', change: '', seatTime: '', action: '', field: '', before: '', after: '', reason: '', ...p };
}
