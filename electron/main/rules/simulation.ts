import type { TicketRow } from '../../../domain';
import {
  Simulation, parseDuration, parseInstant, type CompiledPack, type Ticket as RuleTicket, type SimulationReport, type TicketHistory,
} from '../../../rules';
import type { TicketStore } from '../store';
import { toPlainValue } from '../store/ticket-doc';
import { judgeableOnRows } from './pack-views';
import { fromRow } from './rule-ticket';

/** More tickets than this in the window: narrow it (a dry run must stay bounded on a seat). */
export const MAX_REPLAYED = 200_000;
/** Changed tickets listed ticket by ticket (all are counted). */
export const MAX_LISTED = 200;

export class SimulationWindowError extends Error {
  override readonly name = 'SimulationWindowError';
}

/** `30d`, `7d`, any duration (s, m, h, d) or an ISO instant with an offset → the window's start. */
export function windowStart(since: string, now: number): number {
  const span = parseDuration(since);
  if (span) return now - span.ms;
  const at = parseInstant(since);
  if (at !== null && at < now) return at;
  throw new SimulationWindowError(`--since ${since}: expected a duration like 30d or 7d, or an ISO-8601 time with an offset before now`);
}

/** Whether every condition of a pack reads only what projection rows carry (no description, no form answers). */
export function judgeableOnRowsPack(pack: CompiledPack): boolean {
  const rules = [...(pack.data.routing ?? []), ...(pack.data.sla ?? []), ...(pack.data.automations ?? [])] as readonly { when?: unknown }[];
  return rules.every((r) => judgeableOnRows(r.when));
}

export interface SeatSimulationInput {
  store: TicketStore;
  /** Past tickets for `count` and repair pushes (the runner's, or one built from the rows). */
  history: TicketHistory;
  draft: CompiledPack;
  current: CompiledPack | null;
  now: number;
  from: number;
  onProgress?: (done: number, total: number) => void;
  /** Work this long between yields to the event loop (default 25 ms): the node keeps answering. */
  sliceMs?: number;
  /** Documents read at once (default 8). */
  parallel?: number;
  /** Changed tickets listed one by one (default MAX_LISTED; all are counted). */
  maxChanges?: number;
}

export interface SeatSimulation {
  report: SimulationReport;
  source: 'rows' | 'documents';
  elapsedMs: number;
}

type DocParts = { description: unknown; form: unknown };

/**
 * A dry run over the seat's own tickets: the rows of tickets created in the window, oldest first,
 * each replayed by both packs. Rows carry what most rules read; when a pack reads the description
 * or form answers, each ticket's document is read for those two fields only. The work is cut in
 * slices with a yield between them, so the node answers other calls while it runs.
 */
export async function simulateOnSeat(input: SeatSimulationInput): Promise<SeatSimulation> {
  const started = performance.now();
  const rows = input.store.rows().filter((r) => {
    const at = Date.parse(r.createdAt);
    return at > input.from && at <= input.now;
  });
  if (rows.length > MAX_REPLAYED) {
    throw new SimulationWindowError(`时间范围内有 ${rows.length} 张工单，超过试运行上限 ${MAX_REPLAYED}：请缩短时间范围`);
  }
  rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const needDocs = !judgeableOnRowsPack(input.draft) || (input.current !== null && !judgeableOnRowsPack(input.current));
  const simulation = new Simulation(input.draft, {
    now: input.now, sinceMs: input.now - input.from, current: input.current, history: input.history, maxChanges: input.maxChanges ?? MAX_LISTED,
  });
  const sliceMs = input.sliceMs ?? 25;
  const parallel = needDocs ? (input.parallel ?? 8) : 1;
  let sliceStart = performance.now();
  input.onProgress?.(0, rows.length);
  for (let i = 0; i < rows.length; i += parallel) {
    const batch = rows.slice(i, i + parallel);
    const tickets = needDocs ? await Promise.all(batch.map((row) => withDocument(input.store, row))) : batch.map((row) => ruleTicket(row));
    for (const t of tickets) if (t) simulation.add(t);
    if (performance.now() - sliceStart >= sliceMs) {
      input.onProgress?.(Math.min(i + parallel, rows.length), rows.length);
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  input.onProgress?.(rows.length, rows.length);
  return { report: simulation.report(), source: needDocs ? 'documents' : 'rows', elapsedMs: Math.round(performance.now() - started) };
}

/** The rule engine's ticket from a row, with the times a replay reads (`updatedAt` ends a cancelled ticket's last stay). */
function ruleTicket(row: TicketRow, parts?: DocParts): RuleTicket {
  const t = fromRow(row);
  return { ...t, fields: { ...t.fields, updatedAt: row.updatedAt, ...(parts ? { description: parts.description, form: parts.form } : {}) } };
}

async function withDocument(store: TicketStore, row: TicketRow): Promise<RuleTicket | null> {
  const parts = await store.withDoc(row.id, (d): DocParts => ({ description: toPlainValue(d.description) ?? '', form: toPlainValue(d.form) ?? {} }));
  return parts ? ruleTicket(row, parts) : null;
}
