import * as A from '@automerge/automerge';
import { parseTicketNo } from '../../domain';
import type { Refusal, SyncRow } from '../protocol';
import { RESTORED_LEASE_SEAT, type AuditLine, type CommitTicket, type LeaseBlock, type SyncStorage } from '../storage/types';
import { Mutex } from '../util/mutex';
import { applyTicketChanges, type TicketOutcome } from './apply';
import type { NewTicketJudge } from './judge-pool';
import { outcomeView, type JudgedTicket } from './new-tickets';
import type { PolicyActor } from './policy';
import { docFromStored, type TicketDocs } from './tickets';

/** Who pushed: the authenticated user on one seat (device). */
export interface Pusher extends PolicyActor {
  seatId: string;
  seatCode: string;
  device: string;
}

export interface PushResult {
  accepted: { id: string; hashes: string[] }[];
  refused: Refusal[];
}

interface Staged {
  id: string;
  /** The document is null for tickets judged elsewhere (they are not cached). */
  outcome: TicketOutcome;
  basedOn: string[];
  existed: boolean;
  view: { site: string; no: string } | null;
  row: SyncRow | null;
}

/** A push with at least this many tickets new to the server hands half of them to the judge. */
const OFFLOAD_MIN = 16;

const stagedJudged = (j: JudgedTicket): Staged => ({ id: j.id, outcome: { doc: null, accepted: j.accepted, known: j.known, refused: j.refused }, basedOn: [], existed: false, view: j.view, row: j.row });

/**
 * The push pipeline: load the batch's documents (one storage read for those not in the LRU),
 * apply and judge each ticket's changes (apply.ts), check the numbers of new tickets (one read),
 * then commit every accepted change of the batch with its audit lines in one durable write, and
 * only then answer. Pushes run one at a time (the LRU's documents are only touched inside this
 * queue); a failed write leaves nothing behind in memory.
 */
export class PushPipeline {
  readonly queue = new Mutex();
  private readonly prefixes = new Map<string, string>();
  /** Leased blocks are never changed once written: cached per (site, day), reread on a miss. */
  private readonly blocks = new Map<string, LeaseBlock[]>();

  constructor(
    private readonly storage: SyncStorage,
    readonly docs: TicketDocs,
    private readonly now: () => Date,
    /** Where half of a big push's new tickets are judged meanwhile (judge-pool.ts); without it, all here. */
    private readonly judge: NewTicketJudge | null = null,
  ) {}

  private async leasedTo(site: string, day: string, seq: number): Promise<string | null> {
    const key = site + ' ' + day;
    const find = () => this.blocks.get(key)?.find((b) => b.from <= seq && seq <= b.to)?.seat ?? null;
    if (find() === null) this.blocks.set(key, await this.storage.leaseBlocks(site, day));
    return find();
  }

  /** Why the numbers of these new tickets may not be used (by ticket id). */
  /**
   * Who may use a leased number: the seat it was leased to, or — for the blocks a restore set
   * aside (numbers leased after the backup was taken, which the restored server cannot know) —
   * any seat, first come; the "already used" check below keeps them unique.
   */
  private async numberProblems(news: { id: string; site: string; no: string }[], who: Pusher): Promise<Map<string, string>> {
    const problems = new Map<string, string>();
    const held = new Map<string, Map<string, string>>();
    for (const site of new Set(news.map((n) => n.site))) {
      held.set(site, await this.storage.ticketIdsByNo(site, news.filter((n) => n.site === site).map((n) => n.no)));
      if (!this.prefixes.has(site)) this.prefixes.set(site, (await this.storage.getSite(site))?.prefix ?? '');
    }
    const claimed = new Set<string>();
    for (const { id, site, no } of news) {
      const n = parseTicketNo(no);
      const prefix = this.prefixes.get(site);
      const taken = held.get(site)?.get(no);
      let problem: string | null = null;
      if (!n) problem = `"${no}" is not a ticket number`;
      else if (n.prefix !== prefix) problem = `ticket numbers of ${site} start with ${prefix}`;
      else if (n.kind === 'offline' && n.seat !== who.seatCode) problem = `an offline number carries the seat’s own code (${who.seatCode}), not ${n.seat}`;
      else if (n.kind === 'leased' && !LEASE_HOLDERS(who.seatId).includes((await this.leasedTo(site, n.day, n.seq)) ?? '')) problem = `${no} was not leased to this seat`;
      else if ((taken !== undefined && taken !== id) || claimed.has(site + ' ' + no)) problem = `${no} is already used by another ticket`;
      if (problem) problems.set(id, problem);
      else claimed.add(site + ' ' + no);
    }
    return problems;
  }

