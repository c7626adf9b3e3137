import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PEOPLE } from '../../../../domain';
import { TicketHistory, formatInZone, parseInstant } from '../../../../rules';
import { formatReport, simulateCommand, type Options } from '../../../../rules/cli/commands';
import { UsageError, readText } from '../../../../rules/cli/io';
import { compilePackText } from '../../../../rules/node/load';
import { StoreError, openPouchTicketStore, type TicketStore } from '../../store';
import { sourceTreeRulebook } from '../default-source';
import { fromRow } from '../rule-ticket';
import { Rulebook } from '../rulebook';
import { SimulationWindowError, simulateOnSeat, windowStart } from '../simulation';

/**
 * `rules simulate --data SEAT-FOLDER`: the dry run over a seat's own past tickets, read from its
 * store, against the rulebook version in force on that seat (or `--current PACK`). The folder must
 * not be open in a running node (its database is locked); nothing is written to it.
 */
export async function simulateSeatCommand(
  given: Options & { seat?: string }, progress?: (done: number, total: number) => void, defaultData?: string,
): Promise<string> {
  // `rules simulate --pack DRAFT --since 30d` on a seat: its folder from CLOSELOOP_DATA_DIR, as the app does.
  const o = given.data === undefined && given.tickets === undefined && defaultData ? { ...given, data: defaultData } : given;
  if (o.data === undefined) {
    if (o.tickets === undefined) throw new UsageError('missing --data SEAT-FOLDER (or CLOSELOOP_DATA_DIR) or --tickets PAST.json');
    return simulateCommand(o);
  }
  if (o.tickets !== undefined) throw new UsageError('--data and --tickets: give one of them');
  const draftPath = o.pack ?? '';
  if (!draftPath) throw new UsageError('missing --pack');
  const draft = compilePackText(readText(draftPath, 'pack'), draftPath);
  const explicit = o.current ? compilePackText(readText(o.current, 'pack'), o.current) : null;
  const now = o.now === undefined ? Date.now() : parseInstant(o.now);
  if (now === null) throw new UsageError(`--now ${o.now ?? ''}: expected an ISO-8601 time with an offset, e.g. 2026-02-18T22:10:00+08:00`);
  let from: number;
  try {
    from = windowStart(o.since ?? '30d', now);
  } catch (e) {
    if (e instanceof SimulationWindowError) throw new UsageError(e.message);
    throw e;
  }
  const store = await openSeatStore(o.data, o.seat);
  try {
    const rulebook = Rulebook.open(store, sourceTreeRulebook(), DEMO_PEOPLE);
    const active = rulebook.current();
    const current = explicit ?? active.pack;
    const history = new TicketHistory(store.rows().map(fromRow));
    const run = await simulateOnSeat({ store, history, draft, current, now, from, maxChanges: Infinity, ...(progress ? { onProgress: progress } : {}) });
    if (o.json) return `${JSON.stringify({ ...run.report, source: run.source, elapsedMs: run.elapsedMs }, null, 2)}\n`;
    const against = explicit ? `vs. ${o.current ?? ''}` : `vs. the seat's rulebook v${active.version}${active.name ? ` ${active.name}` : ''}`;
    const window = `${formatInZone(draft.zone, from)} – ${formatInZone(draft.zone, now)} on seat ${store.seat}`;
    return formatReport(run.report, { window, against });
  } catch (e) {
    if (e instanceof SimulationWindowError) throw new UsageError(e.message);
    throw e;
  } finally {
    await store.close();
  }
}

/** Opens a seat's store read for a dry run; a folder a running node holds is refused, clearly. */
async function openSeatStore(dataDir: string, seat?: string): Promise<TicketStore> {
  if (!existsSync(join(dataDir, 'tickets'))) throw new UsageError(`--data ${dataDir}: not a seat's data folder (no tickets database in it)`);
  const open = async (code: string): Promise<TicketStore> => {
    try {
      return await openPouchTicketStore({ dataDir, seat: code });
    } catch (e) {
      const text = e instanceof Error ? `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` : String(e);
      if (/lock/i.test(text)) {
        throw new UsageError(`--data ${dataDir}: the seat's data folder is in use by a running node (its database is locked). Stop that node (or copy the folder) and run again.`);
      }
      throw e;
    }
  };
  try {
    return await open(seat ?? 'AA');
  } catch (e) {
    // The folder belongs to another seat: its own code is in the message ("数据目录属于座席 CD，不是 AA").
    const owner = e instanceof StoreError && e.code === 'seat_mismatch' && !seat ? /座席 ([A-Z]{2})/.exec(e.message)?.[1] : undefined;
    if (owner) return open(owner);
    if (e instanceof StoreError) throw new UsageError(`--data ${dataDir}: ${e.message}`);
    throw e;
  }
}
