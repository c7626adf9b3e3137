import { AUDIT_GENESIS, auditSeal } from '../storage/audit-chain';
import { changeMeta } from '../protocol';
import type { AuditLine, SyncStorage } from '../storage/types';
import type { PruneAnchor } from './retention';

/**
 * The tamper check: the audit log's hash chain, the history's hash links (every stored change is
 * an Automerge chunk whose checksum and SHA-256 hash match what was recorded, and whose
 * dependencies are changes of the same ticket stored before it; the stored heads are what the
 * history leads to), and the two against each other (every change in the history was accepted in
 * an audit line naming the same seat; every change an audit line accepted is in the history).
 */
export interface Problem {
  kind:
    | 'audit_line_altered_or_removed' | 'audit_line_unsealed' | 'audit_ids_missing'
    | 'change_unreadable' | 'change_hash_mismatch' | 'dependency_missing' | 'heads_mismatch'
    | 'change_not_in_audit' | 'audit_change_missing' | 'seat_mismatch';
  message: string;
  auditId?: number;
  site?: string;
  seq?: number;
  ticket?: string;
  hash?: string;
}

export interface VerifyReport {
  ok: boolean;
  audit: { lines: number; sealed: number; legacy: number; head: { id: number; seal: string } | null };
  history: { sites: number; changes: number; tickets: number };
  problems: Problem[];
  /** Problems beyond the first `limit` are counted, not listed. */
  more: number;
}

interface Accepted {
  seat?: string;
  auditId: number;
}

