import type { AbstractBatchOperation } from 'abstract-level';
import type { ClassicLevel } from 'classic-level';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one batch spans sublevels of different value types
export type Op = AbstractBatchOperation<any, string, any>;

/** One atomic, synced write (LevelDB `sync: true`: on disk before it resolves). */
export function write(db: ClassicLevel<string, Uint8Array>, ops: Op[], sync = true): Promise<void> {
  return db.batch(ops, { sync });
}

/**
 * Key layout of the embedded store (one LevelDB in `--data`). Ticket parts sit together under
 * `site · id` so that one range read returns a ticket (or a page of a site's tickets) whole:
 *
 *   t   site␀id␀m → meta JSON   site␀id␀r → row JSON   site␀id␀s → snapshot   site␀id␀t␀seq → change
 *   ts  id → site               no  site␀no → id        log site␀seq → frame {ticketId, hash, seat, change}
 *   dig site␀bucket → 16-byte digest (hex)   hd site␀id → heads   cp id → '' (compaction candidates)
 *   lease site␀day → next number   lblk site␀day␀from → {to, seat}   audit seq → line
 *   sites, users, seats (JSON); seatTok tokenHash → seat; seatDev user␀device → seat; seatCode code → seat
 */
export const SEP = '\u0000';
export const END = '\uffff';

export const pad = (n: number, width = 16): string => String(n).padStart(width, '0');

export interface TicketMeta {
  site: string;
  no: string;
  heads: string[];
  snapSeq: number;
  lastSeq: number;
  tail: number;
  stale: boolean;
}

export function sublevels(db: ClassicLevel<string, Uint8Array>) {
  const json = <V>(name: string) => db.sublevel<string, V>(name, { valueEncoding: 'json' });
  const text = (name: string) => db.sublevel<string, string>(name, { valueEncoding: 'utf8' });
  const view = (name: string) => db.sublevel<string, Uint8Array>(name, { valueEncoding: 'view' });
  return {
    t: view('t'),
    ts: text('ts'),
    no: text('no'),
    log: view('log'),
    dig: text('dig'),
    cp: text('cp'),
    hd: json<string[]>('hd'),
    lease: json<number>('lease'),
    lblk: json<{ to: number; seat: string }>('lblk'),
    audit: json<unknown>('audit'),
    sites: json<unknown>('sites'),
    users: json<unknown>('users'),
    seats: json<unknown>('seats'),
    seatTok: text('seatTok'),
    seatDev: text('seatDev'),
    seatCode: text('seatCode'),
  };
}
export type Sublevels = ReturnType<typeof sublevels>;

const enc = new TextEncoder();
const dec = new TextDecoder();
export const jsonBytes = (v: unknown): Uint8Array => enc.encode(JSON.stringify(v));
export const bytesJson = <T>(b: Uint8Array): T => JSON.parse(dec.decode(b)) as T;

export { Mutex } from '../../util/mutex';