  push(who: Pusher, tickets: { id: string; changes: Uint8Array[] }[]): Promise<PushResult> {
    return this.queue.run(async () => {
      const at = this.now().toISOString();
      const base = { at, user: who.user, device: who.device, seat: who.seatId };
      const result: PushResult = { accepted: [], refused: [] };
      const seen = new Set<string>();
      const unique = tickets.filter((t) => {
        if (!seen.has(t.id)) return seen.add(t.id);
        result.refused.push({ ticketId: t.id, hashes: [], code: 'malformed', reason: 'the ticket appears twice in one push' });
        return false;
      });
      const docs = await this.docs.takeAll(unique.map((t) => t.id));
      const byId = new Map<string, Staged>();
      const staged: Staged[] = [];
      try {
        // New tickets are judged without the server's state: half of a big push's go to the judge
        // (another thread) while this thread judges the rest; should the judge fail, they are judged here.
        const fresh = unique.filter((t) => docs.get(t.id)!.doc === null);
        const away = fresh.length >= OFFLOAD_MIN && this.judge?.ready ? fresh.slice(Math.ceil(fresh.length / 2)) : [];
        const judging = away.length > 0 ? this.judge!.judge(away, { user: who.user, role: who.role, sites: who.sites }).catch(() => null) : null;
        const awayIds = new Set(away.map((t) => t.id));
        const stageHere = async (t: { id: string; changes: Uint8Array[] }) => {
          const start = docs.get(t.id)!;
          docs.delete(t.id);
          const basedOn = start.doc ? A.getHeads(start.doc) : [];
          const rebuild = async () => {
            const stored = await this.storage.loadTicket(t.id);
            return stored ? docFromStored(stored) : null;
          };
          let outcome = await applyTicketChanges(t.id, start.doc, t.changes, who, rebuild);
          // Another instance may have appended changes this LRU copy lacks: retry once from storage.
          if (start.cached && outcome.refused.some((r) => r.code === 'missing_deps')) {
            if (outcome.doc) A.free(outcome.doc);
            outcome = await applyTicketChanges(t.id, await rebuild(), t.changes, who, rebuild);
          }
          byId.set(t.id, { id: t.id, outcome, basedOn, existed: start.doc !== null, ...outcomeView(outcome, start.doc !== null) });
        };
        for (const t of unique) if (!awayIds.has(t.id)) await stageHere(t);
        const judged = judging ? await judging : null;
        if (judged) for (const j of judged) byId.set(j.id, stagedJudged(j));
        else for (const t of away) await stageHere(t);
        staged.push(...unique.map((t) => byId.get(t.id)!));
        const news = staged.flatMap((s) => (!s.existed && s.outcome.accepted.length > 0 && s.view ? [{ id: s.id, site: s.view.site, no: s.view.no }] : []));
        const problems = news.length > 0 ? await this.numberProblems(news, who) : new Map<string, string>();
        const commit: CommitTicket[] = [];
        const audit: AuditLine[] = [];
        for (const s of staged) {
          const { outcome } = s;
          const problem = problems.get(s.id);
          if (problem) {
            outcome.refused.push({ ticketId: s.id, hashes: outcome.accepted.map((c) => c.hash), code: 'number', reason: problem });
            outcome.accepted = [];
          }
          if (!s.existed && outcome.accepted.length === 0) {
            if (outcome.doc) A.free(outcome.doc);
            outcome.doc = null;
            s.view = null;
          }
          const { view } = s;
          for (const r of outcome.refused) {
            result.refused.push(r);
            audit.push({ ...base, kind: 'refuse', ticket: s.id, hashes: r.hashes, reason: r.reason, detail: { code: r.code }, ...(view ? { site: view.site } : {}) });
          }
          const hashes = [...outcome.known, ...outcome.accepted.map((c) => c.hash)];
          if (hashes.length > 0) result.accepted.push({ id: s.id, hashes });
          if (outcome.accepted.length > 0 && view) {
            commit.push({ id: s.id, site: view.site, changes: outcome.accepted, row: s.row, basedOn: s.basedOn, ...(s.existed ? {} : { no: view.no }) });
            audit.push({ ...base, kind: 'accept', site: view.site, ticket: s.id, hashes: outcome.accepted.map((c) => c.hash) });
          }
        }
        if (commit.length > 0 || audit.length > 0) await this.storage.commit({ seat: who.seatId, tickets: commit, audit });
      } catch (e) {
        for (const s of byId.values()) if (s.outcome.doc) A.free(s.outcome.doc);
        for (const d of docs.values()) if (d.doc) A.free(d.doc);
        throw e;
      }
      for (const s of staged) if (s.outcome.doc) this.docs.cache.set(s.id, s.outcome.doc);
      return result;
    });
  }
}

const LEASE_HOLDERS = (seatId: string): string[] => [seatId, RESTORED_LEASE_SEAT];
