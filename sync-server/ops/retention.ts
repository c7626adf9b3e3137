import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { AuditLine, SyncStorage } from '../storage/types';
import { writeFileAtomic } from './files';

/**
 * Audit retention. Lines older than the retention period may leave the live log, never silently:
 * they are written first to an archive file (JSON lines, with its SHA-256 recorded), an
 * `audit_pruned` line anchors the cut in the chain (the last removed seal, the last removed id, and
 * per site the last change whose acceptance went to the archive), and only then are they removed.
 * verify.ts starts the chain from the newest anchor and does not ask for the archived acceptances.
 * `minDays` refuses a cut inside the retention period (等保 asks for at least 180 days of logs).
 */
export class RetentionError extends Error {}

export interface PruneResult {
  throughId: number;
  lines: number;
  archive: string;
  sha256: string;
}

export interface PruneAnchor {
  throughId: number;
  lastSeal: string | null;
  /** Per site: the highest log sequence whose accept line is in the archive. */
  sites: Record<string, number>;
  archive: string;
  sha256: string;
}

export async function pruneAudit(storage: SyncStorage, o: { before: string; minDays: number; archive: string; now?: () => Date }): Promise<PruneResult> {
  const now = o.now ?? (() => new Date());
  const limit = new Date(now().getTime() - o.minDays * 86_400_000).toISOString();
  if (o.before > limit) throw new RetentionError(`--before ${o.before} is inside the retention period of ${o.minDays} days (the earliest allowed is ${limit.slice(0, 10)})`);
  const cut: { id: number; line: AuditLine }[] = [];
  for (let after = 0, done = false; !done; ) {
    const page = await storage.readAudit(after, 2_000);
    if (page.length === 0) break;
    for (const x of page) {
      if (x.line.at >= o.before) {
        done = true;
        break;
      }
      cut.push(x);
    }
    after = page[page.length - 1]!.id;
  }
  if (cut.length === 0) throw new RetentionError(`no audit lines before ${o.before}`);
  const accepted = new Set<string>();
  for (const { line } of cut) if (line.kind === 'accept' && line.ticket) for (const h of line.hashes ?? []) accepted.add(line.ticket + '\u0000' + h);
  const sites: Record<string, number> = {};
  for (const site of await storage.listSites()) {
    for (let after = 0; accepted.size > 0; ) {
      const page = await storage.readLog(site.id, after, 2_000);
      if (page.length === 0) break;
      for (const e of page) if (accepted.has(e.ticketId + '\u0000' + e.hash)) sites[site.id] = Math.max(sites[site.id] ?? 0, e.seq);
      after = page[page.length - 1]!.seq;
    }
  }
  const text = cut.map((x) => JSON.stringify(x)).join('\n') + '\n';
  const sha256 = createHash('sha256').update(text).digest('hex');
  writeFileAtomic(o.archive, text);
  const last = cut[cut.length - 1]!;
  const anchor: PruneAnchor = { throughId: last.id, lastSeal: last.line.seal ?? null, sites, archive: basename(o.archive), sha256 };
  await storage.appendAudit([{ at: now().toISOString(), kind: 'audit_pruned', reason: `lines before ${o.before}`, detail: { ...anchor, lines: cut.length, by: 'admin-cli' } }]);
  const removed = await storage.pruneAudit(last.id);
  return { throughId: last.id, lines: removed, archive: o.archive, sha256 };
}
