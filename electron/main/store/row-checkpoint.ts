import { randomUUID } from 'node:crypto';
import { open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { TicketEntry } from './records';

/**
 * A checkpoint of every ticket entry (row, version, heads, outbox count) in one JSON file next to
 * the database, so opening reads one file instead of 50,000 ticket documents; the writes after it
 * are replayed from PouchDB's changes feed. It is only a cache of what the ticket documents hold:
 * a missing, stale or damaged file costs time, never data. Written to a temporary file, synced,
 * then renamed over the old one, so a crash leaves either the old or the new checkpoint.
 *
 * Measured on this (shared, loaded) machine, 50,000–55,000 rows: `allDocs`/`changes` with docs
 * 4–7 s; the same entries in 2,000-row PouchDB `_local` records 4–6 s to read; this file ~2 s to
 * read and parse under the same load (JSON.parse dominates).
 */
interface CheckpointFile {
  format: 1;
  /** PouchDB update_seq the entries are taken at. */
  seq: number | string;
  count: number;
  entries: TicketEntry[];
}

export async function readCheckpoint(file: string): Promise<{ entries: TicketEntry[]; seq: number | string } | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const data = JSON.parse(text) as Partial<CheckpointFile>;
    if (data.format !== 1 || data.seq === undefined || !Array.isArray(data.entries) || data.entries.length !== data.count) return null;
    return { entries: data.entries, seq: data.seq };
  } catch {
    return null; // damaged: the caller rebuilds from the ticket documents
  }
}

export async function writeCheckpoint(file: string, entries: readonly TicketEntry[], seq: number | string): Promise<void> {
  const body: CheckpointFile = { format: 1, seq, count: entries.length, entries: [...entries] };
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify(body));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    const dir = await open(dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Removes temporary files a crash left behind mid-checkpoint. */
export async function removeStaleCheckpoints(file: string): Promise<void> {
  const prefix = `${basename(file)}.`;
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')).map((n) => rm(join(dirname(file), n), { force: true })));
}