export async function verifyStore(storage: SyncStorage, opts: { limit?: number } = {}): Promise<VerifyReport> {
  const limit = opts.limit ?? 200;
  const problems: Problem[] = [];
  let more = 0;
  const report = (p: Problem) => (problems.length < limit ? problems.push(p) : (more += 1));

  // 1. The audit chain, and what the audit log says was accepted.
  const accepted = new Map<string, Accepted>(); // ticket␀hash → audit line
  let seedLine = false;
  // After a retention cut the chain starts from the newest audit_pruned anchor (ops/retention.ts).
  const anchors: { id: number; anchor: PruneAnchor }[] = [];
  let first: { id: number; line: AuditLine } | null = null;
  let prev: string | null = null;
  let lines = 0;
  let sealed = 0;
  let legacy = 0;
  let lastId = 0;
  let head: VerifyReport['audit']['head'] = null;
  const embedded = storage.kind === 'embedded';
  for (let after = 0; ; ) {
    const page = await storage.readAudit(after, 2_000);
    if (page.length === 0) break;
    for (const { id, line } of page) {
      lines += 1;
      if (embedded && lastId > 0 && id !== lastId + 1) report({ kind: 'audit_ids_missing', auditId: id, message: `audit lines ${lastId + 1}–${id - 1} are missing` });
      lastId = id;
      if (line.seal === undefined) {
        if (sealed > 0) report({ kind: 'audit_line_unsealed', auditId: id, message: `audit line ${id} has no seal after the chain began (written around the server)` });
        else legacy += 1;
      } else {
        sealed += 1;
        if (prev === null) first = { id, line };
        else if (auditSeal(prev, line) !== line.seal) {
          report({ kind: 'audit_line_altered_or_removed', auditId: id, message: `audit line ${id} does not follow the line before it: it was altered, or a line before it was removed` });
        }
        prev = line.seal;
        head = { id, seal: line.seal };
      }
      collect(line, id);
    }
    after = page[page.length - 1]!.id;
  }
  // the first sealed line chains to the genesis, or to the last line a retention cut removed
  const cutAt = anchors.filter((a) => first && a.anchor.throughId < first.id).at(-1)?.anchor;
  if (first) {
    const expectPrev = cutAt?.lastSeal ?? AUDIT_GENESIS;
    if (auditSeal(expectPrev, first.line) !== first.line.seal || (cutAt && embedded && first.id !== cutAt.throughId + 1 && legacy === 0)) {
      report({ kind: 'audit_line_altered_or_removed', auditId: first.id, message: `audit line ${first.id} does not follow ${cutAt ? `the retention cut after line ${cutAt.throughId}` : 'the start of the log'}: it was altered, or lines before it were removed` });
    }
  }
  const archived = cutAt?.sites ?? {};
  function collect(line: AuditLine, id: number): void {
    if (line.kind === 'audit_pruned' && line.detail) anchors.push({ id, anchor: line.detail as unknown as PruneAnchor });
    if (line.kind === 'seed') seedLine = true;
    if (line.kind !== 'accept' || !line.ticket) return;
    for (const h of line.hashes ?? []) accepted.set(line.ticket + '\u0000' + h, { ...(line.seat ? { seat: line.seat } : {}), auditId: id });
  }

  // 2. The history, site by site in sequence order.
  let changes = 0;
  const tickets = new Set<string>();
  const sites = await storage.listSites();
  for (const site of sites) {
    const known = new Map<string, Set<string>>(); // ticket → hashes stored so far
    const heads = new Map<string, Set<string>>();
    const unreadable = new Set<string>(); // tickets whose heads cannot be recomputed (reported already)
    for (let after = 0; ; ) {
      const page = await storage.readLog(site.id, after, 2_000);
      if (page.length === 0) break;
      for (const e of page) {
        changes += 1;
        tickets.add(e.ticketId);
        const at = { site: site.id, seq: e.seq, ticket: e.ticketId, hash: e.hash };
        let meta;
        try {
          meta = changeMeta(e.change);
        } catch (err) {
          report({ ...at, kind: 'change_unreadable', message: `change ${site.id}#${e.seq} of ticket ${e.ticketId} is damaged (${(err as Error).message})` });
          unreadable.add(e.ticketId);
        }
        if (meta && meta.hash !== e.hash) report({ ...at, kind: 'change_hash_mismatch', message: `change ${site.id}#${e.seq} hashes to ${meta.hash.slice(0, 12)}…, recorded as ${e.hash.slice(0, 12)}…` });
        const mine = known.get(e.ticketId) ?? new Set<string>();
        const hs = heads.get(e.ticketId) ?? new Set<string>();
        for (const d of meta?.deps ?? []) {
          if (!mine.has(d)) report({ ...at, kind: 'dependency_missing', message: `change ${site.id}#${e.seq} depends on ${d.slice(0, 12)}…, which is not stored before it` });
          hs.delete(d);
        }
        mine.add(e.hash);
        hs.add(e.hash);
        known.set(e.ticketId, mine);
        heads.set(e.ticketId, hs);
        const a = accepted.get(e.ticketId + '\u0000' + e.hash);
        if (a) {
          accepted.delete(e.ticketId + '\u0000' + e.hash);
          if (a.seat && a.seat !== e.seat) report({ ...at, kind: 'seat_mismatch', auditId: a.auditId, message: `change ${site.id}#${e.seq} was stored for seat ${e.seat}, the audit line ${a.auditId} names ${a.seat}` });
        } else if (!(e.seat === 'seed' && seedLine) && e.seq > (archived[site.id] ?? 0)) {
          report({ ...at, kind: 'change_not_in_audit', message: `change ${site.id}#${e.seq} of ticket ${e.ticketId} has no audit line accepting it` });
        }
      }
      after = page[page.length - 1]!.seq;
    }
    const stored = await storage.bucketHeads(site.id, Array.from({ length: 256 }, (_, i) => i));
    for (const t of stored) {
      if (unreadable.has(t.id)) continue;
      const want = [...(heads.get(t.id) ?? [])].sort().join(',');
      if ([...t.heads].sort().join(',') !== want) report({ site: site.id, ticket: t.id, kind: 'heads_mismatch', message: `ticket ${t.id}: the stored heads are not where its history leads` });
    }
  }
  for (const [key, a] of accepted) {
    const [ticket, hash] = key.split('\u0000') as [string, string];
    report({ kind: 'audit_change_missing', auditId: a.auditId, ticket, hash, message: `audit line ${a.auditId} accepted change ${hash.slice(0, 12)}… of ticket ${ticket}, which is not in the history` });
  }
  return { ok: problems.length === 0, audit: { lines, sealed, legacy, head }, history: { sites: sites.length, changes, tickets: tickets.size }, problems, more };
}
