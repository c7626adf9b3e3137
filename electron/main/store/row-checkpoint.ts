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
 *
 * Written a chunk of entries at a time, each `JSON.stringify`d and written before the next: one
 * `JSON.stringify` of 50,000 entries held the seat's event loop for 634 ms (the console froze for
 * it every 2,000 writes); a chunk of 1,000 holds it for a few milliseconds. The entries are a
 * snapshot (the store replaces an entry, never changes it), so writing across turns of the event
 * loop changes nothing in the file.
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

const CHUNK = 1_000;

export async function writeCheckpoint(file: string, entries: readonly TicketEntry[], seq: number | string): Promise<void> {
  const head: Omit<CheckpointFile, 'entries'> = { format: 1, seq, count: entries.length };
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      // The same JSON as one stringify of { ...head, entries }, a chunk at a time.
      await handle.write(JSON.stringify(head).slice(0, -1) + ',"entries":[');
      for (let i = 0; i < entries.length; i += CHUNK) {
        const part = JSON.stringify(entries.slice(i, i + CHUNK));
        await handle.write((i > 0 ? ',' : '') + part.slice(1, -1));
      }
      await handle.write(']}');
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
